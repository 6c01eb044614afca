"""Benchmark of the Allegro order printouts: one order's PDF and a 100-order batch.

Run from the repository root: ``python bench/printout.py``. A throwaway SQLite database under
var/bench/ gets 100 Allegro orders of one to three items (synthetic purchases of the in-process
emulator, stored through the order import's own ``forms_upsert``); then the PDF of one order is
rendered several times and the batch of all 100 (one order per page plus the pick list) a few
times, after one warm-up each (WeasyPrint's import and font loading are not counted).

Targets: median ≤ 0.5 s for one order and ≤ 15 s for 100. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_setup, fresh_sqlite, median

ORDERS = 100
RUNS_ONE = 15
RUNS_BATCH = 3


def main() -> dict[str, float]:
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "5tK0J0cHqQ8o2s2m2o5g0g4Zz7vVJ7sM8n6fQ1bY2kE=")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    django_setup(fresh_sqlite("printout"))
    import logging

    logging.getLogger("allegro_api").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    from allegro_api.models.orders import CheckoutForm
    from fake_allegro import Emulator
    from fake_allegro.orders.state import orders_of
    from shop.allegro.models import AllegroAccount, AllegroCheckoutForm, LinkStatus
    from shop.allegro.orders.printouts import printout_pdf
    from shop.allegro.orders.services.store import forms_upsert

    emulator = Emulator(seed=0, validate_responses=False)
    with emulator.http_client() as http:
        response = http.post(
            "/_emulator/purchases", json={"synthetic": True, "count": ORDERS, "spreadDays": 5}
        )
        response.raise_for_status()
    ids = response.json()["checkoutFormIds"]
    forms = orders_of(emulator.world).forms
    account = AllegroAccount.objects.create(
        enabled=True,
        client_id="bench",
        client_secret="bench",
        status=LinkStatus.LINKED,
        login=emulator.demo_seller.login,
        seller_id=emulator.demo_seller.id,
        city="Poznań",
        post_code="61-001",
    )
    result = forms_upsert(
        account=account, forms=[CheckoutForm.model_validate(forms[i].data) for i in ids]
    )
    assert result.created == ORDERS, result
    pks = list(AllegroCheckoutForm.objects.order_by("bought_at", "id").values_list("pk", flat=True))
    items = sum(len(forms[i].data.get("lineItems") or []) for i in ids)

    printout_pdf(form_ids=pks[:1])  # warm-up: WeasyPrint import, fonts
    one: list[float] = []
    for index in range(RUNS_ONE):
        start = time.perf_counter()
        pdf = printout_pdf(form_ids=[pks[index % len(pks)]])
        one.append(time.perf_counter() - start)
        assert pdf.startswith(b"%PDF")
    batch: list[float] = []
    size = 0
    for _ in range(RUNS_BATCH):
        start = time.perf_counter()
        pdf = printout_pdf(form_ids=pks, with_pick_list=True)
        batch.append(time.perf_counter() - start)
        size = len(pdf)
    print(f"orders: {ORDERS}, line items: {items}")
    print(f"one order: median {median(one):.3f} s, max {max(one):.3f} s over {RUNS_ONE} runs")
    print(
        f"{ORDERS} orders + pick list: median {median(batch):.2f} s over {RUNS_BATCH} runs, "
        f"{size / 1024:.0f} KiB"
    )
    print("targets: one ≤ 0.5 s, 100 ≤ 15 s")
    return {"median_s_one": round(median(one), 4), "median_s_100": round(median(batch), 3)}


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures))
