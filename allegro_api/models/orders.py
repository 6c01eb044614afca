"""Order events, checkout forms, shipments and carriers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from allegro_api.models.common import (
    AllegroModel,
    ExternalId,
    IdRef,
    ListOrEmpty,
    Money,
    NamedRef,
)

__all__ = [
    "AdditionalService",
    "Buyer",
    "BuyerAddress",
    "BuyerPreferences",
    "Carrier",
    "CarrierList",
    "CheckoutForm",
    "CheckoutFormList",
    "CodBookedPayment",
    "CompanyId",
    "Delivery",
    "DeliveryAddress",
    "DeliveryCancellation",
    "DeliveryTime",
    "Discount",
    "Fulfillment",
    "Invoice",
    "InvoiceAddress",
    "InvoiceCompany",
    "LatestEvent",
    "LineItem",
    "LineItemDeposit",
    "LineItemOffer",
    "LineItemReconciliation",
    "LineItemTax",
    "NaturalPerson",
    "Note",
    "OrderEvent",
    "OrderEventList",
    "OrderEventStats",
    "Payment",
    "PickupPoint",
    "PickupPointAddress",
    "Shipment",
    "ShipmentList",
    "ShipmentSummary",
    "Summary",
    "TimeRange",
    "Voucher",
]

# Checkout forms as the spec (``CheckoutForm`` and its parts) describes them. Enumerations stay
# plain strings: Allegro adds values without notice, and an unknown one must not fail a form.


class LineItemOffer(AllegroModel):
    id: str | None = None
    name: str | None = None
    external: ExternalId | None = None
    product_set: Any = None
    hs_number: str | None = None


class LineItemTax(AllegroModel):
    rate: str | None = None  # "23.00"; a string in the spec
    subject: str | None = None
    exemption: str | None = None


class LineItemReconciliation(AllegroModel):
    value: Money | None = None
    type: str | None = None
    quantity: int | None = None


class LineItemDeposit(AllegroModel):
    price: Money | None = None  # per unit of the offer (the sum of a set's deposits)


class AdditionalService(AllegroModel):
    definition_id: str | None = None
    name: str | None = None
    price: Money | None = None
    quantity: int | None = None


class Voucher(AllegroModel):
    code: str | None = None
    type: str | None = None
    status: str | None = None
    external_transaction_id: str | None = None
    value: Money | None = None


class Discount(AllegroModel):
    type: str | None = None


class LineItem(AllegroModel):
    id: str | None = None
    offer: LineItemOffer | None = None
    quantity: int | None = None
    original_price: Money | None = None
    price: Money | None = None
    deposit: LineItemDeposit | None = None
    reconciliation: LineItemReconciliation | None = None
    selected_additional_services: list[AdditionalService] | None = None
    vouchers: list[Voucher] | None = None
    tax: LineItemTax | None = None
    bought_at: datetime | None = None
    discounts: list[Discount] | None = None


class BuyerAddress(AllegroModel):
    street: str | None = None
    city: str | None = None
    post_code: str | None = None
    country_code: str | None = None


class BuyerPreferences(AllegroModel):
    language: str | None = None


class Buyer(AllegroModel):
    id: str | None = None
    email: str | None = None
    login: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    guest: bool | None = None
    personal_identity: str | None = None
    phone_number: str | None = None
    address: BuyerAddress | None = None
    preferences: BuyerPreferences | None = None


class Payment(AllegroModel):
    id: str | None = None
    type: str | None = None
    provider: str | None = None
    finished_at: datetime | None = None
    paid_amount: Money | None = None
    reconciliation: Money | None = None
    features: list[str] | None = None


class CodBookedPayment(AllegroModel):
    payment_id: str | None = None
    shipment_id: str | None = None
    paid_amount: Money | None = None
    paid_at: datetime | None = None


class ShipmentSummary(AllegroModel):
    line_items_sent: str | None = None  # NONE | SOME | ALL


class Fulfillment(AllegroModel):
    status: str | None = None
    shipment_summary: ShipmentSummary | None = None
    provider: IdRef | None = None


class DeliveryAddress(AllegroModel):
    first_name: str | None = None
    last_name: str | None = None
    street: str | None = None
    city: str | None = None
    zip_code: str | None = None
    country_code: str | None = None
    company_name: str | None = None
    phone_number: str | None = None
    modified_at: str | None = None


class PickupPointAddress(AllegroModel):
    street: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None


class PickupPoint(AllegroModel):
    id: str | None = None
    name: str | None = None
    description: str | None = None
    address: PickupPointAddress | None = None


class TimeRange(AllegroModel):
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None


class DeliveryTime(TimeRange):
    guaranteed: TimeRange | None = None
    dispatch: TimeRange | None = None


class DeliveryCancellation(AllegroModel):
    date: datetime | None = None


class Delivery(AllegroModel):
    address: DeliveryAddress | None = None
    method: NamedRef | None = None
    pickup_point: PickupPoint | None = None
    cost: Money | None = None
    time: DeliveryTime | None = None
    smart: bool | None = None
    cancellation: DeliveryCancellation | None = None
    calculated_number_of_packages: int | None = None


class CompanyId(AllegroModel):
    type: str | None = None  # PL_NIP, VAT_EU, ...
    value: str | None = None


class InvoiceCompany(AllegroModel):
    name: str | None = None
    ids: list[CompanyId] | None = None
    vat_payer_status: str | None = None
    tax_id: str | None = None  # deprecated in favour of ``ids``


class NaturalPerson(AllegroModel):
    first_name: str | None = None
    last_name: str | None = None


class InvoiceAddress(AllegroModel):
    street: str | None = None
    city: str | None = None
    zip_code: str | None = None
    country_code: str | None = None
    company: InvoiceCompany | None = None
    natural_person: NaturalPerson | None = None


class Invoice(AllegroModel):
    required: bool | None = None
    address: InvoiceAddress | None = None
    due_date: str | None = None
    features: list[str] | None = None


class Note(AllegroModel):
    text: str | None = None


class Summary(AllegroModel):
    total_to_pay: Money | None = None


class CheckoutForm(AllegroModel):
    id: str | None = None
    status: str | None = None
    message_to_seller: str | None = None
    buyer: Buyer | None = None
    payment: Payment | None = None
    fulfillment: Fulfillment | None = None
    delivery: Delivery | None = None
    invoice: Invoice | None = None
    line_items: ListOrEmpty[LineItem] = Field(default_factory=list)
    surcharges: list[Payment] | None = None
    cod_booked_payments: list[CodBookedPayment] | None = None
    discounts: list[Discount] | None = None  # sent by Allegro, missing from the spec
    note: Note | None = None
    marketplace: IdRef | None = None
    summary: Summary | None = None
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
