"""Order events, checkout forms, shipments and carriers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, ExternalId, IdRef, Money

__all__ = [
    "Buyer",
    "Carrier",
    "CarrierList",
    "CheckoutForm",
    "CheckoutFormList",
    "Delivery",
    "Fulfillment",
    "LatestEvent",
    "LineItem",
    "LineItemOffer",
    "OrderEvent",
    "OrderEventList",
    "OrderEventStats",
    "Payment",
    "Shipment",
    "ShipmentList",
]


class LineItemOffer(AllegroModel):
    id: str | None = None
    name: str | None = None
    external: ExternalId | None = None
    product_set: Any = None


class LineItem(AllegroModel):
    id: str | None = None
    offer: LineItemOffer | None = None
    quantity: int | None = None
    original_price: Money | None = None
    price: Money | None = None
    bought_at: datetime | None = None
    tax: dict[str, Any] | None = None
    discounts: list[dict[str, Any]] | None = None


class Buyer(AllegroModel):
    id: str | None = None
    email: str | None = None
    login: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    guest: bool | None = None
    phone_number: str | None = None
    address: dict[str, Any] | None = None
    preferences: dict[str, Any] | None = None


class Payment(AllegroModel):
    id: str | None = None
    type: str | None = None
    provider: str | None = None
    finished_at: datetime | None = None
    paid_amount: Money | None = None


class Fulfillment(AllegroModel):
    status: str | None = None
    shipment_summary: dict[str, Any] | None = None
    provider: IdRef | None = None


class Delivery(AllegroModel):
    address: dict[str, Any] | None = None
    method: IdRef | None = None
    pickup_point: dict[str, Any] | None = None
    cost: Money | None = None
    time: dict[str, Any] | None = None
    smart: bool | None = None
    cancellation: dict[str, Any] | None = None
    calculated_number_of_packages: int | None = None


class CheckoutForm(AllegroModel):
    id: str | None = None
    status: str | None = None
    message_to_seller: str | None = None
    buyer: Buyer | None = None
    payment: Payment | None = None
    fulfillment: Fulfillment | None = None
    delivery: Delivery | None = None
    invoice: dict[str, Any] | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    surcharges: list[Payment] | None = None
    note: dict[str, Any] | None = None
    marketplace: IdRef | None = None
    summary: dict[str, Any] | None = None
    updated_at: datetime | None = None
    revision: str | None = None


class CheckoutFormList(AllegroModel):
    checkout_forms: list[CheckoutForm] = Field(default_factory=list)
    count: int | None = None
    total_count: int | None = None


class OrderEvent(AllegroModel):
    id: str | None = None
    type: str | None = None
    occurred_at: datetime | None = None
    order: dict[str, Any] | None = None

    @property
    def checkout_form_id(self) -> str | None:
        form = (self.order or {}).get("checkoutForm")
        return str(form["id"]) if isinstance(form, dict) and form.get("id") else None


class OrderEventList(AllegroModel):
    events: list[OrderEvent] = Field(default_factory=list)


class LatestEvent(AllegroModel):
    id: str | None = None
    occurred_at: datetime | None = None


class OrderEventStats(AllegroModel):
    latest_event: LatestEvent | None = None


class Shipment(AllegroModel):
    id: str | None = None
    waybill: str | None = None
    carrier_id: str | None = None
    carrier_name: str | None = None
    line_items: list[IdRef] | None = None
    created_at: datetime | None = None


class ShipmentList(AllegroModel):
    shipments: list[Shipment] = Field(default_factory=list)


class Carrier(AllegroModel):
    id: str | None = None
    name: str | None = None


class CarrierList(AllegroModel):
    carriers: list[Carrier] = Field(default_factory=list)
