"""Product offers, the offer listing and offer events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, ExternalId, IdRef, Money

__all__ = [
    "OfferEvent",
    "OfferEventList",
    "OfferList",
    "OfferListing",
    "OfferOperation",
    "OfferParameter",
    "OfferPublication",
    "OfferStock",
    "OfferWriteResult",
    "OperationStatus",
    "ProductOffer",
    "SellingMode",
    "Validation",
    "ValidationIssue",
]


class SellingMode(AllegroModel):
    format: str | None = None
    price: Money | None = None
    minimal_price: Money | None = None
    starting_price: Money | None = None


class OfferStock(AllegroModel):
    available: int | None = None
    unit: str | None = None
    sold: int | None = None


class OfferPublication(AllegroModel):
    status: str | None = None
    duration: str | None = None
    starting_at: datetime | None = None
    started_at: datetime | None = None
    ending_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: str | None = None
    republish: bool | None = None
    marketplaces: Any = None


class OfferParameter(AllegroModel):
    """A parameter value: ``valuesIds`` (dictionary), ``values`` or ``rangeValue``."""

    id: str | None = None
    name: str | None = None
    values: list[str] | None = None
    values_ids: list[str] | None = None
    range_value: dict[str, Any] | None = None


class ValidationIssue(AllegroModel):
    code: str | None = None
    message: str | None = None
    user_message: str | None = None
    path: str | None = None
    details: str | None = None
    metadata: dict[str, Any] | None = None


class Validation(AllegroModel):
    errors: list[ValidationIssue] | None = None
    warnings: list[ValidationIssue] | None = None
    validated_at: datetime | None = None


class ProductOffer(AllegroModel):
    """``SaleProductOfferResponseV1``; also usable as a create/patch body (unset fields are
    left out). The back office may send plain dicts instead."""

    id: str | None = None
    name: str | None = None
    product_set: list[dict[str, Any]] | None = None
    category: IdRef | None = None
    parameters: list[OfferParameter] | None = None
    selling_mode: SellingMode | None = None
    stock: OfferStock | None = None
    delivery: dict[str, Any] | None = None
    payments: dict[str, Any] | None = None
    after_sales_services: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    images: list[str] | None = None
    description: dict[str, Any] | None = None
    external: ExternalId | None = None
    publication: OfferPublication | None = None
    validation: Validation | None = None
    language: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def validation_errors(self) -> list[ValidationIssue]:
        return list(self.validation.errors or []) if self.validation else []


class OperationStatus(AllegroModel):
    id: str | None = None
    status: str | None = None
    started_at: str | None = None


class OfferOperation(AllegroModel):
    """``GET /sale/product-offers/{offerId}/operations/{operationId}`` while it runs (202)."""

    offer: IdRef | None = None
    operation: OperationStatus | None = None


@dataclass(frozen=True)
class OfferWriteResult:
    """The answer of a create or patch.

    ``status`` 200/201 means done; 202 means Allegro is still processing — ``operation_path``
    (taken from ``Location``) and ``retry_after`` tell the waiter where and when to look.
    """

    offer: ProductOffer
    status: int
    operation_path: str | None = None
    retry_after: float | None = None

    @property
    def pending(self) -> bool:
        return self.status == 202


class OfferListing(AllegroModel):
    """One entry of ``GET /sale/offers``."""

    id: str | None = None
    name: str | None = None
    category: IdRef | None = None
    primary_image: dict[str, Any] | None = None
    selling_mode: SellingMode | None = None
    sale_info: dict[str, Any] | None = None
    stock: OfferStock | None = None
    stats: dict[str, Any] | None = None
    publication: OfferPublication | None = None
    after_sales_services: dict[str, Any] | None = None
    external: ExternalId | None = None
    delivery: dict[str, Any] | None = None
    is_fulfillment: bool | None = None


class OfferList(AllegroModel):
    offers: list[OfferListing] = Field(default_factory=list)
    count: int | None = None
    total_count: int | None = None


class OfferEvent(AllegroModel):
    """One entry of ``GET /sale/offer-events`` (``type`` decides the other fields)."""

    id: str | None = None
    type: str | None = None
    occurred_at: datetime | None = None
    offer: dict[str, Any] | None = None


class OfferEventList(AllegroModel):
    offer_events: list[OfferEvent] = Field(default_factory=list)
