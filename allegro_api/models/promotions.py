"""Promotion packages and per-offer promo options."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from allegro_api.models.common import AllegroModel

__all__ = [
    "OfferPromoOption",
    "OfferPromoOptions",
    "PromoOptionsModification",
    "PromotionPackage",
    "PromotionPackages",
]


class PromotionPackage(AllegroModel):
    id: str | None = None
    name: str | None = None
    cycle_duration: str | None = None


class PromotionPackages(AllegroModel):
    marketplace_id: str | None = None
    base_packages: list[PromotionPackage] = Field(default_factory=list)
    extra_packages: list[PromotionPackage] = Field(default_factory=list)
    additional_marketplaces: list[PromotionPackages] | None = None


class OfferPromoOption(AllegroModel):
    id: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    next_cycle_date: datetime | None = None


class OfferPromoOptions(AllegroModel):
    offer_id: str | None = None
    marketplace_id: str | None = None
    base_package: OfferPromoOption | None = None
    extra_packages: list[OfferPromoOption] | None = None
    pending_changes: dict[str, OfferPromoOption | None] | None = None
    additional_marketplaces: list[OfferPromoOptions] | None = None


class PromoOptionsModification(AllegroModel):
    """One change: ``CHANGE`` to a package, or remove it now / at the end of the cycle."""

    modification_type: Literal["CHANGE", "REMOVE_WITH_END_OF_CYCLE", "REMOVE_NOW"]
    package_type: Literal["BASE", "EXTRA"]
    package_id: str
