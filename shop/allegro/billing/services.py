"""The fee import: billing entries read in ``occurredAt`` windows and upserted by entry id.

Allegro posts fees asynchronously, so an entry can appear after a run has read past its
``occurredAt``; each run starts ``OVERLAP`` before where the previous one stopped and the
upsert by entry id makes the re-read harmless. No HTTP happens inside a transaction: the
window is read first, then stored in one transaction together with the new position.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from allegro_api.models.billing import BillingEntry
from shop.allegro.billing.mapping import entry_fields
from shop.allegro.common.client import client_for, rate_budget_for
from shop.allegro.models import (
    AllegroAccount,
    AllegroBillingEntry,
    AllegroCheckoutForm,
    BillingImportState,
)
from shop.allegro.orders.services.importer import CountingBudget

OVERLAP = timedelta(hours=12)
FIRST_RUN_DAYS = 90
COMPARED = ("occurred_at", "type_id", "type_name", "group", "amount", "offer_name", "order_ref")


@dataclass
class BillingImportStats:
    entries_read: int = 0
    entries_created: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    entries_linked: int = 0
    requests: int = 0

    def as_counts(self) -> dict[str, Any]:
        return asdict(self)


def billing_import_state_for(account: AllegroAccount) -> BillingImportState:
    state, _ = BillingImportState.objects.get_or_create(account=account)
    return state


def billing_entries_link_forms(*, account: AllegroAccount) -> int:
    """Point entries at their orders once those orders are imported; returns how many."""
    linked = 0
    pending = (
        AllegroBillingEntry.objects.filter(account=account, form__isnull=True)
        .exclude(order_ref="")
        .values_list("order_ref", flat=True)
        .distinct()
    )
    forms = dict(
        AllegroCheckoutForm.objects.filter(form_id__in=list(pending)).values_list("form_id", "pk")
    )
    for order_ref, form_pk in forms.items():
        linked += AllegroBillingEntry.objects.filter(
            account=account, form__isnull=True, order_ref=order_ref
        ).update(form_id=form_pk)
    return linked


def _store(
    account: AllegroAccount, entries: list[BillingEntry], until: datetime, stats: BillingImportStats
) -> None:
    by_id = {e.id: e for e in entries if e.id and e.occurred_at}
    with transaction.atomic():
        state = BillingImportState.objects.select_for_update().get(account=account)
        existing = {
            row.entry_id: row
            for row in AllegroBillingEntry.objects.filter(entry_id__in=list(by_id))
        }
        created: list[AllegroBillingEntry] = []
        for entry_id, entry in by_id.items():
            fields = entry_fields(entry)
            row = existing.get(entry_id)
            if row is None:
                created.append(AllegroBillingEntry(account=account, entry_id=entry_id, **fields))
                continue
            if all(getattr(row, name) == fields[name] for name in COMPARED):
                stats.entries_unchanged += 1
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
            stats.entries_updated += 1
        AllegroBillingEntry.objects.bulk_create(created)
        stats.entries_created += len(created)
        stats.entries_linked = billing_entries_link_forms(account=account)
        state.synced_until = until
        state.save(update_fields=["synced_until", "updated_at"])


def billing_import(
    *, account: AllegroAccount, client_overrides: dict[str, Any] | None = None
) -> BillingImportStats:
    """Read the account's fees since the last run (less ``OVERLAP``) and store them."""
    stats = BillingImportStats()
    state = billing_import_state_for(account)
    moment = timezone.now()
    now = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    start = (
        state.synced_until - OVERLAP if state.synced_until else now - timedelta(days=FIRST_RUN_DAYS)
    )
    overrides = dict(client_overrides or {})
    budget = CountingBudget(overrides.pop("rate_budget", None) or rate_budget_for(account))
    try:
        with client_for(account, rate_budget=budget, **overrides) as client:
            entries = list(client.billing.iter_window(start=start, end=now))
    finally:
        stats.requests = budget.count
    stats.entries_read = len(entries)
    _store(account, entries, now, stats)
    return stats
