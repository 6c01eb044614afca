"""Catalog products (``/sale/products``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef

__all__ = [
    "CategoryPathItem",
    "Product",
    "ProductCategory",
    "ProductImage",
    "ProductParameter",
    "ProductSearchResult",
]


class CategoryPathItem(AllegroModel):
    id: str | None = None
    name: str | None = None


class ProductCategory(AllegroModel):
    id: str | None = None
    path: list[CategoryPathItem] | None = None
    similar: list[Any] | None = None


class ProductImage(AllegroModel):
    url: str | None = None


class ProductParameter(AllegroModel):
    id: str | None = None
    name: str | None = None
    values: list[str] | None = None
    values_ids: list[str] | None = None
    values_labels: list[str] | None = None
    range_value: dict[str, Any] | None = None
    unit: str | None = None
    options: dict[str, Any] | None = None


class Product(AllegroModel):
    id: str | None = None
    name: str | None = None
    category: ProductCategory | None = None
    images: list[ProductImage] | None = None
    parameters: list[ProductParameter] | None = None
    description: dict[str, Any] | None = None
    product_safety: dict[str, Any] | None = None
    publication: dict[str, Any] | None = None


class ProductSearchResult(AllegroModel):
    products: list[Product] = Field(default_factory=list)
    categories: dict[str, Any] | None = None
    filters: list[dict[str, Any]] | None = None
    next_page: IdRef | None = None

    @property
    def next_page_id(self) -> str | None:
        return self.next_page.id if self.next_page else None
