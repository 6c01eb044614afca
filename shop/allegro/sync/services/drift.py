"""Reconciliation: what Allegro shows for every linked offer against what it should show.

``drift_check`` reads the seller's offers in pages of 1000 (one request per 1000 offers) and
stores a report with one row per difference; ``drift_heal`` takes Allegro's values as the last
known ones and marks the offers, so the next flush sends the right quantity, price or status.
Offers with a change on its way (marked, or in a command not yet finished) are not compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from allegro_api import AllegroError
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus
from shop.allegro.models.sync import (
    CommandStatus,
    DriftField,
    DriftReport,
    DriftRow,
    HeldField,
    HeldReason,
    OfferSync,
    SyncCommand,
)
from shop.allegro.sync.services.held import held_changes_accepted_record
from shop.allegro.sync.services.ledger import ledger_scan
from shop.allegro.sync.services.push import (
    CONFIRMED,
    LIVE,
    MARKABLE,
    flush_schedule,
    offer_resumable,
    offer_target,
    queue_touch,
    sync_settings_for,
)

HELD_FIELD: dict[str, str] = {
    DriftField.QUANTITY: HeldField.QUANTITY,
    DriftField.PRICE: HeldField.PRICE,
}
REMOTE_STATUS = {
    "ACTIVE": OfferStatus.ACTIVE,
    "ACTIVATING": OfferStatus.ACTIVATING,
    "INACTIVE": OfferStatus.INACTIVE,
    "ENDED": OfferStatus.ENDED,
}


def _in_flight(account: AllegroAccount) -> set[str]:
    ids: set[str] = set()
    for offer_ids in SyncCommand.objects.filter(
        account=account, status__in=[CommandStatus.PENDING, CommandStatus.SENT]
    ).values_list("offer_ids", flat=True):
        ids.update(offer_ids)
    return ids


def drift_check(*, account: AllegroAccount) -> DriftReport:
    # Offers whose sale is committed but not read yet are on their way, not drifted: mark them.
    ledger_scan()
    report = DriftReport.objects.create(account=account)
    conf = sync_settings_for(account)
    offers = list(
        AllegroOffer.objects.filter(
            CONFIRMED, account=account, product__isnull=False, status__in=MARKABLE, needs_push=False
        )
        .exclude(allegro_id="")
        .select_related("product", "sync")
    )
    busy = _in_flight(account)
    remote: dict[str, Any] = {}
    client = client_for(account)
    try:
        for listing in client.offers.iter_all():
            if listing.id:
                remote[str(listing.id)] = listing
        report.requests = len(remote) // 1000 + 1
    except AllegroError as exc:
        report.error = describe_error(exc)
        report.finished_at = timezone.now()
        report.save()
        return report
    finally:
        client.close()
    rows: list[DriftRow] = []
    for offer in offers:
        if offer.allegro_id in busy:
            continue
        report.offers_checked += 1
        found = remote.get(offer.allegro_id)
        if found is None:
            rows.append(
                DriftRow(
                    report=report,
                    offer=offer,
                    field=DriftField.MISSING,
                    expected=offer.allegro_id,
                    actual="—",
                )
            )
            continue
        rows.extend(_compare(report, offer, found, conf))
    DriftRow.objects.bulk_create(rows)
    report.differences = len(rows)
    report.finished_at = timezone.now()
    report.save()
    return report


def _compare(report: DriftReport, offer: AllegroOffer, listing: Any, conf: Any) -> list[DriftRow]:
    if not conf.stock_enabled:
        return []
    target = offer_target(offer, conf)
    status = (listing.publication.status if listing.publication else None) or ""
    available = listing.stock.available if listing.stock else None
    amount = (
        listing.selling_mode.price.amount
        if listing.selling_mode and listing.selling_mode.price
        else None
    )
    rows: list[DriftRow] = []

    def row(kind: str, expected: object, actual: object) -> None:
        rows.append(
            DriftRow(
                report=report,
                offer=offer,
                field=kind,
                expected=str(expected)[:64],
                actual=str(actual)[:64],
            )
        )

    live = status in ("ACTIVE", "ACTIVATING")
    if live and conf.end_at_zero and target.quantity == 0:
        row(DriftField.STATUS, "ENDED", status)
    elif live and available is not None and available != target.quantity:
        row(DriftField.QUANTITY, target.quantity, available)
    elif (
        status == "ENDED"
        and conf.end_at_zero
        and target.quantity > 0
        and (offer.status in LIVE or offer_resumable(offer) or _ended_empty(listing))
    ):
        row(DriftField.STATUS, "ACTIVE", status)
    if live and target.price is not None and amount is not None and Decimal(amount) != target.price:
        row(DriftField.PRICE, target.price, Decimal(amount))
    return rows


def _ended_empty(listing: Any) -> bool:
    return bool(listing.publication and listing.publication.ended_by == "EMPTY_STOCK")


def drift_heal(*, report: DriftReport, user: Any = None) -> int:
    """Take Allegro's values as known and mark the offers; the next flush sends the fix.

    The merchant chose the expected values on the report, so they are recorded as accepted:
    the guard lets exactly them through (a target that moved meanwhile is guarded as usual)."""
    rows = list(report.rows.filter(healed=False).select_related("offer"))
    if not rows:
        return 0
    chosen = [
        (row.offer, HELD_FIELD[row.field], Decimal(row.actual), Decimal(row.expected))
        for row in rows
        if row.field in HELD_FIELD
    ]
    with transaction.atomic():
        held_changes_accepted_record(changes=chosen, reason=HeldReason.DRIFT_HEAL, user=user)
        offers: dict[int, AllegroOffer] = {}
        for row in rows:
            offer = row.offer
            offers[offer.pk] = offer
            sync, _new = OfferSync.objects.get_or_create(offer=offer)
            if row.field == DriftField.QUANTITY:
                sync.pushed_quantity = int(row.actual)
            elif row.field == DriftField.PRICE:
                sync.pushed_price = Decimal(row.actual)
            elif row.field == DriftField.STATUS:
                remote = REMOTE_STATUS.get(row.actual)
                if remote is not None:
                    AllegroOffer.objects.filter(pk=offer.pk).update(status=remote)
                sync.ended_by_sync = row.actual == "ENDED"
                sync.pushed_quantity = None
            sync.failed = False
            sync.attempts = 0
            sync.next_attempt_at = None
            sync.save()
        # Healing pushes: only to offers whose link is (still) confirmed.
        AllegroOffer.objects.filter(CONFIRMED, pk__in=list(offers)).update(needs_push=True)
        report.rows.filter(pk__in=[r.pk for r in rows]).update(healed=True)
        report.healed_at = timezone.now()
        report.save(update_fields=["healed_at"])
        queue_touch(account_ids=[report.account_id])
        account_id = report.account_id
        transaction.on_commit(lambda: flush_schedule(account_ids=[account_id], countdown=0.0))
    return len(rows)
