from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shop.allegro.common.selectors import badge_count, menu_badge
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferLinkStatus, OfferStatus
from shop.allegro.models.sync import CommandStatus, OfferSync, SyncCommand
from shop.allegro.offers import link_evidence as rules
from shop.catalog.models import ProductImage
from shop.core.http import parse_id

# Deeper pages than anyone reads; also keeps the OFFSET inside every database's integer range.
MAX_PAGE = 100_000

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
    sold_out: bool = False  # ended by the stock sync for lack of stock
    q: str = ""
    sort: str = "updated"


def offer_ids_for_list(*, account: AllegroAccount, filters: OfferFilters) -> QuerySet[AllegroOffer]:
    """The ids of the offer list's rows in display order.

    The list pages through ids alone (an index-only walk even deep into 100,000 offers) and
    reads the 50 rows of the page afterwards with ``offers_by_ids``.
    """
    qs = AllegroOffer.objects.filter(account=account)
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
    if filters.sold_out:
        qs = qs.filter(status=OfferStatus.ENDED, sync__ended_by_sync=True)
    if filters.q:
        term = filters.q.strip()
        # The external id is the product's SKU, so no join is needed to find offers by SKU.
        qs = qs.filter(Q(name__icontains=term) | Q(allegro_id=term) | Q(external_id__iexact=term))
    order = SORTS.get(filters.sort, "-updated_at")
    tie = "id" if order in {"price", "stock_available", "name"} else "-id"
    return qs.order_by(order, tie).values_list("id", flat=True)  # type: ignore[return-value]


def offers_by_ids(ids: list[int]) -> list[AllegroOffer]:
    """The rows of one page, in the order of ``ids``, with their products (one query)."""
    rows = (
        AllegroOffer.objects.filter(pk__in=ids)
        .select_related("product")
        .annotate(
            has_override=Exists(
                OfferSync.objects.filter(offer=OuterRef("pk")).exclude(
                    price_override=None, quantity_override=None
                )
            )
        )
        .only(
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
            "link_status",
            "product__id",
            "product__name",
            "product__sku",
        )
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


@dataclass
class SearchPaginator:
    """Pages of search results without counting them: a search over a large account would
    scan every offer twice (count and page); one page plus one row says whether there is more."""

    count: None = None
    num_pages: None = None


@dataclass
class SearchPage:
    object_list: list[Any]
    number: int
    has_next: bool
    paginator: SearchPaginator = field(default_factory=SearchPaginator)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def search_page(ids: QuerySet[Any], number: str | None, per_page: int) -> SearchPage:
    page = min(parse_id(number) or 1, MAX_PAGE)
    start = (page - 1) * per_page
    found = list(ids[start : start + per_page + 1])
    return SearchPage(object_list=found[:per_page], number=page, has_next=len(found) > per_page)


# -- end/resume commands sent from the offer list --------------------------------------------------


@dataclass(frozen=True)
class OfferCommandResult:
    allegro_id: str
    offer: AllegroOffer | None
    state: str  # "pending" | "success" | "failed"
    message: str = ""


def offer_command_get(*, account: AllegroAccount, command_id: str) -> SyncCommand | None:
    """The account's command with this UUID (one sent from the offer list or by the sync)."""
    try:
        return SyncCommand.objects.filter(account=account, command_id=command_id).first()
    except ValidationError:  # not a UUID
        return None


def offer_command_results(command: SyncCommand) -> list[OfferCommandResult]:
    """Per offer of the command, in its order: in progress, succeeded, or failed with why."""
    offers = {
        o.allegro_id: o
        for o in AllegroOffer.objects.filter(
            account_id=command.account_id, allegro_id__in=command.offer_ids
        )
    }
    results = []
    for allegro_id in command.offer_ids:
        offer = offers.get(allegro_id)
        if command.in_progress:
            results.append(OfferCommandResult(allegro_id, offer, "pending"))
        elif allegro_id in command.failures:
            results.append(
                OfferCommandResult(allegro_id, offer, "failed", command.failures[allegro_id])
            )
        elif command.status == CommandStatus.FAILED:
            results.append(OfferCommandResult(allegro_id, offer, "failed", command.error))
        else:
            results.append(OfferCommandResult(allegro_id, offer, "success"))
    return results


# -- "Do potwierdzenia": matches the import could not corroborate --------------------------------

# The review page shows why each match was held, in the merchant's words.
REASON_LABELS = {
    rules.EAN_DIFFERS: _("inny EAN/ISBN w ofercie i w produkcie"),
    rules.SKU_DIFFERS: _("zgodny tylko EAN, sygnatura inna niż SKU"),
    rules.TITLE_DIFFERS: _("tytuły niepodobne, a EAN-u brak po jednej stronie"),
    rules.PRICE_DIFFERS: _("cena oferty daleka od ceny produktu"),
    rules.NO_PRICE: _("brak ceny do porównania"),
    rules.SEVERAL_PRODUCTS: _("pasuje kilka produktów"),
    rules.SEVERAL_OFFERS: _("ten produkt pasuje do kilku ofert"),
    rules.PRODUCT_LINKED_ELSEWHERE: _("produkt ma już inną ofertę na tym koncie"),
    rules.LEGACY: _("powiązane automatycznie przed sprawdzaniem dowodów"),
}
MATCHED_LABELS = {"sku": _("SKU = sygnatura"), "ean": _("EAN/ISBN")}


def offers_to_review(*, account: AllegroAccount) -> QuerySet[AllegroOffer]:
    return (
        _waiting_review(account)
        .select_related("proposed_product")
        .prefetch_related(
            Prefetch(
                "proposed_product__images",
                queryset=ProductImage.objects.order_by("position", "pk"),
            )
        )
        .order_by("pk")
    )


def _waiting_review(account: AllegroAccount) -> QuerySet[AllegroOffer]:
    """Offers whose proposed product waits for the merchant's decision."""
    return AllegroOffer.objects.filter(
        account=account,
        link_status=OfferLinkStatus.TO_REVIEW,
        product__isnull=True,
        proposed_product__isnull=False,
    )


def offers_to_review_count(*, account: AllegroAccount | None) -> int:
    return 0 if account is None else _waiting_review(account).count()


#: The sidebar's count next to "Do potwierdzenia" (empty when nothing waits).
review_badge = menu_badge("review", _waiting_review)


def review_count(request: HttpRequest) -> int:
    """How many offers of the current account wait for review; counted once per request with
    the other menu badges (the sidebar, the offer list and the start page all show it)."""
    return badge_count(request, "review")
