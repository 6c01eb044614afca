"""Customer returns (BETA) and refunds of payments to buyers."""

from __future__ import annotations

from datetime import datetime

from allegro_api.models.common import AllegroModel, IdRef, ListOrEmpty, Money

__all__ = [
    "CustomerReturn",
    "CustomerReturnBuyer",
    "CustomerReturnItem",
    "CustomerReturnItemReason",
    "CustomerReturnList",
    "CustomerReturnParcel",
    "CustomerReturnRejection",
    "RefundDelivery",
    "RefundDetails",
    "RefundLineItem",
    "RefundList",
    "RefundRequest",
]


class CustomerReturnBuyer(AllegroModel):
    email: str | None = None
    login: str | None = None


class CustomerReturnItemReason(AllegroModel):
    type: str | None = None  # MISTAKE, DAMAGED, NOT_AS_DESCRIBED, ... (open list)
    user_comment: str | None = None


class CustomerReturnItem(AllegroModel):
    """A returned offer: returns name offers, not line items."""

    offer_id: str | None = None
    quantity: int | None = None
    name: str | None = None
    price: Money | None = None
    url: str | None = None
    reason: CustomerReturnItemReason | None = None
    serial_numbers: ListOrEmpty[str] = []


class CustomerReturnParcel(AllegroModel):
    created_at: datetime | None = None
    waybill: str | None = None
    transporting_waybill: str | None = None
    carrier_id: str | None = None
    transporting_carrier_id: str | None = None


class CustomerReturnRejection(AllegroModel):
    code: str | None = None
    reason: str | None = None
    created_at: datetime | None = None


class CustomerReturn(AllegroModel):
    id: str | None = None
    is_fulfillment: bool | None = None
    created_at: datetime | None = None
    reference_number: str | None = None
    order_id: str | None = None
    buyer: CustomerReturnBuyer | None = None
    items: ListOrEmpty[CustomerReturnItem] = []
    parcels: ListOrEmpty[CustomerReturnParcel] = []
    rejection: CustomerReturnRejection | None = None
    marketplace_id: str | None = None
    status: str | None = None


class CustomerReturnList(AllegroModel):
    count: int | None = None
    customer_returns: ListOrEmpty[CustomerReturn] = []


class RefundLineItem(AllegroModel):
    """``QUANTITY`` (``quantity`` units) or ``AMOUNT`` (``value``) of one line item."""

    id: str | None = None
    type: str | None = None
    quantity: int | None = None
    value: Money | None = None


class RefundDelivery(AllegroModel):
    value: Money | None = None


class RefundRequest(AllegroModel):
    """``InitializeRefund``: ``command_id`` makes the call idempotent."""

    payment: IdRef
    order: IdRef
    command_id: str
    reason: str = "REFUND"
    line_items: list[RefundLineItem] | None = None
    delivery: RefundDelivery | None = None
    seller_comment: str | None = None


class RefundDetails(AllegroModel):
    id: str | None = None
    payment: IdRef | None = None
    order: IdRef | None = None
    reason: str | None = None
    status: str | None = None  # SUCCESS, IN_PROGRESS, NEW, CANCELED, ...
    created_at: datetime | None = None
    total_value: Money | None = None
    line_items: ListOrEmpty[RefundLineItem] = []
    delivery: RefundDelivery | None = None
    seller_comment: str | None = None


class RefundList(AllegroModel):
    refunds: ListOrEmpty[RefundDetails] = []
    count: int | None = None
    total_count: int | None = None
