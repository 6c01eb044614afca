"""Listing many products at once with a listing template.

A dry run says per product whether it would pass (title, category, required parameters, price,
stock, images) and why not. The job then lists the products that pass with a pool of threads,
each offer through the same publication service as the offer form; the shared rate budget of
the application paces them. Items are claimed in the database, so a job resumed after a crash
finishes what is left, and an item whose create was already sent is looked up by external id
instead of being created twice (``shop.allegro.offers.services.publish``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    AllegroAccount,
    AllegroOffer,
    BulkItemStatus,
    BulkJobStatus,
    BulkListingItem,
    BulkListingJob,
    LinkSource,
    OfferStatus,
)
from shop.allegro.offers.forms import TITLE_MAX, TITLE_MIN
from shop.allegro.offers.parameters import evaluate_parameters
from shop.allegro.offers.services import catalog as offer_catalog
from shop.allegro.offers.services.links import offer_create_linked
from shop.allegro.offers.services.publish import PublishRetry, offer_new_for_product, offer_publish
from shop.allegro.sync.rules import PriceRule, price_compute, quantity_compute
from shop.catalog.models import Product
from shop.core.queue import task_enqueue

logger = logging.getLogger(__name__)

# A claimed item not finished within this is taken over (its worker died).
BULK_LISTING_TASK = "allegro.bulk_listing"
CLAIM_LEASE = timedelta(minutes=10)
GTIN_NAMES = ("isbn", "ean (gtin)", "ean")


@dataclass(frozen=True)
class ListingTemplate:
    category_id: str = ""  # empty: matched from each product's title
    shipping_rates_id: str = ""
    return_policy_id: str = ""
    implied_warranty_id: str = ""
    warranty_id: str = ""
    handling_time: str = "PT24H"
    invoice: str = "VAT"
    condition: str = "11323_1"  # "Stan: Nowy" where the category has it
    markup: str = "1"
    fixed_amount: str = "0"
    rounding: str = ""
    safety_text: str = ""
    reserve: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListingTemplate:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def price_rule(self) -> PriceRule:
        return PriceRule(
            markup=Decimal(self.markup or "1"),
            fixed_amount=Decimal(self.fixed_amount or "0"),
            rounding=self.rounding,
        )


@dataclass
class DryRunResult:
    product: Product
    ok: bool
    reasons: list[str] = field(default_factory=list)
    category_id: str = ""
    category_name: str = ""
    price: Decimal | None = None
    quantity: int = 0
    form_data: dict[str, Any] = field(default_factory=dict)


def _category_for(
    account: AllegroAccount, template: ListingTemplate, product: Product
) -> tuple[str, str]:
    if template.category_id:
        category = offer_catalog.category_get(account, template.category_id)
        return str(category.get("id") or ""), str(category.get("name") or "")
    matches = offer_catalog.matching_categories(account, product.name)
    return (str(matches[0]["id"]), str(matches[0].get("name") or "")) if matches else ("", "")


def listing_prepare(
    *, account: AllegroAccount, template: ListingTemplate, product: Product
) -> DryRunResult:
    """The offer this product would become, and what stops it from passing."""
    result = DryRunResult(product=product, ok=False)
    try:
        category_id, category_name = _category_for(account, template, product)
    except AllegroError as exc:
        result.reasons.append(describe_error(exc))
        return result
    result.category_id, result.category_name = category_id, category_name
    if not category_id:
        result.reasons.append(_("Nie udało się dopasować kategorii do tytułu."))
        return result
    category = offer_catalog.category_get(account, category_id)
    if not category.get("leaf"):
        result.reasons.append(_("Kategoria %(c)s ma podkategorie.") % {"c": category_name})
    metas = offer_catalog.category_parameters(account, category_id)
    by_name = {str(m.get("name") or "").lower(): str(m["id"]) for m in metas}
    values: dict[str, list[str]] = {}
    if any(str(m["id"]) == "11323" for m in metas) and template.condition:
        values["11323"] = [template.condition]
    if product.ean:
        for name in GTIN_NAMES:
            pid = by_name.get(name)
            if pid and (name != "isbn" or product.ean.startswith(("978", "979"))):
                values[pid] = [product.ean]
    states = evaluate_parameters(metas, values)
    names = {str(m["id"]): str(m.get("name") or m["id"]) for m in metas}
    missing = [names[pid] for pid, s in states.items() if s.required and not values.get(pid)]
    if missing:
        result.reasons.append(_("Brak wymaganych parametrów: %(p)s.") % {"p": ", ".join(missing)})
    title = product.name[:TITLE_MAX]
    if len(title) < TITLE_MIN:
        result.reasons.append(_("Tytuł krótszy niż %(n)d znaków.") % {"n": TITLE_MIN})
    result.price = price_compute(product.price, template.price_rule)
    result.quantity = quantity_compute(product.stock, template.reserve)
    if result.quantity < 1:
        result.reasons.append(_("Brak towaru na stanie."))
    images = [str(pk) for pk in product.images.values_list("pk", flat=True)[:16]]
    if not images:
        result.reasons.append(_("Produkt nie ma zdjęć."))
    for key, label in (
        ("shipping_rates_id", _("cennik dostawy")),
        ("return_policy_id", _("warunki zwrotów")),
        ("implied_warranty_id", _("warunki reklamacji")),
    ):
        if not getattr(template, key):
            result.reasons.append(_("Wybierz w szablonie: %(f)s.") % {"f": label})
    draft = offer_new_for_product(account=account, product=product)
    result.form_data = {
        **draft.form_data,
        "name": title,
        "category_id": category_id,
        "price": str(result.price),
        "quantity": result.quantity,
        "parameters": values,
        "shipping_rates_id": template.shipping_rates_id,
        "return_policy_id": template.return_policy_id,
        "implied_warranty_id": template.implied_warranty_id,
        "warranty_id": template.warranty_id,
        "handling_time": template.handling_time,
        "invoice": template.invoice,
        "safety": "text",
        "safety_text": template.safety_text,
        "publish": True,
    }
    result.ok = not result.reasons
    return result


def bulk_dry_run(
    *, account: AllegroAccount, template: ListingTemplate, products: Sequence[Product]
) -> list[DryRunResult]:
    return [listing_prepare(account=account, template=template, product=p) for p in products]


def bulk_job_create(
    *, account: AllegroAccount, template: ListingTemplate, products: Sequence[Product]
) -> BulkListingJob:
    from dataclasses import asdict

    with transaction.atomic():
        job = BulkListingJob.objects.create(
            account=account, template=asdict(template), total=len(products)
        )
        BulkListingItem.objects.bulk_create(BulkListingItem(job=job, product=p) for p in products)
        transaction.on_commit(lambda: task_enqueue(BULK_LISTING_TASK, job.pk))
    return job


def _claim(job: BulkListingJob) -> BulkListingItem | None:
    stale = timezone.now() - CLAIM_LEASE
    with transaction.atomic():
        item = (
            BulkListingItem.objects.select_for_update(skip_locked=connection.vendor == "postgresql")
            .filter(job=job)
            .filter(models_q_pending_or_stale(stale))
            .order_by("id")
            .first()
        )
        if item is None:
            return None
        item.status = BulkItemStatus.WORKING
        item.claimed_at = timezone.now()
        item.save(update_fields=["status", "claimed_at"])
    return item


def models_q_pending_or_stale(stale: Any) -> Any:
    from django.db.models import Q

    return Q(status=BulkItemStatus.PENDING) | Q(status=BulkItemStatus.WORKING, claimed_at__lt=stale)


def _finish(item: BulkListingItem, status: str, error: str = "") -> None:
    with transaction.atomic():
        BulkListingItem.objects.filter(pk=item.pk).update(
            status=status, error=error[:2000], offer=item.offer
        )
        counter = "done" if status == BulkItemStatus.DONE else "failed"
        BulkListingJob.objects.filter(pk=item.job_id).update(**{counter: F(counter) + 1})


def _list_one(job: BulkListingJob, template: ListingTemplate, item: BulkListingItem) -> None:
    product = item.product
    offer = item.offer
    if offer is None:
        prepared = listing_prepare(account=job.account, template=template, product=product)
        if not prepared.ok:
            _finish(item, BulkItemStatus.FAILED, " ".join(prepared.reasons))
            return
        offer = AllegroOffer(
            account=job.account,
            product=product,
            external_id=product.sku,
            name=prepared.form_data["name"],
            category_id=prepared.category_id,
            category_name=prepared.category_name,
            price=prepared.price,
            stock_available=prepared.quantity,
            shipping_rates_id=template.shipping_rates_id,
            status=OfferStatus.PUBLISHING,
            form_data=prepared.form_data,
        )
        offer_create_linked(offer=offer, source=LinkSource.BULK_LISTING)
        item.offer = offer
        BulkListingItem.objects.filter(pk=item.pk).update(offer=offer)
    try:
        offer = offer_publish(offer_id=offer.pk)
    except PublishRetry as exc:
        # Transient: left for the next run of the job (the item's claim lapses).
        BulkListingItem.objects.filter(pk=item.pk).update(
            status=BulkItemStatus.PENDING, error=str(exc)
        )
        return
    if offer.status in (OfferStatus.ACTIVE, OfferStatus.ACTIVATING):
        _finish(item, BulkItemStatus.DONE)
    else:
        reasons = (
            "; ".join(e.get("message", "") for e in offer.validation_errors) or offer.last_error
        )
        _finish(item, BulkItemStatus.FAILED, reasons or offer.get_status_display())


def _worker(job_id: int) -> int:
    processed = 0
    try:
        job = BulkListingJob.objects.select_related("account").get(pk=job_id)
        template = ListingTemplate.from_json(job.template)
        while True:
            job.refresh_from_db(fields=["status"])
            if job.status == BulkJobStatus.CANCELLED:
                break
            item = _claim(job)
            if item is None:
                break
            try:
                _list_one(job, template, item)
            except Exception as exc:  # one product's failure must not stop the others
                logger.exception("bulk listing item %s failed", item.pk)
                _finish(item, BulkItemStatus.FAILED, str(exc))
            processed += 1
    finally:
        close_old_connections()
        if connection.vendor != "sqlite" or not connection.settings_dict["NAME"].startswith(":"):
            connection.close()
    return processed


def bulk_job_run(*, job_id: int, concurrency: int | None = None) -> BulkListingJob:
    """Process what is left of the job with ``concurrency`` threads (resumable)."""
    threads = concurrency or settings.ALLEGRO_BULK_CONCURRENCY
    BulkListingJob.objects.filter(pk=job_id).update(
        status=BulkJobStatus.RUNNING, started_at=timezone.now()
    )
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bulk-listing") as pool:
        list(pool.map(_worker, [job_id] * threads))
    job = BulkListingJob.objects.get(pk=job_id)
    pending = job.items.filter(status__in=[BulkItemStatus.PENDING, BulkItemStatus.WORKING]).exists()
    if job.status != BulkJobStatus.CANCELLED and not pending:
        job.status = BulkJobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
    return job
