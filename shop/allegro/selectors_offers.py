from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from shop.allegro.models import AllegroAccount, AllegroOffer

SORTS = {
    "updated": "-updated_at",
    "-updated": "updated_at",
    "name": "name",
    "price": "price",
    "-price": "-price",
    "stock": "stock_available",
    "-stock": "-stock_available",
    "sold": "-stock_sold",
}


@dataclass(frozen=True)
class OfferFilters:
    status: str = ""
    category: str = ""
    linked: str = ""  # "yes" | "no" | ""
    errors: bool = False
    q: str = ""
    sort: str = "updated"


def offers_for_list(*, account: AllegroAccount, filters: OfferFilters) -> QuerySet[AllegroOffer]:
    """The offer list's rows: one query for the page, whatever the filters."""
    qs = AllegroOffer.objects.filter(account=account).select_related("product")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.linked == "yes":
        qs = qs.filter(product__isnull=False)
    elif filters.linked == "no":
        qs = qs.filter(product__isnull=True)
    if filters.errors:
        qs = qs.filter(has_errors=True)
    if filters.q:
        term = filters.q.strip()
        # The external id is the product's SKU, so no join is needed to find offers by SKU.
        qs = qs.filter(Q(name__icontains=term) | Q(allegro_id=term) | Q(external_id__iexact=term))
    order = SORTS.get(filters.sort, "-updated_at")
    return qs.order_by(order, "-id").only(
        "id",
        "allegro_id",
        "external_id",
        "status",
        "name",
        "category_id",
        "selling_format",
        "price",
        "starting_price",
        "stock_available",
        "stock_sold",
        "image_url",
        "has_errors",
        "validation_errors",
        "last_error",
        "created_at",
        "updated_at",
        "published_at",
        "ends_at",
        "product__id",
        "product__name",
        "product__sku",
    )


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: beyond that the page shows "more than" instead of scanning
    every match of a broad search."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.cap
