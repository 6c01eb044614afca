"""Money is Decimal everywhere; Allegro wants amounts as strings with two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_wire(amount: Decimal) -> str:
    return str(quantize(amount))


# The largest number a person may type into an amount or weight field: far above any price or
# parcel, and small enough that sums and quantize() stay inside Decimal's 28-digit precision.
INPUT_LIMIT = Decimal(999999999)


def within_input_limit(value: Decimal) -> bool:
    """A typed number that arithmetic can handle: finite, at most ``INPUT_LIMIT`` either way."""
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return abs(value) <= INPUT_LIMIT and isinstance(exponent, int) and exponent >= -6


def money_or_none(value: object) -> Decimal | None:
    """A stored amount (``"39.99"``, a number) as a Decimal to show; None when it is not one."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except ArithmeticError:
        return None
    return quantize(amount) if amount.is_finite() else None
