"""The payment state of an order, from the money alone (every channel decides it this way)."""

from __future__ import annotations

from decimal import Decimal

from shop.orders.models import PaymentStatus


def payment_status_for(
    *,
    total: Decimal,
    paid: Decimal,
    refunded: Decimal = Decimal("0.00"),
    cash_on_delivery: bool = False,
    cancelled: bool = False,
) -> str:
    """What the buyer's money says: paid, partly paid, owed back, refunded, ...

    A cancelled order that was paid stays "paid — to refund" until a refund actually exists;
    it is never "refunded" on the strength of the cancellation alone.
    """
    if refunded > 0:
        return PaymentStatus.REFUNDED if refunded >= paid else PaymentStatus.PARTIALLY_REFUNDED
    if cancelled:
        return PaymentStatus.TO_REFUND if paid > 0 else PaymentStatus.CANCELLED
    if paid > 0 and paid >= total:
        return PaymentStatus.PAID
    if paid > 0:
        return PaymentStatus.PARTIALLY_PAID
    if cash_on_delivery:
        return PaymentStatus.CASH_ON_DELIVERY
    return PaymentStatus.PENDING
