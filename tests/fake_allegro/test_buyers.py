"""The buyer simulator: realistic Polish buyers and purchases from the seller's real offers."""

from __future__ import annotations

import itertools
import random
import re
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from fake_allegro import Emulator
from fake_allegro.orders.buyers import buyer_pool, nip_is_valid, valid_nip
from fake_allegro.orders.state import iso, items_total


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
        if (invoice.get("address") or {}).get("company"):
            nip = invoice["address"]["company"]["ids"][0]["value"]
            assert nip_is_valid(nip)
        elif invoice.get("address"):
            assert invoice["address"]["naturalPerson"]["lastName"]


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


def _journal(client: httpx.Client) -> list[dict[str, Any]]:
    return client.get("/order/events", params={"limit": 1000}).json()["events"]


def test_event_feed_looks_like_allegro(emulator_http: httpx.Client) -> None:
    emulator_http.post("/_emulator/purchases", json={"count": 60, "synthetic": True})
    events = _journal(emulator_http)
    ids = [int(e["id"]) for e in events]
    assert all(len(e["id"]) == 16 for e in events)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert any(b - a > 1 for a, b in itertools.pairwise(ids)), "ids are not consecutive"
    order: dict[str, list[str]] = {}
    for event in events:
        order.setdefault(event["order"]["checkoutForm"]["id"], []).append(event["type"])
    firsts = {types[0] for types in order.values() if {"BOUGHT", "FILLED_IN"} <= set(types)}
    assert firsts == {"BOUGHT", "FILLED_IN"}, "both orders occur"


def test_events_are_dated_when_the_form_changed(emulator_http: httpx.Client) -> None:
    form_id = emulator_http.post(
        "/_emulator/purchases", json={"synthetic": True, "filledInFirst": False}
    ).json()["checkoutFormIds"][0]
    journal = [e for e in _journal(emulator_http) if e["order"]["checkoutForm"]["id"] == form_id]
    events = [e for e in journal if e["type"] != "FULFILLMENT_STATUS_CHANGED"]
    assert [e["type"] for e in events] == ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"]
    times = [e["occurredAt"] for e in events]
    assert times == sorted(times) and len(set(times)) == 3
    form = emulator_http.get(f"/order/checkout-forms/{form_id}").json()
    assert form["updatedAt"] == journal[-1]["occurredAt"]
    assert form["lineItems"][0]["boughtAt"] == times[0]
    assert form["payment"]["finishedAt"] == times[-1]
    assert journal[-1]["order"]["checkoutForm"]["revision"] == form["revision"]


def test_filled_in_before_bought_on_request(emulator_http: httpx.Client) -> None:
    form_id = emulator_http.post(
        "/_emulator/purchases", json={"synthetic": True, "filledInFirst": True}
    ).json()["checkoutFormIds"][0]
    events = [
        e
        for e in _journal(emulator_http)
        if e["order"]["checkoutForm"]["id"] == form_id and e["type"] != "FULFILLMENT_STATUS_CHANGED"
    ]
    assert [e["type"] for e in events] == ["FILLED_IN", "BOUGHT", "READY_FOR_PROCESSING"]
    assert events[1]["occurredAt"] < events[0]["occurredAt"]  # id order is not time order


def test_replayed_form_keeps_its_times(emulator_http: httpx.Client) -> None:
    recorded = emulator_http.post("/_emulator/purchases", json={"synthetic": True}).json()
    form = emulator_http.get(f"/order/checkout-forms/{recorded['checkoutFormIds'][0]}").json()
    now = datetime.fromisoformat(emulator_http.get("/_emulator/state").json()["now"])
    bought, updated = iso(now - timedelta(days=3)), iso(now - timedelta(days=2))
    form["id"] = "29d2a2b0-5e4b-11ee-8c99-0242ac120002"
    form["updatedAt"] = updated
    for item in form["lineItems"]:
        item["boughtAt"] = bought
    stored = emulator_http.post("/_emulator/checkout-forms", json=form).json()
    events = [e for e in _journal(emulator_http) if e["id"] in stored["eventIds"]]
    assert [(e["type"], e["occurredAt"]) for e in events] == [
        ("BOUGHT", bought),
        ("FILLED_IN", updated),
        ("READY_FOR_PROCESSING", updated),
    ]
    listed = emulator_http.get(
        "/order/checkout-forms", params={"updatedAt.gte": updated, "updatedAt.lte": updated}
    ).json()
    assert [f["id"] for f in listed["checkoutForms"]] == [form["id"]]
    assert listed["checkoutForms"][0]["updatedAt"] == updated


def _amount(money: dict[str, str] | None) -> Decimal:
    return Decimal(money["amount"]) if money else Decimal(0)


def test_buyers_buy_like_real_buyers(emulator: Emulator, emulator_http: httpx.Client) -> None:
    emulator_http.post(
        "/_emulator/purchases",
        json={"count": 400, "synthetic": True, "chaos": {"cancelRate": 0.1, "mergeRate": 0.05}},
    )
    forms = emulator_http.get("/order/checkout-forms", params={"limit": 100}).json()
    assert forms["totalCount"] >= 380
    everything: list[dict[str, Any]] = []
    for offset in range(0, forms["totalCount"], 100):
        everything += emulator_http.get(
            "/order/checkout-forms", params={"limit": 100, "offset": offset}
        ).json()["checkoutForms"]
    items = [i for f in everything for i in f["lineItems"]]
    assert any("deposit" in i for i in items)
    assert any(
        s["definitionId"] == "CARRY_IN" for i in items for s in i["selectedAdditionalServices"]
    )
    discounts = {d["type"] for i in items for d in i["discounts"]}
    assert "COUPON" in discounts
    # Allegro Prices: Allegro pays the seller back what the buyer did not pay.
    assert any(i.get("reconciliation") and i["price"] == i["originalPrice"] for i in items)
    assert any(f["surcharges"] for f in everything)
    assert any(
        f["delivery"]["smart"] and f["delivery"]["cost"]["amount"] == "0.00" for f in everything
    )
    assert any(f["buyer"].get("companyName") for f in everything)
    assert any(
        f["invoice"]["required"] and "naturalPerson" in f["invoice"].get("address", {})
        for f in everything
    )
    assert any(f["payment"]["type"] == "CASH_ON_DELIVERY" for f in everything)
    assert any(f["delivery"].get("pickupPoint") for f in everything)
    assert any(f.get("note") for f in everything)
    assert {f["fulfillment"]["status"] for f in everything} >= {"NEW", "SENT", "PICKED_UP"}
    cancelled = [f for f in everything if f["status"] == "CANCELLED"]
    assert any("paidAmount" in f["payment"] for f in cancelled), "cancelled after payment"
    assert any("paidAmount" not in f["payment"] for f in cancelled), "cancelled before payment"
    assert emulator.world.orders is not None and emulator.world.orders.merged_into
    for form in everything:
        if form["status"] != "READY_FOR_PROCESSING":
            continue
        total = items_total(form["lineItems"])
        total += _amount(form["delivery"]["cost"])
        total += sum((_amount(s["paidAmount"]) for s in form["surcharges"]), Decimal(0))
        assert _amount(form["summary"]["totalToPay"]) == total, form["id"]
