"""After-sales conditions: return policies, implied warranties, warranties."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef

__all__ = [
    "AfterSalesAddress",
    "ImpliedWarranty",
    "ImpliedWarrantyList",
    "ReturnPolicy",
    "ReturnPolicyList",
    "Warranty",
    "WarrantyList",
]


class AfterSalesAddress(AllegroModel):
    name: str | None = None
    street: str | None = None
    post_code: str | None = None
    city: str | None = None
    country_code: str | None = None


class ReturnPolicy(AllegroModel):
    id: str | None = None
    is_fulfillment: bool | None = None
    seller: IdRef | None = None
    name: str | None = None
    availability: dict[str, Any] | None = None
    withdrawal_period: str | None = None
    return_cost: dict[str, Any] | None = None
    address: AfterSalesAddress | None = None
    contact: dict[str, Any] | None = None
    options: dict[str, Any] | None = None


class ReturnPolicyList(AllegroModel):
    count: int | None = None
    return_policies: list[ReturnPolicy] = Field(default_factory=list)


class ImpliedWarranty(AllegroModel):
    id: str | None = None
    seller: IdRef | None = None
    name: str | None = None
    individual: dict[str, Any] | None = None
    corporate: dict[str, Any] | None = None
    address: AfterSalesAddress | None = None
    description: str | None = None


class ImpliedWarrantyList(AllegroModel):
    count: int | None = None
    implied_warranties: list[ImpliedWarranty] = Field(default_factory=list)


class Warranty(AllegroModel):
    id: str | None = None
    seller: IdRef | None = None
    name: str | None = None
    type: str | None = None
    individual: dict[str, Any] | None = None
    corporate: dict[str, Any] | None = None
    attachment: dict[str, Any] | None = None
    description: str | None = None


class WarrantyList(AllegroModel):
    count: int | None = None
    warranties: list[Warranty] = Field(default_factory=list)
