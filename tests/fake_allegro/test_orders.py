"""Orders domain: events, checkout-form lists and filters, fulfillment, shipments, merges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from fake_allegro import Emulator
from fake_allegro.spec import MEDIA_TYPE

JSON_BODY = {"Content-Type": MEDIA_TYPE}


def purchase(client: httpx.Client, **options: Any) -> list[str]:
    body = {"synthetic": True} | options
    response = client.post("/_emulator/purchases", json=body)
    assert response.status_code == 201, response.text
    ids: list[str] = response.json()["checkoutFormIds"]
    return ids


def events(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/order/events", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["events"]
    return found


def test_a_paid_purchase_writes_three_events_oldest_first(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http)

    found = events(emulator_http)

    assert [e["type"] for e in found] == ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"]
    assert {e["order"]["checkoutForm"]["id"] for e in found} == {form_id}
    ids = [int(e["id"]) for e in found]
    assert ids == sorted(ids)
    assert all(e["id"].isdigit() for e in found)


def test_events_cursor_is_exclusive_and_pages(emulator_http: httpx.Client) -> None:
    purchase(emulator_http, count=4)
    everything = events(emulator_http, limit=1000)
    assert len(everything) == 12

    first = events(emulator_http, limit=5)
    second = events(emulator_http, limit=5, **{"from": first[-1]["id"]})
    rest = events(emulator_http, limit=5, **{"from": second[-1]["id"]})

    assert [e["id"] for e in first + second + rest] == [e["id"] for e in everything]
    assert events(emulator_http, **{"from": everything[-1]["id"]}) == []


def test_events_type_filter(emulator_http: httpx.Client) -> None:
    purchase(emulator_http, count=3)

    ready = events(emulator_http, type="READY_FOR_PROCESSING")

    assert len(ready) == 3
    assert {e["type"] for e in ready} == {"READY_FOR_PROCESSING"}


def test_event_stats_name_the_latest_event(emulator_http: httpx.Client) -> None:
    assert emulator_http.get("/order/event-stats").json() == {"latestEvent": None}
    purchase(emulator_http, count=2)

    latest = emulator_http.get("/order/event-stats").json()["latestEvent"]

    assert latest["id"] == events(emulator_http)[-1]["id"]


def test_events_of_another_seller_are_invisible(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    purchase(emulator_http, login="demo-hurtownia")

    assert events(emulator_http) == []


def test_checkout_form_list_filters(emulator_http: httpx.Client) -> None:
    paid = purchase(emulator_http, count=3)
    waiting = purchase(emulator_http, count=2, stage="FILLED_IN")
    cod = purchase(emulator_http, paymentType="CASH_ON_DELIVERY")

    def ids(**params: Any) -> set[str]:
        response = emulator_http.get("/order/checkout-forms", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["checkoutForms"])
        return {f["id"] for f in body["checkoutForms"]}

    assert ids() == set(paid + waiting + cod)
    assert ids(status="FILLED_IN") == set(waiting)
    assert ids(**{"payment.id": _form(emulator_http, cod[0])["payment"]["id"]}) == set(cod)
    login = _form(emulator_http, paid[0])["buyer"]["login"]
    assert paid[0] in ids(**{"buyer.login": login})
    assert ids(**{"fulfillment.shipmentSummary.lineItemsSent": "ALL"}) == set()
    assert len(ids(limit=2)) == 2


def test_checkout_form_time_filters_and_sort(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    (old,) = purchase(emulator_http)
    emulator.world.clock.advance(3600)
    (new,) = purchase(emulator_http)
    boundary = (emulator.world.now() - timedelta(minutes=30)).isoformat().replace("+00:00", "Z")

    newer = emulator_http.get("/order/checkout-forms", params={"lineItems.boughtAt.gte": boundary})
    older = emulator_http.get("/order/checkout-forms", params={"updatedAt.lte": boundary})
    ascending = emulator_http.get("/order/checkout-forms", params={"sort": "lineItems.boughtAt"})

    assert [f["id"] for f in newer.json()["checkoutForms"]] == [new]
    assert [f["id"] for f in older.json()["checkoutForms"]] == [old]
    assert [f["id"] for f in ascending.json()["checkoutForms"]] == [old, new]


def test_bought_at_window_pages_in_order_and_sees_later_purchases(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    def stamp(moment: Any) -> str:
        return str(moment.isoformat().replace("+00:00", "Z"))

    def listed(**params: Any) -> list[str]:
        response = emulator_http.get("/order/checkout-forms", params=params)
        assert response.status_code == 200, response.text
        return [f["id"] for f in response.json()["checkoutForms"]]

    start = emulator.world.now()
    hourly = []
    for _hour in range(5):
        hourly += purchase(emulator_http)
        emulator.world.clock.advance(3600)
    window = {
        "lineItems.boughtAt.gte": stamp(start + timedelta(minutes=30)),
        "lineItems.boughtAt.lte": stamp(start + timedelta(hours=3, minutes=30)),
        "sort": "lineItems.boughtAt",
    }
    assert listed(**window) == hourly[1:4]
    assert listed(**window, offset=1, limit=1) == [hourly[2]]
    assert listed(**(window | {"sort": "-lineItems.boughtAt"})) == hourly[3:0:-1]

    (later,) = purchase(emulator_http)  # listed after the index was built
    assert listed(sort="lineItems.boughtAt") == [*hourly, later]


def test_offset_plus_limit_over_ten_thousand_is_422(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/order/checkout-forms", params={"offset": 9950, "limit": 100})

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "VALIDATION_ERROR"


def test_illegal_status_filter_is_400(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/order/checkout-forms", params={"status": "PAID"})

    assert response.status_code == 400


def _form(client: httpx.Client, form_id: str) -> dict[str, Any]:
    response = client.get(f"/order/checkout-forms/{form_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_unknown_checkout_form_is_404(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "CheckoutFormNotFoundException"


def test_fulfillment_with_current_revision_then_outdated_is_409(
    emulator_http: httpx.Client,
) -> None:
    (form_id,) = purchase(emulator_http)
    revision = _form(emulator_http, form_id)["revision"]
    url = f"/order/checkout-forms/{form_id}/fulfillment"

    done = emulator_http.put(
        url,
        params={"checkoutForm.revision": revision},
        content=b'{"status": "PROCESSING"}',
        headers=JSON_BODY,
    )
    stale = emulator_http.put(
        url,
        params={"checkoutForm.revision": revision},
        content=b'{"status": "SENT"}',
        headers=JSON_BODY,
    )

    assert done.status_code == 204
    assert stale.status_code == 409
    form = _form(emulator_http, form_id)
    assert form["fulfillment"]["status"] == "PROCESSING"
    assert form["revision"] != revision
    assert events(emulator_http)[-1]["type"] == "FULFILLMENT_STATUS_CHANGED"


def test_returned_cannot_be_set(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http)

    response = emulator_http.put(
        f"/order/checkout-forms/{form_id}/fulfillment",
        content=b'{"status": "RETURNED"}',
        headers=JSON_BODY,
    )

    assert response.status_code == 422


def test_shipments_add_list_and_refuse_the_same_waybill(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http, items=1)
    url = f"/order/checkout-forms/{form_id}/shipments"
    body = b'{"carrierId": "INPOST", "waybill": "620000000000000000000001"}'

    created = emulator_http.post(url, content=body, headers=JSON_BODY)
    again = emulator_http.post(url, content=body, headers=JSON_BODY)

    assert created.status_code == 201
    assert created.json()["carrierId"] == "INPOST"
    assert again.status_code == 409
    assert emulator_http.get(url).json()["shipments"] == [created.json()]
    form = _form(emulator_http, form_id)
    assert form["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "ALL"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b'{"carrierId": "OTHER", "waybill": "X1"}', "carrierName"),
        (b'{"carrierId": "DPD", "waybill": "X1", "carrierName": "Kurier"}', "carrierName"),
        (b'{"carrierId": "NOPE", "waybill": "X1"}', "carrierId"),
        # Wysyłam z Allegro puts its numbers on the order itself (allegro/allegro-api#13267).
        (b'{"carrierId": "ALLEGRO", "waybill": "X1"}', "carrierId"),
    ],
)
def test_shipment_carrier_rules(emulator_http: httpx.Client, body: bytes, path: str) -> None:
    (form_id,) = purchase(emulator_http)

    response = emulator_http.post(
        f"/order/checkout-forms/{form_id}/shipments", content=body, headers=JSON_BODY
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == path


def test_carriers_list_polish_carriers(emulator_http: httpx.Client) -> None:
    carriers = {c["id"] for c in emulator_http.get("/order/carriers").json()["carriers"]}

    assert {"INPOST", "DPD", "POCZTA_POLSKA", "OTHER"} <= carriers
    # Withdrawn on 9 June 2026 (allegro/allegro-api#13267).
    assert "ALLEGRO" not in carriers


def test_merged_payment_replaces_forms(emulator_http: httpx.Client) -> None:
    first, second = purchase(emulator_http, count=2, stage="BOUGHT")
    items = [i["id"] for f in (first, second) for i in _form(emulator_http, f)["lineItems"]]
    listed = emulator_http.get("/order/checkout-forms").json()["checkoutForms"]
    assert {f["id"] for f in listed} == {first, second}

    merged = emulator_http.post(
        "/_emulator/merge", json={"checkoutFormIds": [first, second]}
    ).json()["id"]

    listed = emulator_http.get("/order/checkout-forms").json()["checkoutForms"]
    assert [f["id"] for f in listed] == [merged]
    assert emulator_http.get(f"/order/checkout-forms/{first}").status_code == 404
    assert emulator_http.get(f"/order/checkout-forms/{second}").status_code == 404
    form = _form(emulator_http, merged)
    assert sorted(i["id"] for i in form["lineItems"]) == sorted(items)
    assert form["status"] == "READY_FOR_PROCESSING"
    by_form = {e["order"]["checkoutForm"]["id"]: e["type"] for e in events(emulator_http)}
    assert by_form[first] == "BOUGHT"
    assert by_form[merged] == "READY_FOR_PROCESSING"


def test_duplicated_and_dropped_events(emulator_http: httpx.Client) -> None:
    (duplicated,) = purchase(emulator_http, duplicateEvents=True)
    (dropped,) = purchase(emulator_http, dropEvent="READY_FOR_PROCESSING")

    found = events(emulator_http)

    dup_types = [e["type"] for e in found if e["order"]["checkoutForm"]["id"] == duplicated]
    assert dup_types.count("READY_FOR_PROCESSING") == 2
    drop_types = [e["type"] for e in found if e["order"]["checkoutForm"]["id"] == dropped]
    assert drop_types == ["BOUGHT", "FILLED_IN"]
    assert _form(emulator_http, dropped)["status"] == "READY_FOR_PROCESSING"


def test_buyer_cancellation(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http, cancel="BUYER_CANCELLED")

    assert _form(emulator_http, form_id)["status"] == "CANCELLED"
    assert events(emulator_http)[-1]["type"] == "BUYER_CANCELLED"


def test_stages_reveal_the_form_step_by_step(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http, stage="BOUGHT", paymentType="ONLINE")
    bought = _form(emulator_http, form_id)
    assert "address" not in bought["delivery"]

    emulator_http.post(f"/_emulator/checkout-forms/{form_id}/status", json={"status": "FILLED_IN"})
    filled = _form(emulator_http, form_id)
    assert filled["delivery"]["address"]["countryCode"] == "PL"
    assert "finishedAt" not in filled["payment"]

    emulator_http.post(
        f"/_emulator/checkout-forms/{form_id}/status", json={"status": "READY_FOR_PROCESSING"}
    )
    paid = _form(emulator_http, form_id)
    assert paid["payment"]["paidAmount"] == paid["summary"]["totalToPay"]
    assert [e["type"] for e in events(emulator_http)] == [
        "BOUGHT",
        "FILLED_IN",
        "READY_FOR_PROCESSING",
    ]
