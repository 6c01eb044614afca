"""Product offers, the offer listing and offer events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, ExternalId, IdRef, Money

__all__ = [
    "DescriptionItem",
    "DescriptionSection",
    "ImageRef",
    "OfferAfterSalesServices",
    "OfferDelivery",
    "OfferDescription",
    "OfferEvent",
    "OfferEventList",
    "OfferList",
    "OfferListing",
    "OfferLocation",
    "OfferOperation",
    "OfferParameter",
    "OfferPayments",
    "OfferPublication",
    "OfferStock",
    "OfferWriteResult",
    "OperationStatus",
    "ParameterRange",
    "ProductOffer",
    "ProductSetElement",
    "ProductSetProduct",
    "ProductSetQuantity",
    "ResponsibleProducer",
    "SafetyInformation",
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


class ParameterRange(AllegroModel):
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class OfferParameter(AllegroModel):
    """A parameter value: ``valuesIds`` (dictionary), ``values`` or ``rangeValue``."""

    id: str | None = None
    name: str | None = None
    values: list[str] | None = None
    values_ids: list[str] | None = None
    range_value: ParameterRange | None = None


class ProductSetProduct(AllegroModel):
    """``productSet[].product``: a catalog product by ``id``, or one described in the offer."""

    id: str | None = None
    name: str | None = None
    category: IdRef | None = None
    parameters: list[OfferParameter] | None = None
    images: list[str] | None = None


class ProductSetQuantity(AllegroModel):
    value: int | None = None


class ResponsibleProducer(AllegroModel):
    """``ID`` (a stored producer) or ``NAME`` (just its name)."""

    type: str | None = None
    id: str | None = None
    name: str | None = None


class SafetyInformation(AllegroModel):
    """``TEXT`` (with ``description``), ``ATTACHMENTS`` or ``NO_SAFETY_INFORMATION``."""

    type: str | None = None
    description: str | None = None


class ProductSetElement(AllegroModel):
    product: ProductSetProduct | None = None
    quantity: ProductSetQuantity | None = None
    responsible_producer: ResponsibleProducer | None = None
    safety_information: SafetyInformation | None = None
    # The camelCase generator would spell it "Gpsr"; Allegro writes "GPSR".
    marketed_before_gpsr_obligation: bool | None = Field(
        default=None, alias="marketedBeforeGPSRObligation"
    )


class OfferDelivery(AllegroModel):
    handling_time: str | None = None
    shipping_rates: IdRef | None = None
    additional_info: str | None = None
    shipment_date: str | None = None


class OfferPayments(AllegroModel):
    invoice: str | None = None


class OfferAfterSalesServices(AllegroModel):
    return_policy: IdRef | None = None
    implied_warranty: IdRef | None = None
    warranty: IdRef | None = None


class OfferLocation(AllegroModel):
    country_code: str | None = None
    province: str | None = None
    city: str | None = None
    post_code: str | None = None


class DescriptionItem(AllegroModel):
    """``TEXT`` (HTML in ``content``) or ``IMAGE`` (``url``)."""

    type: str | None = None
    content: str | None = None
    url: str | None = None


class DescriptionSection(AllegroModel):
    items: list[DescriptionItem] | None = None


class OfferDescription(AllegroModel):
    sections: list[DescriptionSection] | None = None


class ImageRef(AllegroModel):
    url: str | None = None


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
    product_set: list[ProductSetElement] | None = None
    category: IdRef | None = None
    parameters: list[OfferParameter] | None = None
    selling_mode: SellingMode | None = None
    stock: OfferStock | None = None
    delivery: OfferDelivery | None = None
    payments: OfferPayments | None = None
    after_sales_services: OfferAfterSalesServices | None = None
    location: OfferLocation | None = None
    images: list[str] | None = None
    description: OfferDescription | None = None
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
    primary_image: ImageRef | None = None
    selling_mode: SellingMode | None = None
    sale_info: dict[str, Any] | None = None
    stock: OfferStock | None = None
    stats: dict[str, Any] | None = None
    publication: OfferPublication | None = None
    after_sales_services: OfferAfterSalesServices | None = None
    external: ExternalId | None = None
    delivery: OfferDelivery | None = None
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
