"""A linked account gets its invoice refresh task, as it gets its order import."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.allegro.invoices.schedule import invoice_refresh_schedule
from shop.allegro.models import AllegroAccount


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_invoice_refresh_schedule")
def invoice_refresh_scheduled_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: invoice_refresh_schedule(account=instance))
