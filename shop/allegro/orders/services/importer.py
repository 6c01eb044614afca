"""The Allegro order import: back-fill, event feed, quarantine retries and the safety sweep.

No HTTP happens inside a transaction: forms are fetched first, then stored together with the
cursor (or back-fill progress) they cover in one transaction under the account's import-state
row lock. A run killed anywhere leaves either the old cursor (the page is read again and its
forms are found already stored) or the new one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from allegro_api import (
    AllegroAPIError,
    AllegroClient,
    AllegroError,
    NotFound,
    RateBudget,
    RateLimited,
    ServerError,
)
from allegro_api.models.orders import CheckoutForm
from shop.allegro.common.client import client_for, rate_budget_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    OrderImportState,
    OrderQuarantine,
)
from shop.allegro.orders.services.store import forms_upsert

logger = logging.getLogger(__name__)

EVENTS_PAGE = 1000
LIST_PAGE = 100
LIST_CAP = 10_000
# Forms stored per transaction by date windows (five list pages): fewer commits, flat memory.
BATCH = 500
# Below this many forms to fetch, one GET each; above it, the list endpoint when it is cheaper.
BULK_FETCH_MIN = 4
SWEEP_MARGIN = timedelta(minutes=5)
LIST_SLACK = timedelta(seconds=2)
QUARANTINE_BACKOFF = timedelta(minutes=2)
MAX_BACKFILL_DAYS = 365

ProgressFn = Callable[[int, int | None], None]
# Called with the name of each point of the pipeline (``store:locked``, ``fetch:done`` …);
# raising there stops the run as a crash would (the chaos tests simulate kills with it).
FaultFn = Callable[[str], None]


class OrderImportFailed(Exception):
    """The run stopped early; ``counts`` says what it did before (shown in the task's run)."""

    def __init__(self, message: str, counts: dict[str, Any]):
        super().__init__(message)
        self.counts = counts


class CountingBudget:
    """A rate budget that counts the requests it let through (every attempt takes a slot)."""

    def __init__(self, inner: RateBudget):
        self.inner = inner
        self.count = 0

    def acquire(self) -> float:
        wait = self.inner.acquire()
        if wait <= 0:
            self.count += 1
        return wait

    def block_until(self, until: float) -> None:
        self.inner.block_until(until)

    def blocked_until(self) -> float:
        return self.inner.blocked_until()


@dataclass
class ImportStats:
    events_read: int = 0
    forms_fetched: int = 0
    orders_created: int = 0
    orders_updated: int = 0
    orders_cancelled: int = 0
    orders_unchanged: int = 0
    forms_superseded: int = 0
    forms_gone: int = 0
    quarantined: int = 0
    released: int = 0
    requests: int = 0
    duration_ms: int = 0
    backfill: bool = False
    sweep: bool = False
    errors: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = len(self.errors)
        if self.errors:
            data["error_messages"] = self.errors[:5]
        return data


def import_state_for(account: AllegroAccount) -> OrderImportState:
    try:
        with transaction.atomic():
            state, _created = OrderImportState.objects.get_or_create(account=account)
    except IntegrityError:  # another worker created it at the same moment
        state = OrderImportState.objects.get(account=account)
    return state


def _event_id_newer(candidate: str, current: str) -> bool:
    """Event ids are increasing numeric strings."""
    if not current:
        return True
    if candidate.isdigit() and current.isdigit():
        return int(candidate) > int(current)
    return (len(candidate), candidate) > (len(current), current)


class OrderImporter:
    def __init__(
        self,
        *,
        account: AllegroAccount,
        client: AllegroClient,
        stats: ImportStats,
        progress: ProgressFn | None = None,
        fault: FaultFn | None = None,
    ):
        self.account = account
        self.client = client
        self.stats = stats
        self.progress = progress
        self.fault = fault
        self.done = 0

    def checkpoint(self, name: str) -> None:
        if self.fault is not None:
            self.fault(name)

    # -- storing -----------------------------------------------------------------------------
    def store(
        self,
        forms: list[CheckoutForm],
        *,
        gone: Iterable[str] = (),
        failed: dict[str, str] | None = None,
        cursor: str | None = None,
        backfill_progress: datetime | None = None,
        sweep_mark: datetime | None = None,
    ) -> None:
        """One transaction: the forms, their quarantine entries, and the position they cover."""
        failed = dict(failed or {})
        gone = list(gone)
        self.checkpoint("store:begin")
        with transaction.atomic():
            state = OrderImportState.objects.select_for_update().get(account=self.account)
            self.checkpoint("store:locked")
            result = forms_upsert(account=self.account, forms=forms)
            self.checkpoint("store:forms")
            failed.update(result.failed)
            if gone:
                AllegroCheckoutForm.objects.filter(
                    account=self.account, form_id__in=gone, superseded_by__isnull=True
                ).update(gone=True)
                OrderQuarantine.objects.filter(account=self.account, form_id__in=gone).delete()
            if result.stored:
                self.stats.released += OrderQuarantine.objects.filter(
                    account=self.account, form_id__in=result.stored
                ).delete()[0]
            now = timezone.now()
            for form_id, error in failed.items():
                entry, created = OrderQuarantine.objects.get_or_create(
                    account=self.account,
                    form_id=form_id,
                    defaults={"error": error, "retry_after": now + QUARANTINE_BACKOFF},
                )
                if not created:
                    entry.attempts += 1
                    entry.error = error
                    entry.retry_after = now + QUARANTINE_BACKOFF * min(entry.attempts, 30)
                    entry.save(update_fields=["attempts", "error", "retry_after", "updated_at"])
            self.checkpoint("store:quarantine")
            fields: list[str] = []
            if cursor and _event_id_newer(cursor, state.cursor):
                state.cursor = cursor
                fields.append("cursor")
            if backfill_progress is not None and (
                state.backfill_progress is None or backfill_progress > state.backfill_progress
            ):
                state.backfill_progress = backfill_progress
                fields.append("backfill_progress")
            if sweep_mark is not None and (
                state.sweep_mark is None or sweep_mark > state.sweep_mark
            ):
                state.sweep_mark = sweep_mark
                fields.append("sweep_mark")
            if fields:
                state.save(update_fields=[*fields, "updated_at"])
            self.checkpoint("store:commit")
        self.checkpoint("store:after")
        s = self.stats
        s.orders_created += result.created
        s.orders_updated += result.updated
        s.orders_cancelled += result.cancelled
        s.orders_unchanged += result.unchanged
        s.forms_superseded += result.superseded
        s.forms_gone += len(gone)
        s.quarantined += len(failed)
        for form_id, error in list(failed.items())[:5]:
            s.errors.append(f"{form_id}: {error}"[:500])
        self.done += len(forms)
        if self.progress is not None:
            self.progress(self.done, None)

    # -- fetching ----------------------------------------------------------------------------
    def fetch(
        self, ids: list[str], *, since: datetime | None = None
    ) -> tuple[list[CheckoutForm], list[str], dict[str, str]]:
        """The named forms: through the list endpoint when that takes fewer requests."""
        remaining = dict.fromkeys(ids)
        found: list[CheckoutForm] = []
        if len(remaining) >= BULK_FETCH_MIN and since is not None:
            gte = since - LIST_SLACK
            forms = self.client.checkout_forms
            page = forms.list(updated_at_gte=gte, sort="updatedAt", limit=LIST_PAGE, offset=0)
            total = min(page.total_count or 0, LIST_CAP)
            pages = math.ceil(total / LIST_PAGE) if total else 1
            offset = 0
            while True:
                for form in page.checkout_forms:
                    if form.id in remaining:
                        del remaining[form.id]
                        found.append(form)
                offset += len(page.checkout_forms)
                # Go on only while listing stays cheaper than one GET per missing form.
                if (
                    not remaining
                    or len(page.checkout_forms) < LIST_PAGE
                    or offset >= total
                    or pages - offset // LIST_PAGE >= len(remaining)
                ):
                    break
                limit = min(LIST_PAGE, LIST_CAP - offset)
                page = forms.list(updated_at_gte=gte, sort="updatedAt", limit=limit, offset=offset)
        gone: list[str] = []
        failed: dict[str, str] = {}
        for form_id in remaining:
            try:
                found.append(self.client.checkout_forms.get(form_id))
            except NotFound:
                gone.append(form_id)
            except (RateLimited, ServerError):
                raise
            except AllegroAPIError as exc:
                failed[form_id] = describe_error(exc)
        self.stats.forms_fetched += len(found)
        self.checkpoint("fetch:done")
        return found, gone, failed

    # -- back-fill ---------------------------------------------------------------------------
    def backfill_first(self) -> None:
        """On first link: remember the feed's end, then read the last N days by date windows."""
        state = import_state_for(self.account)
        if not state.backfill_started:
            latest = self.client.order_events.stats().latest_event
            now = timezone.now()
            days = min(state.backfill_days, MAX_BACKFILL_DAYS)
            with transaction.atomic():
                state = OrderImportState.objects.select_for_update().get(pk=state.pk)
                if not state.backfill_started:
                    state.backfill_started = True
                    state.backfill_cursor = (latest.id if latest is not None else None) or ""
                    state.backfill_from = now - timedelta(days=days)
                    state.backfill_until = now
                    state.save()
        self.stats.backfill = True
        start = state.backfill_progress or state.backfill_from or timezone.now()
        end = state.backfill_until or timezone.now()
        self.window(start, end)
        with transaction.atomic():
            state = OrderImportState.objects.select_for_update().get(pk=state.pk)
            if not state.backfill_done:
                if state.backfill_cursor and _event_id_newer(state.backfill_cursor, state.cursor):
                    state.cursor = state.backfill_cursor
                state.backfill_done = True
                state.sweep_mark = end - SWEEP_MARGIN
                state.last_sweep_at = timezone.now()
                state.save()
        self.checkpoint("backfill:done")

    def window(self, start: datetime, end: datetime, *, field: str = "lineItems.boughtAt") -> None:
        """Every form with ``field`` in [start, end], stored a hundred at a time."""
        batch: list[CheckoutForm] = []
        newest: datetime | None = None
        track = field == "lineItems.boughtAt"
        for form in self.client.checkout_forms.iter_window(
            start=start,
            end=end,
            field="updatedAt" if field == "updatedAt" else "lineItems.boughtAt",
        ):
            batch.append(form)
            moment = form.updated_at if not track else _bought_at(form)
            if moment is not None and (newest is None or moment > newest):
                newest = moment
            if len(batch) >= BATCH:
                self.stats.forms_fetched += len(batch)
                self._store_window(batch, newest, track)
                batch = []
        if batch:
            self.stats.forms_fetched += len(batch)
            self._store_window(batch, newest, track)

    def _store_window(
        self, batch: list[CheckoutForm], newest: datetime | None, track: bool
    ) -> None:
        if track:
            self.store(batch, backfill_progress=newest)
        else:
            self.store(batch, sweep_mark=(newest - SWEEP_MARGIN) if newest else None)

    # -- the event feed ----------------------------------------------------------------------
    def events(self) -> None:
        while True:
            state = import_state_for(self.account)
            page = self.client.order_events.list(from_=state.cursor or None, limit=EVENTS_PAGE)
            events = page.events
            if not events:
                return
            self.stats.events_read += len(events)
            named: dict[str, str | None] = {}
            oldest: datetime | None = None
            for event in events:
                form_id = event.checkout_form_id
                if not form_id:
                    continue
                revision = ((event.order or {}).get("checkoutForm") or {}).get("revision")
                named.pop(form_id, None)
                named[form_id] = str(revision) if revision else None
                if event.occurred_at is not None and (oldest is None or event.occurred_at < oldest):
                    oldest = event.occurred_at
            known = dict(
                AllegroCheckoutForm.objects.filter(form_id__in=named).values_list(
                    "form_id", "revision"
                )
            )
            quarantined = set(
                OrderQuarantine.objects.filter(account=self.account, form_id__in=named).values_list(
                    "form_id", flat=True
                )
            )
            # A duplicate or stale event names a revision already stored: nothing to fetch.
            wanted = [
                form_id
                for form_id, revision in named.items()
                if revision is None or known.get(form_id) != revision or form_id in quarantined
            ]
            forms, gone, failed = self.fetch(wanted, since=oldest) if wanted else ([], [], {})
            last = events[-1].id or ""
            self.store(forms, gone=gone, failed=failed, cursor=last)
            if len(events) < EVENTS_PAGE:
                return

    # -- quarantine and sweep ----------------------------------------------------------------
    def retry_quarantine(self) -> None:
        due = list(
            OrderQuarantine.objects.filter(
                account=self.account, retry_after__lte=timezone.now()
            ).values_list("form_id", flat=True)[:200]
        )
        if due:
            forms, gone, failed = self.fetch(due)
            self.store(forms, gone=gone, failed=failed)

    def sweep(self) -> None:
        """Forms changed since the last sweep that no event announced."""
        state = import_state_for(self.account)
        now = timezone.now()
        start = state.sweep_mark or (now - timedelta(days=min(state.backfill_days, 30)))
        self.stats.sweep = True
        # Up to an hour ahead: Allegro's clock may run ahead of ours.
        self.window(start, now + timedelta(hours=1), field="updatedAt")
        OrderImportState.objects.filter(pk=state.pk).update(last_sweep_at=now)
        self.store([], sweep_mark=now - SWEEP_MARGIN)


def _bought_at(form: CheckoutForm) -> datetime | None:
    moments = [item.bought_at for item in form.line_items if item.bought_at is not None]
    return min(moments) if moments else form.updated_at


def sweep_due(state: OrderImportState) -> bool:
    if state.last_sweep_at is None:
        return True
    return timezone.now() - state.last_sweep_at >= timedelta(minutes=state.sweep_every_minutes)


def orders_import(
    *,
    account: AllegroAccount,
    since: datetime | None = None,
    sweep: bool | None = None,
    progress: ProgressFn | None = None,
    client_overrides: dict[str, Any] | None = None,
    fault: FaultFn | None = None,
) -> ImportStats:
    """One import run for ``account``; raises ``OrderImportFailed`` (with counts) on errors."""
    stats = ImportStats()
    clock = time.perf_counter()
    overrides = dict(client_overrides or {})
    budget = CountingBudget(overrides.pop("rate_budget", None) or rate_budget_for(account))
    state = import_state_for(account)
    try:
        with client_for(account, rate_budget=budget, **overrides) as client:
            importer = OrderImporter(
                account=account, client=client, stats=stats, progress=progress, fault=fault
            )
            if since is not None:
                stats.backfill = True
                importer.window(since, timezone.now())
            elif not state.backfill_done:
                importer.backfill_first()
            importer.retry_quarantine()
            importer.events()
            state.refresh_from_db()
            if sweep or (sweep is None and sweep_due(state)):
                importer.sweep()
    except Exception as exc:
        stats.requests = budget.count
        stats.duration_ms = int((time.perf_counter() - clock) * 1000)
        message = describe_error(exc) if isinstance(exc, AllegroError) else str(exc)
        stats.errors.append(f"{type(exc).__name__}: {message}"[:500])
        raise OrderImportFailed(message, stats.as_counts()) from exc
    stats.requests = budget.count
    stats.duration_ms = int((time.perf_counter() - clock) * 1000)
    OrderImportState.objects.filter(pk=state.pk).update(last_success_at=timezone.now())
    return stats


def quarantine_retry(*, entry: OrderQuarantine) -> bool:
    """Read one quarantined form again now; True when it is stored (and out of quarantine)."""
    account = entry.account
    import_state_for(account)
    with client_for(account) as client:
        importer = OrderImporter(account=account, client=client, stats=ImportStats())
        forms, gone, failed = importer.fetch([entry.form_id])
        importer.store(forms, gone=gone, failed=failed)
    return not OrderQuarantine.objects.filter(pk=entry.pk).exists()
