"""Shipping-rate sets and delivery methods."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef, Money

__all__ = [
    "DeliveryMethod",
    "DeliveryMethodList",
    "FirstItemRateRule",
    "MaxQuantityRule",
    "PackageWeight",
    "PackageWeightRule",
    "ShippingRate",
    "ShippingRateSummary",
    "ShippingRatesConstraints",
    "ShippingRatesList",
    "ShippingRatesSet",
    "ShippingTime",
    "ShippingTimeRule",
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
    # Removed from the API on 2026-09-29; lists stored before then may still carry it.
    next_item_rate: Money | None = None


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


class MaxQuantityRule(AllegroModel):
    max: int | None = None


class PackageWeightRule(AllegroModel):
    """Limits of ``maxPackageWeight``; ``min``/``max`` are decimal strings (``"15.000"``)."""

    supported: bool | None = None
    min: str | None = None
    max: str | None = None
    unit: str | None = None


class FirstItemRateRule(AllegroModel):
    """Limits of ``firstItemRate``; ``min``/``max`` are decimal strings (``"8.99"``)."""

    min: str | None = None
    max: str | None = None
    currency: str | None = None


class ShippingTimeRule(AllegroModel):
    default: ShippingTime | None = None
    customizable: bool | None = None


class ShippingRatesConstraints(AllegroModel):
    """A delivery method's ``shippingRatesConstraints``: what a price list may set for it."""

    allowed: bool | None = None
    max_quantity_per_package: MaxQuantityRule | None = None
    max_package_weight: PackageWeightRule | None = None
    first_item_rate: FirstItemRateRule | None = None
    shipping_time: ShippingTimeRule | None = None


class DeliveryMethod(AllegroModel):
    id: str | None = None
    name: str | None = None
    marketplaces: list[str] | None = None
    payment_policy: str | None = None
    allegro_endorsed: bool | None = None
    dispatch_country: str | None = None
    destination_country: str | None = None
    shipping_rates_constraints: ShippingRatesConstraints | None = None


class DeliveryMethodList(AllegroModel):
    delivery_methods: list[DeliveryMethod] = Field(default_factory=list)
