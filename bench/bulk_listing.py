"""Benchmark of bulk listing: 1,000 products onto the emulator with 100 ms latency per request.

Run from the repository root: ``python bench/bulk_listing.py``. The emulator runs in-process
(no sockets) with 100 ms injected on every request and answers operations without a
``Retry-After`` wait; the job lists with ``ALLEGRO_BULK_CONCURRENCY`` threads (default 8)
against the default rate budget (9,000 requests/minute).

The bound is what the rate budget and the concurrency allow for the requests one offer takes:
``min(budget / requests_per_offer, threads × 60 s / (requests_per_offer × latency))``.
Targets: at least 600 offers per minute, and ``bound / achieved ≤ 1.3``. The last line is one
JSON object with ``offers``, ``offers_per_min``, ``requests``, ``bound_offers_per_min``, ``ratio``.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import django_setup, fresh_sqlite, linked_account

PRODUCTS = 1000
LATENCY_MS = 100
BUDGET_PER_MIN = 9000


def main() -> None:
    django_setup(fresh_sqlite("bulk_listing"))
    from dataclasses import asdict
    from decimal import Decimal

    import httpx
    from django.conf import settings
    from django.core.files.base import ContentFile
    from PIL import Image

    from fake_allegro import Emulator
    from shop.allegro.models import BulkListingItem, BulkListingJob
    from shop.allegro.offers.services.bulk_listing import ListingTemplate, bulk_job_run
    from shop.catalog.demo import with_check_digit
    from shop.catalog.models import Product, ProductImage, StockMovement

    emulator = Emulator()
    emulator.world.sale.retry_after = 0
    settings.ALLEGRO_TRANSPORT_FACTORY = lambda: httpx.WSGITransport(app=emulator.wsgi)
    settings.ALLEGRO_EMULATOR_URL = "http://fake-allegro.test"

    tokens = emulator.issue_tokens()
    account = linked_account(
        tokens=tokens,
        seller_id=emulator.demo_seller.id,
        login="demo-sprzedawca",
        client_id=emulator.demo_application.client_id,
        client_secret=emulator.demo_application.client_secret,
        province="WIELKOPOLSKIE",
        city="Poznań",
        post_code="61-001",
    )
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (40, 90, 200)).save(buffer, format="JPEG")
    jpeg = buffer.getvalue()
    products = Product.objects.bulk_create(
        Product(
            name=f"Powieść nr {i} w miękkiej oprawie wydanie drugie",
            sku=f"BULK-{i:05d}",
            price=Decimal("29.90"),
            stock=10,
            ean=with_check_digit(f"978830{i:06d}"),
        )
        for i in range(PRODUCTS)
    )
    StockMovement.objects.bulk_create(
        StockMovement(product=p, delta=10, level_after=10, reason="initial") for p in products
    )
    for p in products:
        image = ProductImage(product=p, position=0)
        image.image.save(f"{p.sku}.jpg", ContentFile(jpeg), save=False)
        image.thumbnail = image.image.name  # a thumbnail is not needed here
        image.save()

    with emulator.http_client() as http:
        headers = {
            "Authorization": f"Bearer {tokens['access_token']}",
            "Accept": "application/vnd.allegro.public.v1+json",
        }
        rates = http.get("/sale/shipping-rates", headers=headers).json()["shippingRates"]
        returns = http.get(
            "/after-sales-service-conditions/return-policies", headers=headers
        ).json()
        implied = http.get(
            "/after-sales-service-conditions/implied-warranties", headers=headers
        ).json()
        http.post(
            "/_emulator/faults",
            json={"pathRegex": "^/(sale|after-sales|me)", "latencyMs": LATENCY_MS},
        )
    template = ListingTemplate(
        category_id="66779",
        shipping_rates_id=next(
            r["id"] for r in rates if not (r.get("features") or {}).get("managedByAllegro")
        ),
        return_policy_id=returns["returnPolicies"][0]["id"],
        implied_warranty_id=implied["impliedWarranties"][0]["id"],
        safety_text="Produkt bezpieczny.",
    )
    job = BulkListingJob.objects.create(account=account, template=asdict(template), total=PRODUCTS)
    BulkListingItem.objects.bulk_create(BulkListingItem(job=job, product=p) for p in products)

    threads = settings.ALLEGRO_BULK_CONCURRENCY
    before = len(emulator.requests.entries())
    started = time.perf_counter()
    job = bulk_job_run(job_id=job.pk, concurrency=threads)
    elapsed = time.perf_counter() - started
    requests = len(emulator.requests.entries()) - before

    offers = job.done
    per_offer = requests / max(offers, 1)
    offers_per_min = offers / elapsed * 60
    bound = min(BUDGET_PER_MIN / per_offer, threads * 60 / (per_offer * LATENCY_MS / 1000))
    print(
        f"listed {offers} of {PRODUCTS} (failed {job.failed}) in {elapsed:.1f} s"
        f" with {threads} threads"
    )
    print(f"requests: {requests} ({per_offer:.2f} per offer), {LATENCY_MS} ms latency each")
    print(
        f"offers/min: {offers_per_min:.0f} (target ≥ 600); bound {bound:.0f}/min;"
        f" ratio {bound / offers_per_min:.2f} (target ≤ 1.3)"
    )
    print(
        json.dumps(
            {
                "offers": offers,
                "offers_per_min": round(offers_per_min, 1),
                "requests": requests,
                "bound_offers_per_min": round(bound, 1),
                "ratio": round(bound / offers_per_min, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
