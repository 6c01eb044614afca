"""The control API: faults, recorded checkout forms, state, request log, applications, reset."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from fake_allegro import Emulator

RECORDED_FORM: dict[str, Any] = {
    "id": "29738e61-7f6a-11e8-ac45-09db60ede9d6",
    "messageToSeller": None,
    "buyer": {
        "id": "23123123",
        "email": "31k12xyz+2ab2e3c91@allegromail.pl",
        "login": "Klient123",
        "firstName": "Jan",
        "lastName": "Kowalski",
        "companyName": None,
        "guest": False,
        "personalIdentity": None,
        "phoneNumber": "500600700",
        "address": {
            "street": "Grunwaldzka 182",
            "city": "Poznań",
            "postCode": "60-166",
            "countryCode": "PL",
        },
    },
    "payment": {
        "id": "0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6",
        "type": "ONLINE",
        "provider": "P24",
        "finishedAt": "2026-11-20T12:01:00.000Z",
        "paidAmount": {"amount": "123.45", "currency": "PLN"},
        "reconciliation": None,
    },
    "status": "READY_FOR_PROCESSING",
    "fulfillment": {"status": "NEW", "shipmentSummary": {"lineItemsSent": "NONE"}},
    "delivery": {
        "address": {
            "firstName": "Jan",
            "lastName": "Kowalski",
            "street": "Grunwaldzka 182",
            "city": "Poznań",
            "zipCode": "60-166",
            "countryCode": "PL",
            "companyName": None,
            "phoneNumber": "500600700",
            "modifiedAt": None,
        },
        "method": {
            "id": "1fa56f79-4b6a-4821-a6f2-ca9c16d5c925",
            "name": "Allegro Paczkomaty InPost",
        },
        "pickupPoint": {"id": "POZ08A", "name": "Paczkomat POZ08A", "description": None},
        "cost": {"amount": "8.99", "currency": "PLN"},
        "time": {"guaranteed": None},
        "smart": True,
        "cancellation": None,
    },
    "invoice": {"required": False, "address": None, "dueDate": None, "features": None},
    "lineItems": [
        {
            "id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b",
            "offer": {"id": "9206010010", "name": "Kubek", "external": None, "productSet": None},
            "quantity": 1,
            "originalPrice": {"amount": "114.46", "currency": "PLN"},
            "price": {"amount": "114.46", "currency": "PLN"},
            "reconciliation": None,
            "tax": None,
            "discounts": None,
            "boughtAt": "2026-11-20T12:00:00.000Z",
        }
    ],
    "surcharges": [],
    "discounts": [{"type": "COUPON"}],
    "note": None,
    "marketplace": {"id": "allegro-pl"},
    "summary": {"totalToPay": {"amount": "123.45", "currency": "PLN"}},
    "updatedAt": "2026-11-20T12:02:00.000Z",
    "revision": "819b5836",
}


def test_recorded_checkout_form_is_replayed_as_given(emulator_http: httpx.Client) -> None:
    stored = emulator_http.post("/_emulator/checkout-forms", json=RECORDED_FORM)

    assert stored.status_code == 201, stored.text
    assert len(stored.json()["eventIds"]) == 3
    served = emulator_http.get(f"/order/checkout-forms/{RECORDED_FORM['id']}").json()
    assert served == RECORDED_FORM
    types = [e["type"] for e in emulator_http.get("/order/events").json()["events"]]
    assert types == ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"]


def test_recorded_cancelled_form_implies_a_cancel_event(emulator_http: httpx.Client) -> None:
    form = copy.deepcopy(RECORDED_FORM) | {"status": "CANCELLED"}

    emulator_http.post(
        "/_emulator/checkout-forms", json={"checkoutForm": form, "login": "demo-sprzedawca"}
    )

    types = [e["type"] for e in emulator_http.get("/order/events").json()["events"]]
    assert types == ["BOUGHT", "BUYER_CANCELLED"]


def test_recorded_form_breaking_the_spec_is_refused(emulator_http: httpx.Client) -> None:
    form = copy.deepcopy(RECORDED_FORM)
    del form["buyer"]
    form["status"] = "PAID"

    response = emulator_http.post("/_emulator/checkout-forms", json=form)

    assert response.status_code == 422
    assert {e["path"] for e in response.json()["errors"]} >= {"buyer", "status"}


def test_error_fault_by_method_and_path(emulator_http: httpx.Client) -> None:
    emulator_http.post(
        "/_emulator/faults", json={"method": "GET", "pathRegex": "^/order/events", "status": 503}
    )

    assert emulator_http.get("/order/events").status_code == 503
    assert emulator_http.get("/order/event-stats").status_code == 200
    emulator_http.delete("/_emulator/faults")
    assert emulator_http.get("/order/events").status_code == 200


def test_error_rate_fails_about_that_share(emulator_http: httpx.Client) -> None:
    emulator_http.post("/_emulator/faults", json={"pathRegex": "^/me$", "status": 500, "rate": 0.5})

    statuses = [emulator_http.get("/me").status_code for _ in range(60)]

    assert 10 < statuses.count(500) < 50
    assert set(statuses) == {200, 500}


def test_429_window_lengthens_when_hit_during_the_block(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator_http.post(
        "/_emulator/faults",
        json={
            "pathRegex": "^/order/",
            "throttle": {
                "limit": 2,
                "windowSeconds": 60,
                "blockSeconds": 10,
                "extendSeconds": 10,
                "retryAfter": True,
            },
        },
    )
    assert [emulator_http.get("/order/events").status_code for _ in range(2)] == [200, 200]
    blocked = emulator_http.get("/order/events")
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "10"

    emulator.world.clock.advance(8)
    again = emulator_http.get("/order/events")  # hit during the block: +10 s
    assert again.status_code == 429
    emulator.world.clock.advance(5)  # 13 s after the start: the original block would be over
    assert emulator_http.get("/order/events").status_code == 429
    emulator.world.clock.advance(30)
    assert emulator_http.get("/order/events").status_code == 200


def test_latency_fault(emulator_http: httpx.Client, emulator: Emulator) -> None:
    emulator_http.post("/_emulator/faults", json={"pathRegex": "^/me$", "latencyMs": 120})

    emulator_http.get("/me")

    last = [r for r in emulator.requests.entries() if r["path"] == "/me"][-1]
    assert last["duration_ms"] >= 120


def test_state_and_request_log(emulator_http: httpx.Client) -> None:
    emulator_http.post("/_emulator/purchases", json={"count": 2, "synthetic": True})
    emulator_http.get("/order/events", params={"limit": 10})

    state = emulator_http.get("/_emulator/state").json()
    log = emulator_http.get("/_emulator/requests", params={"path": "/order/events"}).json()

    assert state["ordersByStatus"] == {"READY_FOR_PROCESSING": 2}
    assert state["eventsCount"] == 6
    assert state["lastEventId"].isdigit()
    assert log["requests"][-1]["status"] == 200
    assert log["requests"][-1]["query"] == "limit=10"


def test_registered_app_can_authorize(emulator_http: httpx.Client) -> None:
    created = emulator_http.post(
        "/_emulator/apps",
        json={
            "clientId": "shop-2",
            "clientSecret": "s3cret",
            "name": "Drugi sklep",
            "redirectUris": ["http://x.test/cb"],
        },
    )
    tokens = emulator_http.post(
        "/_emulator/tokens", json={"clientId": "shop-2", "login": "demo-hurtownia"}
    )

    assert created.status_code == 201
    me = emulator_http.get(
        "/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
    )
    assert me.json()["login"] == "demo-hurtownia"


def test_reset_forgets_orders(emulator_http: httpx.Client, emulator: Emulator) -> None:
    emulator_http.post("/_emulator/purchases", json={"synthetic": True})

    emulator_http.post("/_emulator/reset", json={})

    assert emulator.world.orders is not None
    assert emulator.world.orders.forms == {}
