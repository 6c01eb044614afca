"""Commission refund claims (``/order/refund-claims``, "wnioski o rabat transakcyjny")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from allegro_api.models.common import AllegroModel, IdRef, ListOrEmpty

__all__ = [
    "RefundClaim",
    "RefundClaimCommission",
    "RefundClaimCreated",
    "RefundClaimLineItem",
    "RefundClaimList",
]


class RefundClaimCommission(AllegroModel):
    """Gross commission at stake; the spec sends the amount as a JSON number."""

    amount: Decimal | None = None
    currency: str | None = None


class RefundClaimLineItem(AllegroModel):
    id: str | None = None
    quantity: int | None = None  # bought, not claimed
    bought_at: datetime | None = None
    offer: IdRef | None = None


class RefundClaim(AllegroModel):
    id: str | None = None
    # IN_PROGRESS, WAITING_FOR_PAYMENT_REFUND, GRANTED, REJECTED, REJECTED_AFTER_APPEAL,
    # CANCELLED, APPEALED
    status: str | None = None
    quantity: int | None = None
    commission: RefundClaimCommission | None = None
    buyer: IdRef | None = None
    created_at: datetime | None = None
    line_item: RefundClaimLineItem | None = None
    type: str | None = None  # MANUAL or AUTOMATIC


class RefundClaimList(AllegroModel):
    refund_claims: ListOrEmpty[RefundClaim] = []
    count: int | None = None


class RefundClaimCreated(AllegroModel):
    id: str | None = None
