"""The stock and price sync: the flush task, the safety-net sweep and the drift report."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from shop.allegro.selectors import accounts_usable
from shop.allegro.services.stock_drift import drift_check
from shop.allegro.services.stock_sync import (
    flush_followup,
    flush_schedule,
    stock_sync_flush,
    sync_sweep,
)
from shop.scheduler.registry import register_job


@shared_task(bind=True, name="allegro.stock_sync_flush", ignore_result=True)
def stock_sync_flush_task(self, account_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    eager = bool(self.request.is_eager)
    result = stock_sync_flush(account_id=account_id, debounce=not eager)
    if result.deferred:
        # Still inside the debounce window: the queued flag stays set, come back later.
        self.apply_async(args=(account_id,), countdown=result.deferred)
    elif result.busy:
        flush_schedule(account_ids=[account_id], countdown=1.0)
    else:
        flush_followup(account_id=account_id)
    return result.as_counts()


@register_job(
    "allegro.stock_sync_sweep",
    title=_("Allegro: zaległe zmiany stanów i cen"),
    every_seconds=60,
    lock_seconds=5 * 60,
)
def stock_sync_sweep() -> dict[str, int]:
    return sync_sweep()


@register_job(
    "allegro.stock_drift",
    title=_("Allegro: raport rozbieżności stanów i cen"),
    every_seconds=60 * 60,
    lock_seconds=30 * 60,
)
def stock_drift() -> dict[str, int]:
    counts = {"accounts": 0, "differences": 0, "failed": 0}
    for account in accounts_usable():
        counts["accounts"] += 1
        report = drift_check(account=account)
        counts["differences"] += report.differences
        counts["failed"] += int(bool(report.error))
    return counts
