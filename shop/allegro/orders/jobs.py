"""The scheduled order import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.models import AllegroAccount
from shop.allegro.orders.services.fulfillment import fulfillment_flush
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB
from shop.scheduler.registry import register_job


@register_job(
    IMPORT_ORDERS_JOB,
    title=_("Import zamówień z Allegro"),
    every_seconds=60,
    autoschedule=False,
)
def import_orders(account_id: int) -> dict[str, Any]:
    account = AllegroAccount.objects.get(pk=account_id)
    if not account.is_usable:
        return {"skipped": 1}
    counts = orders_import(account=account).as_counts()
    # Seller statuses that a passing failure held back go out with the next import.
    counts["fulfillment_sent"] = fulfillment_flush(account=account)
    return counts
