"""Shipping-rate sets and delivery methods."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef, Money

__all__ = [
    "DeliveryMethod",
    "DeliveryMethodList",
    "PackageWeight",
    "ShippingRate",
    "ShippingRateSummary",
    "ShippingRatesList",
    "ShippingRatesSet",
    "ShippingTime",
]


class PackageWeight(AllegroModel):
    value: Decimal | None = None
    unit: str | None = None


class ShippingTime(AllegroModel):
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class ShippingRate(AllegroModel):
    delivery_method: IdRef | None = None
    max_quantity_per_package: int | None = None
    max_package_weight: PackageWeight | None = None
    first_item_rate: Money | None = None
    shipping_time: ShippingTime | None = None


class ShippingRatesSet(AllegroModel):
    """A seller's price list (``ShippingRatesSet``); usable as request and response."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    dispatch_country: str | None = None
    rates: list[ShippingRate] | None = None
    last_modified: str | None = None
    features: dict[str, Any] | None = None


class ShippingRateSummary(AllegroModel):
    id: str | None = None
    name: str | None = None
    features: dict[str, Any] | None = None
    marketplaces: list[IdRef] | None = None


class ShippingRatesList(AllegroModel):
    shipping_rates: list[ShippingRateSummary] = Field(default_factory=list)


class DeliveryMethod(AllegroModel):
    id: str | None = None
    name: str | None = None
    marketplaces: list[str] | None = None
    payment_policy: str | None = None
    allegro_endorsed: bool | None = None
    dispatch_country: str | None = None
    destination_country: str | None = None
    shipping_rates_constraints: dict[str, Any] | None = None


class DeliveryMethodList(AllegroModel):
    delivery_methods: list[DeliveryMethod] = Field(default_factory=list)
