"""Customer returns (BETA) and refunds: what Allegro refuses, the emulator refuses too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from fake_allegro.spec import BETA_MEDIA_TYPE, MEDIA_TYPE

BETA = {"Accept": BETA_MEDIA_TYPE}
BETA_BODY = {"Accept": BETA_MEDIA_TYPE, "Content-Type": BETA_MEDIA_TYPE}
JSON_BODY = {"Content-Type": MEDIA_TYPE}


def sent_order(client: httpx.Client, emulator: Emulator) -> dict[str, Any]:
    response = client.post(
        "/_emulator/purchases", json={"synthetic": True, "paymentType": "ONLINE"}
    )
    assert response.status_code == 201, response.text
    form_id = response.json()["checkoutFormIds"][0]
    response = client.put(
        f"/order/checkout-forms/{form_id}/fulfillment",
        content=b'{"status": "SENT"}',
        headers=JSON_BODY,
    )
    assert response.status_code == 204, response.text
    return orders_of(emulator.world).forms[form_id].data  # type: ignore[no-any-return]


def declare_return(client: httpx.Client, form: dict[str, Any], **extra: Any) -> dict[str, Any]:
    line = form["lineItems"][0]
    body = {
        "checkoutFormId": form["id"],
        "items": [{"lineItemId": line["id"], "quantity": 1, "reason": "DAMAGED"}],
        **extra,
    }
    response = client.post("/_emulator/returns", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def refund(client: httpx.Client, form: dict[str, Any], **body: Any) -> httpx.Response:
    payload = {
        "payment": {"id": form["payment"]["id"]},
        "order": {"id": form["id"]},
        "reason": "REFUND",
        **body,
    }
    payload.setdefault("commandId", None)
    if payload["commandId"] is None:
        import uuid

        payload["commandId"] = str(uuid.uuid4())
    return client.post("/payments/refunds", json=payload, headers=JSON_BODY)


def test_a_return_is_listed_only_in_the_beta_media_type(
    emulator_http: httpx.Client, emulator: Emulator
) -> None:
    form = sent_order(emulator_http, emulator)
    created = declare_return(emulator_http, form, status="DELIVERED")

    assert emulator_http.get("/order/customer-returns").status_code == 406
    listed = emulator_http.get("/order/customer-returns", headers=BETA)
    assert listed.status_code == 200, listed.text
    assert listed.headers["Content-Type"].startswith(BETA_MEDIA_TYPE)
    (found,) = listed.json()["customerReturns"]
    assert found["id"] == created["id"]
    assert found["orderId"] == form["id"]
    assert found["status"] == "DELIVERED"
    assert found["parcels"][0]["waybill"]
    assert found["items"][0]["reason"]["type"] == "DAMAGED"
    one = emulator_http.get(f"/order/customer-returns/{created['id']}", headers=BETA)
    assert one.json()["referenceNumber"] == created["referenceNumber"]
    by_order = emulator_http.get("/order/customer-returns", params={"orderId": "x"}, headers=BETA)
    assert by_order.json() == {"customerReturns": [], "count": 0}


def test_an_unsent_order_cannot_be_returned(emulator_http: httpx.Client) -> None:
    response = emulator_http.post("/_emulator/purchases", json={"synthetic": True})
    form_id = response.json()["checkoutFormIds"][0]
    response = emulator_http.post("/_emulator/returns", json={"checkoutFormId": form_id})
    assert response.status_code == 409


def test_rejection_needs_the_parcel_delivered_and_happens_once(
    emulator_http: httpx.Client, emulator: Emulator
) -> None:
    form = sent_order(emulator_http, emulator)
    created = declare_return(emulator_http, form)
    url = f"/order/customer-returns/{created['id']}/rejection"
    body = {"rejection": {"code": "REFUND_REJECTED", "reason": "Uszkodzony przez kupującego"}}

    early = emulator_http.post(url, json=body, headers=BETA_BODY)
    assert early.status_code == 422
    emulator_http.post(f"/_emulator/returns/{created['id']}/status", json={"status": "DELIVERED"})
    no_reason = emulator_http.post(
        url, json={"rejection": {"code": "REFUND_REJECTED"}}, headers=BETA_BODY
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["path"] == "rejection.reason"
    done = emulator_http.post(url, json=body, headers=BETA_BODY)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "REJECTED"
    assert done.json()["rejection"]["code"] == "REFUND_REJECTED"
    again = emulator_http.post(url, json=body, headers=BETA_BODY)
    assert again.status_code == 422
    unknown = emulator_http.post(
        "/order/customer-returns/nope/rejection", json=body, headers=BETA_BODY
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["code"] == "NO_RESCISSION"


def test_refunds_never_exceed_what_was_paid(
    emulator_http: httpx.Client, emulator: Emulator
) -> None:
    form = sent_order(emulator_http, emulator)
    line = form["lineItems"][0]
    bought = int(line["quantity"])
    price = line["price"]["amount"]
    currency = line["price"]["currency"]

    too_many = refund(
        emulator_http,
        form,
        lineItems=[{"id": line["id"], "type": "QUANTITY", "quantity": bought + 1}],
    )
    assert too_many.status_code == 422
    assert "ilość przekroczona" in too_many.json()["errors"][0]["userMessage"]
    nothing = refund(emulator_http, form)
    assert nothing.status_code == 422
    three_decimals = refund(
        emulator_http,
        form,
        lineItems=[
            {"id": line["id"], "type": "AMOUNT", "value": {"amount": "1.001", "currency": currency}}
        ],
    )
    assert three_decimals.status_code == 422

    done = refund(
        emulator_http, form, lineItems=[{"id": line["id"], "type": "QUANTITY", "quantity": bought}]
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "SUCCESS"
    assert done.json()["totalValue"]["amount"] == f"{float(price) * bought:.2f}"
    twice = refund(
        emulator_http, form, lineItems=[{"id": line["id"], "type": "QUANTITY", "quantity": 1}]
    )
    assert twice.status_code == 422
    assert "dostępna: 0" in twice.json()["errors"][0]["userMessage"]
    amount = refund(
        emulator_http,
        form,
        lineItems=[
            {"id": line["id"], "type": "AMOUNT", "value": {"amount": "0.01", "currency": currency}}
        ],
    )
    assert amount.status_code == 422
    assert "wartość przekroczona" in amount.json()["errors"][0]["userMessage"]
    delivery_cost = form["delivery"]["cost"]["amount"]
    over_delivery = refund(
        emulator_http,
        form,
        delivery={"value": {"amount": f"{float(delivery_cost) + 1:.2f}", "currency": currency}},
    )
    assert over_delivery.status_code == 422

    listed = emulator_http.get("/payments/refunds", params={"payment.id": form["payment"]["id"]})
    assert listed.status_code == 200
    assert listed.json()["totalCount"] == 1
    # No refund field exists on a checkout form; it is untouched.
    assert "refund" not in str(orders_of(emulator.world).forms[form["id"]].data).lower()


def test_the_same_command_refunds_once(emulator_http: httpx.Client, emulator: Emulator) -> None:
    form = sent_order(emulator_http, emulator)
    line = form["lineItems"][0]
    body = {
        "commandId": "7a0d3b7e-5d34-4d2b-9d0a-1a2b3c4d5e6f",
        "lineItems": [{"id": line["id"], "type": "QUANTITY", "quantity": 1}],
    }
    first = refund(emulator_http, form, **body)
    second = refund(emulator_http, form, **body)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    listed = emulator_http.get("/payments/refunds", params={"order.id": form["id"]})
    assert listed.json()["totalCount"] == 1


def test_a_refund_finishes_the_orders_open_return(
    emulator_http: httpx.Client, emulator: Emulator
) -> None:
    form = sent_order(emulator_http, emulator)
    created = declare_return(emulator_http, form, status="DELIVERED")
    line = form["lineItems"][0]
    refund(emulator_http, form, lineItems=[{"id": line["id"], "type": "QUANTITY", "quantity": 1}])
    found = emulator_http.get(f"/order/customer-returns/{created['id']}", headers=BETA).json()
    assert found["status"] == "FINISHED"
    body = {"rejection": {"code": "NEW_ITEM_SENT"}}
    late = emulator_http.post(
        f"/order/customer-returns/{created['id']}/rejection", json=body, headers=BETA_BODY
    )
    assert late.status_code == 422


@pytest.mark.parametrize("rate", [1.0])
def test_live_demo_returns_a_share_of_sent_orders(
    emulator_http: httpx.Client, emulator: Emulator, rate: float
) -> None:
    sent_order(emulator_http, emulator)
    response = emulator_http.post("/_emulator/returns/tick", json={"rate": rate})
    assert response.json()["moved"] == 1
    for _ in range(20):
        emulator_http.post("/_emulator/returns/tick", json={"rate": 0})
    (found,) = emulator_http.get("/order/customer-returns", headers=BETA).json()["customerReturns"]
    assert found["status"] == "DELIVERED"


def test_returns_and_refunds_survive_a_saved_world(
    emulator_http: httpx.Client, emulator: Emulator
) -> None:
    import pickle

    form = sent_order(emulator_http, emulator)
    created = declare_return(emulator_http, form)
    line = form["lineItems"][0]
    refund(emulator_http, form, lineItems=[{"id": line["id"], "type": "QUANTITY", "quantity": 1}])

    world = pickle.loads(pickle.dumps(emulator.world))  # noqa: S301 - our own state

    saved = world.orders.customer_returns
    assert created["id"] in saved.returns
    assert len(saved.refunds) == 1
