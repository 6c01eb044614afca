"""After-sales conditions: return policies, implied warranties and warranties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from pydantic import BaseModel

from allegro_api._serialize import path_segment
from allegro_api._transport import Requester
from allegro_api.models.after_sales import (
    ImpliedWarranty,
    ImpliedWarrantyList,
    ReturnPolicy,
    ReturnPolicyList,
    Warranty,
    WarrantyList,
)
from allegro_api.resources._base import Body, Resource

__all__ = [
    "AfterSalesResource",
    "ImpliedWarrantiesResource",
    "ReturnPoliciesResource",
    "WarrantiesResource",
]

ItemT = TypeVar("ItemT", bound=BaseModel)
ListT = TypeVar("ListT", bound=BaseModel)

#: Allegro's page size limit for after-sales lists (``limit`` ≤ 60, ``offset`` ≤ 59).
PAGE_LIMIT = 60


class _Conditions(Resource, Generic[ItemT, ListT]):
    path: str
    item_model: type[ItemT]
    list_model: type[ListT]
    list_field: str

    def list(self, *, limit: int = PAGE_LIMIT, offset: int = 0) -> ListT:
        data = self._r.get_json(self.path, params={"limit": limit, "offset": offset})
        return self._parse(self.list_model, data)

    def iter_all(self) -> Iterator[ItemT]:
        """Every item the seller has, within the offset cap the API allows."""
        offset = 0
        while True:
            page = self.list(limit=PAGE_LIMIT, offset=offset)
            items: list[ItemT] = getattr(page, self.list_field)
            yield from items
            offset += len(items)
            if len(items) < PAGE_LIMIT or offset > PAGE_LIMIT - 1:
                return

    def get(self, item_id: str) -> ItemT:
        return self._parse(
            self.item_model, self._r.get_json(f"{self.path}/{path_segment(item_id)}")
        )

    def create(self, body: ItemT | Body) -> ItemT:
        """Create a condition set (not retried on ambiguous failures)."""
        return self._parse(self.item_model, self._r.send_json("POST", self.path, body))

    def update(self, item_id: str, body: ItemT | Body) -> ItemT:
        path = f"{self.path}/{path_segment(item_id)}"
        return self._parse(self.item_model, self._r.send_json("PUT", path, body))


class ReturnPoliciesResource(_Conditions[ReturnPolicy, ReturnPolicyList]):
    path = "/after-sales-service-conditions/return-policies"
    item_model = ReturnPolicy
    list_model = ReturnPolicyList
    list_field = "return_policies"

    def delete(self, item_id: str) -> None:
        """Delete a return policy (the only kind that can be deleted)."""
        self._r.request("DELETE", f"{self.path}/{path_segment(item_id)}")


class ImpliedWarrantiesResource(_Conditions[ImpliedWarranty, ImpliedWarrantyList]):
    path = "/after-sales-service-conditions/implied-warranties"
    item_model = ImpliedWarranty
    list_model = ImpliedWarrantyList
    list_field = "implied_warranties"


class WarrantiesResource(_Conditions[Warranty, WarrantyList]):
    path = "/after-sales-service-conditions/warranties"
    item_model = Warranty
    list_model = WarrantyList
    list_field = "warranties"


class AfterSalesResource:
    """``client.after_sales.return_policies`` / ``.implied_warranties`` / ``.warranties``."""

    def __init__(self, requester: Requester) -> None:
        self.return_policies = ReturnPoliciesResource(requester)
        self.implied_warranties = ImpliedWarrantiesResource(requester)
        self.warranties = WarrantiesResource(requester)
