"""Pure conversions for Wysyłam z Allegro: the order's receiver, the request, error fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from allegro_api.models.shipment_management import (
    CashOnDelivery,
    CommandError,
    DeliveryService,
    Dimension,
    Insurance,
    PackageRequest,
    ShipmentAddress,
    ShipmentCreateRequest,
    Weight,
)

#: Allegro's error ``path`` → the field of the parcel form it belongs to.
_FIELDS = (
    (re.compile(r"^packages\[\d+\]\.weight"), "weight"),
    (re.compile(r"^packages\[\d+\]\.type"), "package_type"),
    (re.compile(r"^packages(\[\d+\])?(\.length)?$"), "length"),
    (re.compile(r"^receiver\.point"), "point"),
    (re.compile(r"^cashOnDelivery"), "cod_amount"),
    (re.compile(r"^insurance"), "insurance"),
)


def field_for_path(path: str | None) -> str | None:
    """The form field Allegro's error ``path`` names, or None for the whole form."""
    for pattern, name in _FIELDS:
        if path and pattern.search(path):
            return name
    return None


def errors_by_field(errors: list[CommandError]) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for error in errors:
        message = error.user_message or error.message or error.code or ""
        found.setdefault(field_for_path(error.path), []).append(message)
    return found


def service_for_method(services: list[DeliveryService], method_id: str) -> DeliveryService | None:
    return next((s for s in services if s.id.delivery_method_id == method_id), None)


def receiver_from_form(raw: dict[str, Any]) -> ShipmentAddress:
    delivery = raw.get("delivery") or {}
    address = delivery.get("address") or {}
    buyer = raw.get("buyer") or {}
    name = " ".join(p for p in (address.get("firstName"), address.get("lastName")) if p)
    return ShipmentAddress(
        name=name or None,
        company=address.get("companyName") or None,
        street=address.get("street"),
        postal_code=address.get("zipCode"),
        city=address.get("city"),
        country_code=address.get("countryCode") or "PL",
        email=buyer.get("email"),
        phone=address.get("phoneNumber") or buyer.get("phoneNumber"),
        point=(delivery.get("pickupPoint") or {}).get("id"),
    )


def create_request(
    *,
    method_id: str,
    sender: ShipmentAddress,
    receiver: ShipmentAddress,
    reference: str,
    package_type: str,
    length: Decimal,
    width: Decimal,
    height: Decimal,
    weight: Decimal,
    cod_amount: Decimal | None,
    insurance: Decimal | None,
    currency: str = "PLN",
) -> ShipmentCreateRequest:
    return ShipmentCreateRequest(
        delivery_method_id=method_id,
        sender=sender,
        receiver=receiver,
        reference_number=reference[:100],
        packages=[
            PackageRequest(
                type=package_type,
                length=Dimension(value=length),
                width=Dimension(value=width),
                height=Dimension(value=height),
                # Allegro's carriers take at most two decimals (allegro/allegro-api#13550).
                weight=Weight(value=weight.quantize(Decimal("0.01"))),
            )
        ],
        cash_on_delivery=CashOnDelivery(amount=cod_amount, currency=currency)
        if cod_amount
        else None,
        insurance=Insurance(amount=insurance, currency=currency) if insurance else None,
        label_format="PDF",
    )
