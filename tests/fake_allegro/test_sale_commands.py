"""Publication, quantity and price commands, offer events, promotion packages, state API."""

from __future__ import annotations

import json
import pickle
import uuid
from datetime import timedelta
from typing import Any

import httpx

from fake_allegro import Emulator
from fake_allegro.spec import MEDIA_TYPE

JSON = {"Content-Type": MEDIA_TYPE}


def _ids(client: httpx.Client, status: str) -> list[str]:
    offers = client.get("/sale/offers", params={"publication.status": status}).json()["offers"]
    return [o["id"] for o in offers]


def _put(client: httpx.Client, kind: str, body: dict[str, Any]) -> tuple[str, httpx.Response]:
    command_id = str(uuid.uuid4())
    response = client.put(
        f"/sale/offer-{kind}-commands/{command_id}", content=json.dumps(body), headers=JSON
    )
    return command_id, response


def _criteria(*ids: str) -> list[dict[str, Any]]:
    return [{"type": "CONTAINS_OFFERS", "offers": [{"id": i} for i in ids]}]


def test_publication_end_and_activate_with_tasks(emulator_http: httpx.Client):
    active = _ids(emulator_http, "ACTIVE")[0]
    body = {"offerCriteria": _criteria(active, "1"), "publication": {"action": "END"}}
    command_id, response = _put(emulator_http, "publication", body)
    assert response.status_code == 201, response.text
    assert response.json()["taskCount"] == {"total": 2, "success": 1, "failed": 1}
    again = emulator_http.put(
        f"/sale/offer-publication-commands/{command_id}", content=json.dumps(body), headers=JSON
    )
    assert again.status_code == 409
    report = emulator_http.get(f"/sale/offer-publication-commands/{command_id}").json()
    assert report["completedAt"] is not None
    tasks = emulator_http.get(f"/sale/offer-publication-commands/{command_id}/tasks").json()
    statuses = {t["offer"]["id"]: t["status"] for t in tasks["tasks"]}
    assert statuses == {active: "SUCCESS", "1": "FAIL"}
    failed = next(t for t in tasks["tasks"] if t["status"] == "FAIL")
    assert failed["errors"][0]["code"] == "OfferNotFoundException"
    assert active in _ids(emulator_http, "ENDED")

    draft = _ids(emulator_http, "INACTIVE")[0]  # the seeded draft has no shipping rates
    _, activate = _put(
        emulator_http,
        "publication",
        {"offerCriteria": _criteria(active, draft), "publication": {"action": "ACTIVATE"}},
    )
    assert activate.json()["taskCount"] == {"total": 2, "success": 1, "failed": 1}
    assert active in _ids(emulator_http, "ACTIVE")
    events = emulator_http.get("/sale/offer-events").json()["offerEvents"]
    assert [(e["type"], e["offer"]["id"]) for e in events] == [
        ("OFFER_ENDED", active),
        ("OFFER_ACTIVATED", active),
    ]
    assert events[0]["offer"]["publication"]["endedBy"] == "USER"


def test_too_many_offers_in_one_command(emulator_http: httpx.Client):
    ids = [str(n) for n in range(1001)]
    _, response = _put(
        emulator_http,
        "quantity-change",
        {"offerCriteria": _criteria(*ids), "modification": {"changeType": "FIXED", "value": 1}},
    )
    assert response.status_code == 422


def test_quantity_change_and_zero_ends_the_offer(emulator_http: httpx.Client):
    first, second = _ids(emulator_http, "ACTIVE")[:2]
    command_id, response = _put(
        emulator_http,
        "quantity-change",
        {"offerCriteria": _criteria(first), "modification": {"changeType": "GAIN", "value": 5}},
    )
    assert response.status_code == 201
    offer = emulator_http.get(f"/sale/product-offers/{first}").json()
    assert offer["stock"]["available"] == 17  # seeded with 12
    tasks = emulator_http.get(f"/sale/offer-quantity-change-commands/{command_id}/tasks").json()
    assert tasks["tasks"][0]["status"] == "SUCCESS"
    _, zero = _put(
        emulator_http,
        "quantity-change",
        {"offerCriteria": _criteria(second), "modification": {"changeType": "FIXED", "value": 0}},
    )
    assert zero.json()["taskCount"]["success"] == 1
    assert second in _ids(emulator_http, "ENDED")
    _, negative = _put(
        emulator_http,
        "quantity-change",
        {"offerCriteria": _criteria(first), "modification": {"changeType": "GAIN", "value": -99}},
    )
    assert negative.json()["taskCount"]["failed"] == 1
    types = [
        e["type"]
        for e in emulator_http.get("/sale/offer-events", params={"type": "OFFER_ENDED"}).json()[
            "offerEvents"
        ]
    ]
    assert types == ["OFFER_ENDED"]


