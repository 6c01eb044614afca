"""Money is Decimal everywhere; Allegro wants amounts as strings with two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_wire(amount: Decimal) -> str:
    return str(quantize(amount))
