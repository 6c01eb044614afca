"""The scheduled order import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from shop.allegro.models import AllegroAccount
from shop.allegro.services.fulfillment import fulfillment_flush
from shop.allegro.services.order_import import orders_import
from shop.scheduler.registry import job_get, register_job
from shop.scheduler.services.schedule import periodic_task_ensure

IMPORT_ORDERS_JOB = "allegro.import_orders"


@register_job(
    IMPORT_ORDERS_JOB,
    title=_("Import zamówień z Allegro"),
    every_seconds=60,
    lock_seconds=30 * 60,
    autoschedule=False,
)
def import_orders(account_id: int) -> dict[str, Any]:
    account = AllegroAccount.objects.get(pk=account_id)
    if not account.is_usable:
        return {"skipped": 1}
    counts = orders_import(account=account).as_counts()
    # Seller statuses a passing failure held back (the module also registers their receiver).
    counts["fulfillment_sent"] = fulfillment_flush(account=account)
    return counts


def order_import_schedule(*, account: AllegroAccount) -> None:
    """Create the account's import task (an existing one keeps the merchant's edits)."""
    periodic_task_ensure(job=job_get(IMPORT_ORDERS_JOB), job_kwargs={"account_id": account.pk})


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_order_import_schedule")
def _schedule_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    """A linked account gets its import task as soon as the link is saved."""
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: order_import_schedule(account=instance))
