"""The dry run of a price rule: what the sync would do to each offer, with nothing written.

It takes the plan's own steps (``push.sync_plan``): the offer's own price wins over the rule
(``price_target``), and the guard's verdict (``guard.price_reason``) says which new prices would
wait for the merchant under "Wstrzymane zmiany". A preview that skipped either would promise the
merchant a change the sync never sends, or hide one it holds.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shop.allegro.models import AllegroOffer, SellingFormat
from shop.allegro.models.sync import HeldReason, SyncSettings
from shop.allegro.sync.rules import PriceRule, price_target, rule_from
from shop.allegro.sync.services.guard import (
    OfferChange,
    link_needs_preview,
    offer_sync_of,
    price_reason,
)


@dataclass(frozen=True)
class PricePreview:
    """One offer in the dry run of a price rule."""

    offer: AllegroOffer
    current: Decimal | None
    new: Decimal
    overridden: bool  # the merchant's own price: the rule leaves it as it is
    held: HeldReason | None  # why the guard would keep the new price back for the merchant

    @property
    def changes(self) -> bool:
        return self.new != self.current


def price_change_preview(
    *, offers: Iterable[AllegroOffer], conf: SyncSettings, rule: PriceRule
) -> list[PricePreview]:
    """A dry run: each offer's price on Allegro now and what the sync would do under ``rule``.

    The same steps as the sync's plan: the offer's own override wins over the rule, and the
    guard's verdict says which new prices would wait under "Wstrzymane zmiany". Nothing is sent.
    """
    rows: list[PricePreview] = []
    template = copy.copy(conf)
    template.markup, template.fixed_amount = rule.markup, rule.fixed_amount
    template.rounding = rule.rounding
    template.price_floor, template.price_ceiling = rule.floor, rule.ceiling
    for offer in offers:
        if offer.product is None or offer.selling_format != SellingFormat.BUY_NOW:
            continue
        own = offer_sync_of(offer)
        override = own.price_override if own else None
        known = own.pushed_price if own and own.pushed_price is not None else offer.price
        new = price_target(offer.product.price, rule_from(template, own), override)
        held = None
        if new != known:
            change = OfferChange(offer, offer.stock_available, known)
            reason = price_reason(change, new, template, link_needs_preview(offer))
            held = HeldReason(reason) if reason else None
        rows.append(PricePreview(offer, known, new, override is not None, held))
    return rows
