"""The seller's ratings from buyers (``/sale/user-ratings``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from allegro_api.models.common import AllegroModel, ListOrEmpty

__all__ = [
    "RatingAnswer",
    "RatingBuyer",
    "RatingOrder",
    "RatingOrderOffer",
    "RatingRates",
    "RatingRemoval",
    "RatingRemovalRequest",
    "UserRating",
    "UserRatingList",
]


class RatingAnswer(AllegroModel):
    created_at: datetime | None = None
    message: str | None = None


class RatingBuyer(AllegroModel):
    id: str | None = None
    login: str | None = None


class RatingOrderOffer(AllegroModel):
    id: str | None = None
    title: str | None = None


class RatingOrder(AllegroModel):
    id: str | None = None  # the checkout form id
    offers: ListOrEmpty[RatingOrderOffer] = Field(default_factory=list)


class RatingRates(AllegroModel):
    delivery: int | None = None
    delivery_cost: int | None = None
    description: int | None = None
    service: int | None = None


class RatingRemovalRequest(AllegroModel):
    created_at: datetime | None = None
    message: str | None = None
    source: str | None = None  # SELLER | ADMIN


class RatingRemoval(AllegroModel):
    """``possibleTo``: until when the seller may ask; ``request``: the request once sent."""

    possible_to: datetime | None = None
    request: RatingRemovalRequest | None = None


class UserRating(AllegroModel):
    id: str
    buyer: RatingBuyer | None = None
    comment: str | None = None
    created_at: datetime | None = None
    edited_at: datetime | None = None
    last_changed_at: datetime | None = None
    recommended: bool | None = None
    excluded_from_average_rates: bool | None = None
    excluded_from_average_rates_reason: str | None = None
    order: RatingOrder | None = None
    rates: RatingRates | None = None
    answer: RatingAnswer | None = None
    removal: RatingRemoval | None = None


class UserRatingList(AllegroModel):
    ratings: ListOrEmpty[UserRating] = Field(default_factory=list)
