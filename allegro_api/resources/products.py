"""The product catalog (``/sale/products``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from allegro_api._serialize import path_segment
from allegro_api.models.products import Product, ProductSearchResult
from allegro_api.resources._base import Resource

__all__ = ["ProductsResource"]

#: A safety stop for cursor paging.
MAX_SEARCH_PAGES = 100


class ProductsResource(Resource):
    def search(
        self,
        *,
        phrase: str | None = None,
        mode: Literal["GTIN", "MPN"] | None = None,
        category_id: str | None = None,
        language: str | None = None,
        page_id: str | None = None,
        filters: Mapping[str, str] | None = None,
        search_features: Literal["SIMILAR_CATEGORIES"] | None = None,
    ) -> ProductSearchResult:
        """One page of catalog search; pass ``next_page_id`` of the result as ``page_id``."""
        params: dict[str, Any] = dict(filters or {})
        params.update(
            {
                "phrase": phrase,
                "mode": mode,
                "category.id": category_id,
                "language": language,
                "page.id": page_id,
                "searchFeatures": search_features,
            }
        )
        return self._parse(ProductSearchResult, self._r.get_json("/sale/products", params=params))

    def iter_search(
        self,
        *,
        phrase: str | None = None,
        mode: Literal["GTIN", "MPN"] | None = None,
        category_id: str | None = None,
        language: str | None = None,
        filters: Mapping[str, str] | None = None,
        max_pages: int = MAX_SEARCH_PAGES,
    ) -> Iterator[Product]:
        """Every product of a search, following ``nextPage.id`` (at most ``max_pages`` pages)."""
        page_id: str | None = None
        for _ in range(max_pages):
            page = self.search(
                phrase=phrase,
                mode=mode,
                category_id=category_id,
                language=language,
                page_id=page_id,
                filters=filters,
            )
            yield from page.products
            page_id = page.next_page_id
            if not page_id or not page.products:
                return

    def get(
        self, product_id: str, *, category_id: str | None = None, language: str | None = None
    ) -> Product:
        data = self._r.get_json(
            f"/sale/products/{path_segment(product_id)}",
            params={"category.id": category_id, "language": language},
        )
        return self._parse(Product, data)
