"""The buyer simulator: realistic Polish buyers and purchases from the seller's real offers."""

from __future__ import annotations

import random
import re
import time

import httpx

from fake_allegro import Emulator
from fake_allegro.orders.buyers import buyer_pool, nip_is_valid, valid_nip


def test_nip_checksums_are_valid() -> None:
    rng = random.Random(1)

    nips = [valid_nip(rng) for _ in range(200)]

    assert all(nip_is_valid(n) for n in nips)
    assert not nip_is_valid("1234567890")
    assert nip_is_valid("5252674798")  # Allegro.pl sp. z o.o. (the spec's example)


def test_buyer_pool_is_deterministic_and_polish() -> None:
    pool = buyer_pool(7)

    assert pool == buyer_pool(7)
    assert any(b.guest for b in pool)
    assert any(b.company for b in pool)
    assert all(re.fullmatch(r"\d{2}-\d{3}", b.post_code) for b in pool)
    assert all(b.nip is None or nip_is_valid(b.nip) for b in pool)


def test_synthetic_purchases_look_like_allegro_orders(emulator_http: httpx.Client) -> None:
    ids = emulator_http.post("/_emulator/purchases", json={"count": 40, "synthetic": True}).json()[
        "checkoutFormIds"
    ]
    forms = [emulator_http.get(f"/order/checkout-forms/{i}").json() for i in ids]

    assert all(1 <= len(f["lineItems"]) <= 3 for f in forms)
    lockers = [f["delivery"]["pickupPoint"]["id"] for f in forms if "pickupPoint" in f["delivery"]]
    assert any(re.fullmatch(r"[A-Z]{3}\d{2}[A-Z]", p) for p in lockers)
    assert {f["payment"]["type"] for f in forms} <= {"ONLINE", "CASH_ON_DELIVERY"}
    for form in forms:
        invoice = form["invoice"]
        if invoice.get("address"):
            nip = invoice["address"]["company"]["ids"][0]["value"]
            assert nip_is_valid(nip)


def test_purchase_from_real_offers_takes_stock(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    if emulator.world.sale is None:
        offers = [{"id": "123", "name": "Kubek", "price": "10.00", "quantity": 2}]
        form_id = emulator_http.post("/_emulator/purchases", json={"offers": offers}).json()[
            "checkoutFormIds"
        ][0]
        item = emulator_http.get(f"/order/checkout-forms/{form_id}").json()["lineItems"][0]
        assert item["offer"]["id"] == "123"
        assert item["quantity"] == 2
        return
    seller = emulator.demo_seller
    before = {o.id: o.available for o in emulator.world.sale.active_offers(seller.id)}
    assert before, "the seeded seller has active offers"

    form_id = emulator_http.post("/_emulator/purchases", json={}).json()["checkoutFormIds"][0]
    form = emulator_http.get(f"/order/checkout-forms/{form_id}").json()

    after = {o.id: o.available for o in emulator.world.sale.seller_offers(seller.id)}
    for item in form["lineItems"]:
        offer_id = item["offer"]["id"]
        assert after[offer_id] == before[offer_id] - item["quantity"]

    emulator_http.post(f"/_emulator/checkout-forms/{form_id}/status", json={"status": "CANCELLED"})
    restored = {o.id: o.available for o in emulator.world.sale.seller_offers(seller.id)}
    for item in form["lineItems"]:
        assert restored[item["offer"]["id"]] == before[item["offer"]["id"]]


def test_ten_thousand_synthetic_forms_in_seconds(emulator: Emulator) -> None:
    emulator.validate_responses = False
    with emulator.http_client() as client:
        started = time.perf_counter()
        response = client.post(
            "/_emulator/purchases",
            json={"count": 10_000, "synthetic": True, "spreadDays": 30},
        )
        elapsed = time.perf_counter() - started

    assert response.status_code == 201
    assert response.json()["created"] == 10_000
    assert elapsed < 15
    assert len(emulator.world.orders.forms) == 10_000 if emulator.world.orders else False


def test_chaos_rates_produce_chaos(emulator_http: httpx.Client, emulator: Emulator) -> None:
    chaos = {"duplicateRate": 0.3, "dropRate": 0.3, "cancelRate": 0.3, "mergeRate": 0.2}

    emulator_http.post(
        "/_emulator/purchases", json={"count": 60, "synthetic": True, "chaos": chaos}
    )

    orders = emulator.world.orders
    assert orders is not None
    assert orders.duplicated_events > 0
    assert orders.dropped_events > 0
    assert orders.merged_into
    assert any(f.status == "CANCELLED" for f in orders.forms.values())
