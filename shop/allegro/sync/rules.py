"""What an offer should show on Allegro: quantity from the shop's stock, price from a rule.

Quantity = available stock minus the account's safety reserve (never below zero).
Price = product price × markup + fixed amount, rounded (to the grosz, to ,99, to ,49/,99 or to
whole złote), then held between the floor and the ceiling. The offer's own rule (``OfferSync``)
overrides the account's template (``SyncSettings``) field by field. A value the merchant set by
hand in the offer form (``price_override``/``quantity_override``) wins over both; a manual
quantity is still capped by the stock. Pure: reads and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from shop.allegro.models.sync import Rounding

if TYPE_CHECKING:
    from shop.allegro.models.sync import OfferSync, SyncSettings

CENT = Decimal("0.01")
MIN_PRICE = Decimal("1.00")


@dataclass(frozen=True)
class PriceRule:
    markup: Decimal = Decimal(1)
    fixed_amount: Decimal = Decimal(0)
    rounding: str = Rounding.NONE
    floor: Decimal | None = None
    ceiling: Decimal | None = None


def rule_from(settings: SyncSettings | None, offer_sync: OfferSync | None = None) -> PriceRule:
    """The account's template with the offer's own values over it."""
    base = (
        PriceRule(
            markup=settings.markup,
            fixed_amount=settings.fixed_amount,
            rounding=settings.rounding,
            floor=settings.price_floor,
            ceiling=settings.price_ceiling,
        )
        if settings is not None
        else PriceRule()
    )
    if offer_sync is None:
        return base
    return PriceRule(
        markup=offer_sync.markup if offer_sync.markup is not None else base.markup,
        fixed_amount=(
            offer_sync.fixed_amount if offer_sync.fixed_amount is not None else base.fixed_amount
        ),
        rounding=offer_sync.rounding or base.rounding,
        floor=offer_sync.price_floor if offer_sync.price_floor is not None else base.floor,
        ceiling=offer_sync.price_ceiling if offer_sync.price_ceiling is not None else base.ceiling,
    )


def price_round(value: Decimal, rounding: str) -> Decimal:
    """Round up to the nearest ending: 12.30 → 12.99 (,99), 12.30 → 12.49 (,49/,99), 12.30 → 13."""
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounding == Rounding.END_99:
        return value.to_integral_value(rounding=ROUND_FLOOR) + Decimal("0.99")
    if rounding == Rounding.END_49_99:
        base = value.to_integral_value(rounding=ROUND_FLOOR)
        ending = Decimal("0.49") if value - base <= Decimal("0.49") else Decimal("0.99")
        return base + ending
    if rounding == Rounding.WHOLE:
        return value.to_integral_value(rounding=ROUND_CEILING).quantize(CENT)
    return value


def price_compute(product_price: Decimal, rule: PriceRule) -> Decimal:
    value = price_round(Decimal(product_price) * rule.markup + rule.fixed_amount, rule.rounding)
    if rule.floor is not None and value < rule.floor:
        value = rule.floor
    if rule.ceiling is not None and value > rule.ceiling:
        value = rule.ceiling
    return max(value, MIN_PRICE).quantize(CENT)


def quantity_compute(stock: int, reserve: int, override: int | None = None) -> int:
    """Stock minus the reserve; a manual quantity only lowers it (more would oversell)."""
    available = max(0, stock - reserve)
    return available if override is None else min(max(0, override), available)


def price_target(
    product_price: Decimal, rule: PriceRule, override: Decimal | None = None
) -> Decimal:
    """The merchant's own price when set, else the product's price under the rule."""
    return override if override is not None else price_compute(product_price, rule)


@dataclass(frozen=True)
class OverrideEdit:
    """What the merchant changed by hand in the form of a live linked offer (None: unchanged)."""

    price: Decimal | None = None
    quantity: int | None = None

    def __bool__(self) -> bool:
        return self.price is not None or self.quantity is not None


def override_edit(
    *,
    linked_live: bool,
    buy_now: bool,
    shown_price: Decimal | None,
    shown_quantity: int,
    price: Decimal | None,
    quantity: int,
) -> OverrideEdit:
    """A changed price or quantity of a live linked offer becomes the offer's own value.

    ``shown_*`` are what Allegro has now (what the form showed); only an offer that the sync
    keeps in step with a product needs an override, or the next sync round would undo the edit.
    """
    if not linked_live:
        return OverrideEdit()
    new_price = price if buy_now and price is not None and price != shown_price else None
    new_quantity = quantity if quantity != shown_quantity else None
    return OverrideEdit(price=new_price, quantity=new_quantity)
