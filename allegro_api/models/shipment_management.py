"""Wysyłam z Allegro (``/shipment-management/...``): services, shipments, labels, pickups."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer

from allegro_api.models.common import AllegroModel, ListOrEmpty

__all__ = [
    "AdditionalProperty",
    "AdditionalService",
    "CashOnDelivery",
    "CashOnDeliveryLimit",
    "CommandError",
    "CommandStatus",
    "DeliveryService",
    "DeliveryServiceId",
    "DeliveryServices",
    "Dimension",
    "Insurance",
    "LimitWithCurrency",
    "PackageRequest",
    "PickupAddress",
    "PickupCommandStatus",
    "PickupDetails",
    "PickupProposals",
    "PickupShipmentProposals",
    "PickupTime",
    "ShipmentAddress",
    "ShipmentCreateRequest",
    "ShipmentDetails",
    "ShipmentPackage",
    "TransportingInfo",
    "Weight",
]

#: Sizes and weights are JSON numbers on the wire (a string is refused), Decimals here.
Number = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]

#: The create/cancel/pickup commands' states.
COMMAND_STATUSES = ("IN_PROGRESS", "SUCCESS", "ERROR")


class DeliveryServiceId(AllegroModel):
    delivery_method_id: str | None = None
    credentials_id: str | None = None


class AdditionalService(AllegroModel):
    id: str | None = None
    name: str | None = None
    description: str | None = None


class AdditionalProperty(AllegroModel):
    id: str | None = None
    name: str | None = None
    description: str | None = None
    required: bool | None = None
    read_only: bool | None = None


class CashOnDeliveryLimit(AllegroModel):
    limit: Decimal | None = None
    currency: str | None = None
    payment_type: str | None = None
    force_require_iban: bool | None = None


class LimitWithCurrency(AllegroModel):
    limit: Decimal | None = None
    currency: str | None = None


class DeliveryService(AllegroModel):
    """One service the seller can ship with; ``id.delivery_method_id`` matches the order."""

    id: DeliveryServiceId = Field(default_factory=DeliveryServiceId)
    name: str | None = None
    carrier_id: str | None = None
    additional_services: ListOrEmpty[AdditionalService] = Field(default_factory=list)
    additional_properties: ListOrEmpty[AdditionalProperty] = Field(default_factory=list)
    owner: str | None = None  # ALLEGRO (Allegro Standard) | CLIENT (own agreement)
    marketplaces: ListOrEmpty[str] = Field(default_factory=list)
    package_types: ListOrEmpty[str] = Field(default_factory=list)
    cash_on_delivery: CashOnDeliveryLimit | None = None
    insurance: LimitWithCurrency | None = None
    features: dict[str, Any] | None = None


class DeliveryServices(AllegroModel):
    services: ListOrEmpty[DeliveryService] = Field(default_factory=list)


class ShipmentAddress(AllegroModel):
    """Sender, receiver or pickup address; ``point`` is the drop-off / pick-up point id."""

    name: str | None = None
    company: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    state: str | None = None
    country_code: str | None = None
    email: str | None = None
    phone: str | None = None
    point: str | None = None


PickupAddress = ShipmentAddress


class Dimension(AllegroModel):
    value: Number | None = None
    unit: str | None = "CENTIMETER"


class Weight(AllegroModel):
    value: Number | None = None
    unit: str | None = "KILOGRAMS"


class PackageRequest(AllegroModel):
    type: str | None = "PACKAGE"  # DOX | PACKAGE | PALLET | OTHER
    length: Dimension | None = None
    width: Dimension | None = None
    height: Dimension | None = None
    weight: Weight | None = None
    text_on_label: str | None = None


class Insurance(AllegroModel):
    amount: Decimal | None = None
    currency: str | None = None


class CashOnDelivery(AllegroModel):
    amount: Decimal | None = None
    currency: str | None = None
    owner_name: str | None = None
    iban: str | None = None


class ShipmentCreateRequest(AllegroModel):
    delivery_method_id: str | None = None
    credentials_id: str | None = None
    sender: ShipmentAddress | None = None
    receiver: ShipmentAddress | None = None
    reference_number: str | None = None
    packages: ListOrEmpty[PackageRequest] = Field(default_factory=list)
    insurance: Insurance | None = None
    cash_on_delivery: CashOnDelivery | None = None
    label_format: str | None = None  # PDF | ZPL
    additional_services: ListOrEmpty[str] = Field(default_factory=list)
    additional_properties: dict[str, str] | None = None


class CommandError(AllegroModel):
    code: str | None = None
    message: str | None = None
    details: str | None = None
    path: str | None = None
    user_message: str | None = None


class CommandStatus(AllegroModel):
    """State of a create or cancel command; ``shipment_id`` once it is ``SUCCESS``."""

    command_id: str | None = None
    status: str | None = None
    errors: ListOrEmpty[CommandError] = Field(default_factory=list)
    shipment_id: str | None = None


class PickupCommandStatus(AllegroModel):
    command_id: str | None = None
    status: str | None = None
    errors: ListOrEmpty[CommandError] = Field(default_factory=list)
    pickup_id: str | None = None
    carrier_pickup_id: str | None = None


class TransportingInfo(AllegroModel):
    carrier_id: str | None = None
    carrier_waybill: str | None = None


class ShipmentPackage(AllegroModel):
    waybill: str | None = None
    type: str | None = None
    length: Dimension | None = None
    width: Dimension | None = None
    height: Dimension | None = None
    weight: Weight | None = None
    text_on_label: str | None = None
    transporting_info: ListOrEmpty[TransportingInfo] = Field(default_factory=list)


class ShipmentDetails(AllegroModel):
    id: str | None = None
    delivery_method_id: str | None = None
    credentials_id: str | None = None
    sender: ShipmentAddress | None = None
    receiver: ShipmentAddress | None = None
    reference_number: str | None = None
    packages: ListOrEmpty[ShipmentPackage] = Field(default_factory=list)
    insurance: Insurance | None = None
    cash_on_delivery: CashOnDelivery | None = None
    created_date: datetime | None = None
    canceled_date: datetime | None = None
    carrier: str | None = None
    label_format: str | None = None
    additional_services: ListOrEmpty[str] = Field(default_factory=list)
    transport: ListOrEmpty[str] = Field(default_factory=list)
    pickup_available: bool | None = None

    @property
    def waybills(self) -> list[str]:
        return [p.waybill for p in self.packages if p.waybill]


class PickupTime(AllegroModel):
    date: str | None = None  # yyyy-MM-dd
    min_time: str | None = None
    max_time: str | None = None


class PickupShipmentProposals(AllegroModel):
    shipment_id: str | None = None
    pickup_times: ListOrEmpty[PickupTime] = Field(default_factory=list)


class PickupProposals(AllegroModel):
    proposals: ListOrEmpty[PickupShipmentProposals] = Field(default_factory=list)
    address: ShipmentAddress | None = None


class PickupDetails(AllegroModel):
    id: str | None = None
    carrier_pickup_id: str | None = None
    carrier: str | None = None
    pickup_carrier: str | None = None
    address: ShipmentAddress | None = None
    shipment_ids: ListOrEmpty[str] = Field(default_factory=list)
    waybills: ListOrEmpty[str] = Field(default_factory=list)
