"""The guard between the sync's plan and Allegro: each automatic write is one the merchant signs.

``sync_plan`` proposes, per offer, the quantity (with ending or resuming) and the price it would
send; ``changes_guard`` lets through what is safe and keeps the rest as ``HeldChange`` rows that
wait for the merchant on the "Wstrzymane zmiany" page. Held are:

* a price that moves the live price by more than the account's threshold (default 30 %), or lies
  below the product's purchase price, below the rule's floor, or at zero;
* a quantity that rises by more than the account's units (default 50) *and* more than its factor
  (default 5×) of the live quantity. Decreases and ending at zero are never held: holding them
  would sell what the shop no longer has;
* every difference of an offer whose link has not been accepted since it was made (the first
  sync after linking is a preview), unless the shop published that offer from the product.

A decision stays: an accepted row lets exactly its ``current → proposed`` through (again on a
retry), a rejected row keeps that same proposal from being sent or asked again while the live
value and the target stay as they were. Runs inside the plan's transaction; no HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from shop.allegro.models import AllegroOffer, LinkSource
from shop.allegro.models.sync import (
    HeldChange,
    HeldField,
    HeldReason,
    HeldResolution,
    OfferSync,
    SyncSettings,
)
from shop.allegro.sync.rules import rule_from

# Offers the shop itself published from the product: their values on Allegro came from us.
SELF_PUBLISHED = (LinkSource.OFFER_FORM, LinkSource.SIMILAR, LinkSource.BULK_LISTING)


@dataclass
class OfferChange:
    """What the plan would send to one offer; the guard clears the parts it holds."""

    offer: AllegroOffer
    known_quantity: int
    known_price: Decimal | None
    quantity: int | None = None  # None: the quantity stays
    end: bool = False
    activate: bool = False
    price: Decimal | None = None  # None: the price stays

    def hold_quantity(self) -> None:
        self.quantity, self.end, self.activate = None, False, False

    @property
    def empty(self) -> bool:
        return self.quantity is None and self.price is None and not self.end


def offer_sync_of(offer: AllegroOffer) -> OfferSync | None:
    try:
        return offer.sync
    except ObjectDoesNotExist:
        return None


def link_needs_preview(offer: AllegroOffer) -> bool:
    """True until the merchant has accepted the sync's first changes since the offer was linked."""
    if offer.link_source in SELF_PUBLISHED:
        return False
    sync = offer_sync_of(offer)
    accepted = sync.link_accepted_at if sync is not None else None
    if accepted is None:
        return True
    return offer.linked_at is not None and accepted < offer.linked_at


def price_reason(
    change: OfferChange, proposed: Decimal, conf: SyncSettings, preview: bool
) -> str | None:
    current = change.known_price
    product = change.offer.product
    purchase = product.purchase_price if product is not None else None
    floor = rule_from(conf, offer_sync_of(change.offer)).floor
    if proposed <= 0:
        return HeldReason.PRICE_ZERO
    if purchase is not None and proposed < purchase:
        return HeldReason.BELOW_PURCHASE
    if floor is not None and proposed < floor:
        return HeldReason.BELOW_FLOOR
    if current and abs(proposed - current) * 100 > conf.price_guard_percent * current:
        return HeldReason.PRICE_JUMP
    return HeldReason.FIRST_SYNC if preview else None


def quantity_reason(
    change: OfferChange, proposed: int, conf: SyncSettings, preview: bool
) -> str | None:
    current = change.known_quantity
    rise = proposed - current
    if rise > conf.quantity_guard_units and proposed > current * conf.quantity_guard_factor:
        return HeldReason.QUANTITY_JUMP
    return HeldReason.FIRST_SYNC if preview else None


def changes_guard(
    *, conf: SyncSettings, offers: Sequence[AllegroOffer], changes: Sequence[OfferChange]
) -> list[OfferChange]:
    """Split the plan: return the changes to send (held parts cleared), store the held ones.

    ``offers`` are all offers of the plan: an open held change of one with nothing left to
    propose (the target is back at the live value) is dropped.
    """
    ids = [offer.pk for offer in offers]
    open_rows: dict[tuple[int, str], HeldChange] = {}
    decided: dict[tuple[int, str], HeldChange] = {}
    for row in HeldChange.objects.filter(offer_id__in=ids).order_by("resolved_at", "pk"):
        key = (row.offer_id, row.field)
        if row.resolved_at is None:
            open_rows[key] = row
        else:
            decided[key] = row  # ordered: the latest decision wins
    by_offer = {change.offer.pk: change for change in changes}
    drop: list[int] = []
    create: list[HeldChange] = []
    now = timezone.now()
    for offer in offers:
        change = by_offer.get(offer.pk)
        preview = change is not None and link_needs_preview(offer)
        for field in HeldField:
            key = (offer.pk, field.value)
            proposed, current = _proposal(change, field)
            open_row = open_rows.get(key)
            if change is None or proposed is None:
                if open_row is not None:
                    drop.append(open_row.pk)
                continue
            decision = decided.get(key)
            if decision is not None and (decision.current, decision.proposed) == (
                current,
                proposed,
            ):
                if open_row is not None:
                    drop.append(open_row.pk)
                if decision.resolution != HeldResolution.ACCEPTED:
                    _clear(change, field)
                continue
            if field == HeldField.PRICE:
                reason = price_reason(change, proposed, conf, preview)
            else:
                reason = quantity_reason(change, int(proposed), conf, preview)
            if reason is None:
                if open_row is not None:
                    drop.append(open_row.pk)
                continue
            _clear(change, field)
            if open_row is None:
                create.append(
                    HeldChange(
                        offer=offer, field=field, current=current, proposed=proposed, reason=reason
                    )
                )
            elif (open_row.current, open_row.proposed, open_row.reason) != (
                current,
                proposed,
                reason,
            ):
                # Conditional: a decision the merchant made meanwhile is never overwritten.
                HeldChange.objects.filter(pk=open_row.pk, resolved_at__isnull=True).update(
                    current=current, proposed=proposed, reason=reason, updated_at=now
                )
    if drop:
        HeldChange.objects.filter(pk__in=drop, resolved_at__isnull=True).delete()
    if create:
        HeldChange.objects.bulk_create(create)
    return [change for change in changes if not change.empty]


def _proposal(change: OfferChange | None, field: str) -> tuple[Decimal | None, Decimal | None]:
    """(proposed, current) of one field, as decimals; proposed is None when nothing changes."""
    if change is None:
        return None, None
    if field == HeldField.PRICE:
        return change.price, change.known_price
    if change.quantity is None:
        return None, None
    return Decimal(change.quantity), Decimal(change.known_quantity)


def _clear(change: OfferChange, field: str) -> None:
    if field == HeldField.PRICE:
        change.price = None
    else:
        change.hold_quantity()
