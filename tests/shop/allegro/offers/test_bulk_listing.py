from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.allegro.models import (
    AllegroOffer,
    BulkItemStatus,
    BulkListingItem,
    BulkListingJob,
    OfferStatus,
)
from shop.allegro.offers.services.bulk_listing import ListingTemplate, bulk_dry_run, bulk_job_run
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from tests.shop.allegro.offers.test_form import seller_ids

pytestmark = pytest.mark.django_db(transaction=True)
BOOKS = "66779"


@pytest.fixture
def books(allegro):  # type: ignore[no-untyped-def]
    demo_catalog_load(images=True)
    products = list(Product.objects.filter(sku__startswith="KS-").order_by("sku")[:5])
    for p in products:
        if p.stock < 1:
            from shop.catalog.services.stock import stock_adjust

            stock_adjust(product=p, delta=5, reason="delivery")
            p.refresh_from_db()
    return products


def template(allegro, **overrides: object) -> ListingTemplate:  # type: ignore[no-untyped-def]
    ids = seller_ids(allegro)
    data = {
        "category_id": BOOKS,
        "safety_text": "Bezpieczny produkt.",
        "markup": "1.10",
        "rounding": "99",
        **ids,
    }
    data.update(overrides)
    return ListingTemplate.from_json(data)


def test_dry_run_says_what_passes_and_why_not(linked_account, allegro, books):
    bad = Product.objects.create(name="Bez zdjęć", sku="X-1", price="5.00")
    results = bulk_dry_run(
        account=linked_account, template=template(allegro), products=[*books, bad]
    )
    assert [r.ok for r in results[:5]] == [True] * 5
    assert results[0].price is not None and str(results[0].price).endswith(".99")
    reasons = " ".join(results[5].reasons)
    assert "zdjęć" in reasons and "stanie" in reasons and "12" in reasons
    missing = bulk_dry_run(
        account=linked_account, template=template(allegro, shipping_rates_id=""), products=books[:1]
    )
    assert "cennik dostawy" in " ".join(missing[0].reasons)
    assert not AllegroOffer.objects.exists()
    assert not [
        e
        for e in allegro.requests.entries()
        if e["method"] in ("POST", "PATCH", "PUT") and e["path"].startswith("/sale")
    ]


def test_job_lists_every_product_and_records_results(linked_account, allegro, books, site_client):
    ids = ",".join(str(p.pk) for p in books)
    data = {**template(allegro).__dict__, "ids": ids, "start": "1"}
    data = {k: v for k, v in data.items() if v is not None}
    response = site_client.post(reverse("allegro:bulk_new"), data)
    assert response.status_code == 302, response.context["form"].errors
    job = BulkListingJob.objects.get()
    assert (job.status, job.done, job.failed, job.total) == ("done", 5, 0, 5)
    offers = AllegroOffer.objects.filter(status=OfferStatus.ACTIVE)
    assert offers.count() == 5
    for offer in offers:
        assert allegro.world.sale.offers[offer.allegro_id].status == "ACTIVE"
    page = site_client.get(response.headers["Location"]).content.decode()
    assert 'value="100"' in page and page.count("Wystawiono") + page.count("wystawiono") >= 5


def test_a_job_resumed_after_a_crash_finishes_without_duplicates(linked_account, allegro, books):
    from dataclasses import asdict

    from shop.allegro.offers.services.publish import offer_publish

    job = BulkListingJob.objects.create(
        account=linked_account, template=asdict(template(allegro)), total=3
    )
    items = [BulkListingItem.objects.create(job=job, product=p) for p in books[:3]]
    bulk_job_run(job_id=job.pk, concurrency=1)  # first run lists all three
    first = set(AllegroOffer.objects.values_list("allegro_id", flat=True))
    # A crash after the create of the second item was sent but before its answer was stored:
    crashed = items[1]
    offer = AllegroOffer.objects.get(pk=BulkListingItem.objects.get(pk=crashed.pk).offer_id)
    AllegroOffer.objects.filter(pk=offer.pk).update(
        allegro_id="", create_attempted_at=timezone.now(), status=OfferStatus.PUBLISHING
    )
    BulkListingItem.objects.filter(pk=crashed.pk).update(
        status=BulkItemStatus.WORKING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    BulkListingJob.objects.filter(pk=job.pk).update(done=2, status="running")
    bulk_job_run(job_id=job.pk, concurrency=2)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 3, 0)
    assert set(AllegroOffer.objects.values_list("allegro_id", flat=True)) == first
    creates = [
        e
        for e in allegro.requests.entries()
        if e["method"] == "POST" and e["path"] == "/sale/product-offers"
    ]
    assert len(creates) == 3
    assert offer_publish  # the publication service is what the job reuses


def test_product_list_action_opens_bulk_listing(linked_account, books, site_client):
    response = site_client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "allegro_bulk_list", "_selected_action": [p.pk for p in books[:2]]},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("allegro:bulk_new") + "?ids=")
