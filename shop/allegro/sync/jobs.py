"""Scheduled work of the stock and price sync: the safety-net sweep and the drift report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.selectors import accounts_usable
from shop.allegro.sync.services.drift import drift_check
from shop.allegro.sync.services.ledger import ledger_scan
from shop.allegro.sync.services.push import sync_sweep
from shop.scheduler.registry import register_job


@register_job(
    "allegro.stock_sync_sweep",
    title=_("Allegro: zaległe zmiany stanów i cen"),
    every_seconds=60,
    count_labels={"accounts": _("konta z zaległymi zmianami")},
)
def stock_sync_sweep() -> dict[str, int]:
    # A scan first: a sale whose wake was lost (its process died after the commit) is marked.
    ledger_scan(queue=False)
    return sync_sweep()


@register_job(
    "allegro.stock_drift",
    title=_("Allegro: raport rozbieżności stanów i cen"),
    every_seconds=60 * 60,
    count_labels={"differences": _("rozbieżności")},
)
def stock_drift() -> dict[str, int]:
    counts = {"accounts": 0, "differences": 0, "failed": 0}
    for account in accounts_usable():
        counts["accounts"] += 1
        report = drift_check(account=account)
        counts["differences"] += report.differences
        counts["failed"] += int(bool(report.error))
    return counts
