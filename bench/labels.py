"""Benchmark of Wysyłam z Allegro in bulk: 200 orders from selection to one labels PDF.

Run from the repository root: ``python bench/labels.py``. A throwaway SQLite database under
var/bench/ gets 200 Allegro orders (synthetic purchases of the in-process emulator with courier,
locker and One Box deliveries, stored through the order import's own ``forms_upsert``). Every
Allegro call then waits 100 ms (the emulator's latency fault). Measured: the batch started from
the selection (as the order list's action does), its task's work run to the end (create command,
its result, the waybill, the tracking number on the order, the order marked sent) and the labels
of all parcels downloaded as one A4 PDF. The seller-status pushes that marking an order sent
queues (``allegro.fulfillment_send``, its own flow) are left in the broker for a worker, as in
production; their count is printed.

Targets: ≤ 60 s and ≤ 4 requests per order. The last line is one JSON object with ``orders``,
``seconds`` and ``requests_per_order``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_setup, fresh_sqlite, linked_account

ORDERS = 200
LATENCY_MS = 100
WORKERS = 8
DELIVERIES = ("dpd", "inpost-courier", "inpost-lockers", "orlen", "one-box")


def main() -> dict[str, Any]:
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "5tK0J0cHqQ8o2s2m2o5g0g4Zz7vVJ7sM8n6fQ1bY2kE=")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    django_setup(fresh_sqlite("labels"))
    import logging

    logging.getLogger("allegro_api").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    import httpx
    from django.conf import settings

    from allegro_api.models.orders import CheckoutForm
    from fake_allegro import Emulator
    from fake_allegro.faults import Fault
    from fake_allegro.orders.state import orders_of
    from shop.allegro.models import AllegroCheckoutForm, ParcelState
    from shop.allegro.orders.services.store import forms_upsert
    from shop.allegro.shipments import bulk, services

    emulator = Emulator(seed=0, validate_responses=False)
    _ = emulator.spec.request_openapi  # built once before measuring, as the pytest plugin does
    settings.ALLEGRO_TRANSPORT_FACTORY = lambda: httpx.WSGITransport(app=emulator.wsgi)
    settings.ALLEGRO_PARCEL_WORKERS = WORKERS
    from config.celery import app as celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    queued: list[str] = []
    from celery.signals import before_task_publish

    before_task_publish.connect(lambda sender=None, **_kw: queued.append(str(sender)), weak=False)
    ids: list[str] = []
    with emulator.http_client() as http:
        for index in range(ORDERS):
            response = http.post(
                "/_emulator/purchases",
                json={"synthetic": True, "delivery": DELIVERIES[index % len(DELIVERIES)]},
            )
            response.raise_for_status()
            ids.extend(response.json()["checkoutFormIds"])
    forms = orders_of(emulator.world).forms
    app = emulator.demo_application
    account = linked_account(
        tokens=emulator.issue_tokens(),
        seller_id=emulator.demo_seller.id,
        login=emulator.demo_seller.login,
        client_id=app.client_id,
        client_secret=app.client_secret,
        city="Poznań",
        post_code="61-001",
    )
    result = forms_upsert(
        account=account, forms=[CheckoutForm.model_validate(forms[i].data) for i in ids]
    )
    assert result.created == ORDERS, result
    selection = list(AllegroCheckoutForm.objects.values_list("pk", flat=True))
    emulator.faults.add(Fault(id="latency", path_regex="^/(?!_emulator)", latency_ms=LATENCY_MS))
    emulator.requests.clear()

    start = time.perf_counter()
    batch = bulk.batch_start(account=account, form_ids=selection)  # queues its task
    bulk.batch_run(batch_id=batch.pk)  # what the worker runs
    pdf = services.labels_download(
        account=account, parcels=bulk.batch_parcels(batch), page_size="A4"
    )
    seconds = time.perf_counter() - start

    requests = [e for e in emulator.requests.entries() if not e["path"].startswith("/_emulator")]
    created = sum(
        1
        for r in bulk.batch_rows(batch)
        if r["parcel"] and r["parcel"].state == ParcelState.CREATED
    )
    by_kind: dict[str, int] = {}
    for entry in requests:
        key = entry["method"] + " " + "/".join(entry["path"].split("/")[1:3])
        by_kind[key] = by_kind.get(key, 0) + 1
    assert pdf.startswith(b"%PDF-")
    print(f"orders: {ORDERS}, parcels created: {created}, labels: {len(pdf) / 1024:.0f} KiB")
    print(f"{seconds:.1f} s at {LATENCY_MS} ms per call, {len(requests)} requests: {by_kind}")
    pushes = sum(1 for name in queued if name == "allegro.fulfillment_send")
    print(f"seller-status pushes queued for the worker: {pushes}")
    print("targets: ≤ 60 s, ≤ 4 requests per order")
    return {
        "orders": ORDERS,
        "created": created,
        "seconds": round(seconds, 2),
        "requests_per_order": round(len(requests) / ORDERS, 3),
    }


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures))
