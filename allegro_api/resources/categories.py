"""Category tree, category parameters and category suggestions."""

from __future__ import annotations

from allegro_api._serialize import path_segment
from allegro_api.models.categories import (
    Category,
    CategoryList,
    CategoryParameterList,
    MatchingCategoryList,
)
from allegro_api.resources._base import Resource

__all__ = ["CategoriesResource"]


class CategoriesResource(Resource):
    def list(self, *, parent_id: str | None = None) -> CategoryList:
        """Children of ``parent_id`` (the main categories when omitted)."""
        data = self._r.get_json("/sale/categories", params={"parent.id": parent_id})
        return self._parse(CategoryList, data)

    def get(self, category_id: str) -> Category:
        return self._parse(
            Category, self._r.get_json(f"/sale/categories/{path_segment(category_id)}")
        )

    def parameters(self, category_id: str) -> CategoryParameterList:
        """Offer and product parameters of a leaf category (``requiredIf``/``displayedIf`` kept)."""
        data = self._r.get_json(f"/sale/categories/{path_segment(category_id)}/parameters")
        return self._parse(CategoryParameterList, data)

    def matching(self, *, name: str) -> MatchingCategoryList:
        """Category suggestions for an offer title (``GET /sale/matching-categories``)."""
        data = self._r.get_json("/sale/matching-categories", params={"name": name})
        return self._parse(MatchingCategoryList, data)
