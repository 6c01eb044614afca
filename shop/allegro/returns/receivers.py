"""A linked account gets its returns import task (the feature listens, accounts never call it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.allegro.models import AllegroAccount
from shop.allegro.returns.schedule import returns_import_schedule


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_returns_import_schedule")
def returns_import_scheduled_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: returns_import_schedule(account=instance))
