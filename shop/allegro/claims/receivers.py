"""A linked account gets its claims follow-up task (as it gets its order import)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.allegro.claims.services import claims_schedule
from shop.allegro.models import AllegroAccount


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_claims_schedule")
def claims_scheduled_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: claims_schedule(account=instance))
