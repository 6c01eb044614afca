"""A linked account gets its message import task, as it gets its order import."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.allegro.messages.schedule import message_import_schedule
from shop.allegro.models import AllegroAccount


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_message_import_schedule")
def message_import_scheduled_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: message_import_schedule(account=instance))