def test_price_change_commands(emulator_http: httpx.Client):
    offer_id = _ids(emulator_http, "ACTIVE")[0]  # seeded at 39.99
    _, fixed = _put(
        emulator_http,
        "price-change",
        {
            "offerCriteria": _criteria(offer_id),
            "modification": {
                "type": "FIXED_PRICE",
                "price": {"amount": "45.00", "currency": "PLN"},
            },
        },
    )
    assert fixed.status_code == 201
    command_id, percent = _put(
        emulator_http,
        "price-change",
        {
            "offerCriteria": _criteria(offer_id, "123"),
            "modification": {"type": "DECREASE_PERCENTAGE", "percentage": "10"},
        },
    )
    assert percent.json()["taskCount"] == {"total": 2, "success": 1, "failed": 1}
    assert emulator_http.get(f"/sale/offer-price-change-commands/{command_id}").status_code == 200
    offer = emulator_http.get(f"/sale/product-offers/{offer_id}").json()
    assert offer["sellingMode"]["price"] == {"amount": "40.50", "currency": "PLN"}
    events = emulator_http.get(
        "/sale/offer-events", params={"type": "OFFER_PRICE_CHANGED", "limit": 1}
    ).json()["offerEvents"]
    assert len(events) == 1
    later = emulator_http.get(
        "/sale/offer-events", params={"type": "OFFER_PRICE_CHANGED", "from": events[0]["id"]}
    ).json()["offerEvents"]
    assert len(later) == 1
    assert later[0]["id"] != events[0]["id"]


def test_offer_events_are_kept_for_24_hours(emulator: Emulator, emulator_http: httpx.Client):
    offer_id = _ids(emulator_http, "ACTIVE")[0]
    _put(
        emulator_http,
        "quantity-change",
        {"offerCriteria": _criteria(offer_id), "modification": {"changeType": "FIXED", "value": 3}},
    )
    assert len(emulator_http.get("/sale/offer-events").json()["offerEvents"]) == 1
    for event in emulator.world.sale.events:  # as if they happened 25 hours ago
        event.occurred_at -= timedelta(hours=25)
    assert emulator_http.get("/sale/offer-events").json()["offerEvents"] == []


def test_promotion_packages_and_options(emulator_http: httpx.Client):
    packages = emulator_http.get("/sale/offer-promotion-packages").json()
    assert {p["id"] for p in packages["basePackages"]} == {"emphasized10d", "emphasized1d"}
    offer_id = _ids(emulator_http, "ACTIVE")[0]
    modification = {
        "modifications": [
            {"modificationType": "CHANGE", "packageType": "BASE", "packageId": "emphasized1d"},
            {"modificationType": "CHANGE", "packageType": "EXTRA", "packageId": "departmentPage"},
        ]
    }
    response = emulator_http.post(
        f"/sale/offers/{offer_id}/promo-options-modification",
        content=json.dumps(modification),
        headers=JSON,
    )
    assert response.status_code == 200, response.text
    assert response.json()["basePackage"]["id"] == "emphasized1d"
    options = emulator_http.get(f"/sale/offers/{offer_id}/promo-options").json()
    assert [p["id"] for p in options["extraPackages"]] == ["departmentPage"]
    everything = emulator_http.get("/sale/offers/promo-options").json()
    assert everything["totalCount"] == 1
    assert everything["promoOptions"][0]["offerId"] == offer_id
    unknown = {
        "modifications": [
            {"modificationType": "CHANGE", "packageType": "BASE", "packageId": "gold"},
        ]
    }
    assert (
        emulator_http.post(
            f"/sale/offers/{offer_id}/promo-options-modification",
            content=json.dumps(unknown),
            headers=JSON,
        ).status_code
        == 422
    )


def test_buyer_simulator_api_buys_and_gives_back(emulator: Emulator):
    sale = emulator.world.sale
    seller = emulator.demo_seller.id
    offers = sale.active_offers(seller)
    assert {o.external_id for o in offers} == {"ALG-0001", "ALG-0002", "ALG-0003", "KS-0004"}
    phone = next(o for o in offers if o.external_id == "KS-0004")
    assert (phone.price, phone.currency, phone.available, phone.category_id) == (
        "3499.00",
        "PLN",
        2,
        "165",
    )
    sale.buy(phone.id, 1)
    assert (phone.available, phone.sold) == (1, 6)
    sale.buy(phone.id, 1)
    assert phone.status == "ENDED"
    assert phone.ended_by == "EMPTY_STOCK"
    sale.give_back(phone.id, 1)
    assert (phone.available, phone.sold) == (1, 6)
    types = [e.type for e in sale.events if e.offer_id == phone.id]
    assert types == [
        "OFFER_STOCK_CHANGED",
        "OFFER_STOCK_CHANGED",
        "OFFER_ENDED",
        "OFFER_STOCK_CHANGED",
    ]
    restored = pickle.loads(pickle.dumps(emulator.world))  # noqa: S301 (our own bytes)
    assert restored.sale.offers[phone.id].available == 1


def test_seeding_is_deterministic(emulator: Emulator):
    other = Emulator(seed=0)
    seller = emulator.demo_seller.id
    mine = emulator.world.sale.seller(seller)
    theirs = other.world.sale.seller(seller)
    assert list(mine.shipping_rates) == list(theirs.shipping_rates)
    assert sorted(emulator.world.sale.offers) == sorted(other.world.sale.offers)
    assert len(emulator.world.sale.categories) >= 60
    assert len(emulator.world.sale.products) >= 60
