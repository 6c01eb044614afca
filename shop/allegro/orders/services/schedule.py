"""The order import's place in the task schedule: one periodic task per linked account."""

from __future__ import annotations

from shop.allegro.models import AllegroAccount
from shop.scheduler.registry import job_get
from shop.scheduler.services.schedule import periodic_task_ensure

IMPORT_ORDERS_JOB = "allegro.import_orders"


def order_import_schedule(*, account: AllegroAccount) -> None:
    """Create the account's import task (an existing one keeps the merchant's edits)."""
    periodic_task_ensure(job=job_get(IMPORT_ORDERS_JOB), job_kwargs={"account_id": account.pk})
