"""Commission refund claims: Allegro's rules on filing, one claim per line item, decisions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fake_allegro.spec import MEDIA_TYPE

JSON_BODY = {"Content-Type": MEDIA_TYPE}
DAY = 86400
DECIDED = 3 * 3600  # past the emulator's processing time, within the token's life


def purchase(client: httpx.Client, **options: Any) -> dict[str, Any]:
    response = client.post("/_emulator/purchases", json={"synthetic": True} | options)
    assert response.status_code == 201, response.text
    form_id = response.json()["checkoutFormIds"][0]
    form: dict[str, Any] = client.get(f"/order/checkout-forms/{form_id}").json()
    return form


def advance(client: httpx.Client, seconds: float) -> None:
    """Move the clock on; a fresh token, as a client refreshes one that expired meanwhile."""
    assert client.post("/_emulator/clock", json={"advanceSeconds": seconds}).status_code == 200
    tokens = client.post("/_emulator/tokens", json={})
    assert tokens.status_code == 201, tokens.text
    client.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"


def file(client: httpx.Client, line_item_id: str, quantity: int = 1) -> httpx.Response:
    body = {"lineItem": {"id": line_item_id}, "quantity": quantity}
    return client.post("/order/refund-claims", json=body, headers=JSON_BODY)


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["code"])


def test_a_cancelled_purchase_is_claimed_and_granted_after_processing(
    emulator_http: httpx.Client,
) -> None:
    form = purchase(emulator_http, cancel="BUYER_CANCELLED", cancelAfter="BOUGHT")
    item = form["lineItems"][0]

    created = file(emulator_http, item["id"])

    assert created.status_code == 201, created.text
    claim = emulator_http.get(f"/order/refund-claims/{created.json()['id']}").json()
    assert claim["status"] == "IN_PROGRESS"
    assert claim["lineItem"]["id"] == item["id"]
    assert claim["commission"]["amount"] > 0
    advance(emulator_http, DECIDED)
    assert emulator_http.get(f"/order/refund-claims/{claim['id']}").json()["status"] == "GRANTED"


def test_a_paid_sale_is_rejected_and_cannot_be_claimed_again(
    emulator_http: httpx.Client,
) -> None:
    """#9992: a rejected claim blocks the line item for good (ClaimExistsException)."""
    item = purchase(emulator_http)["lineItems"][0]
    claim_id = file(emulator_http, item["id"]).json()["id"]
    advance(emulator_http, DECIDED)
    assert emulator_http.get(f"/order/refund-claims/{claim_id}").json()["status"] == "REJECTED"

    again = file(emulator_http, item["id"])

    assert again.status_code == 422
    assert code_of(again) == "ClaimExistsException"


def test_a_second_claim_for_the_same_line_item_is_refused(emulator_http: httpx.Client) -> None:
    item = purchase(emulator_http, cancel="BUYER_CANCELLED")["lineItems"][0]
    assert file(emulator_http, item["id"]).status_code == 201

    second = file(emulator_http, item["id"])

    assert second.status_code == 422
    assert code_of(second) == "ClaimExistsException"
    assert emulator_http.get("/order/refund-claims").json()["count"] == 1


def test_more_than_bought_is_refused(emulator_http: httpx.Client) -> None:
    item = purchase(emulator_http, cancel="BUYER_CANCELLED")["lineItems"][0]

    response = file(emulator_http, item["id"], quantity=item["quantity"] + 1)

    assert response.status_code == 422
    assert code_of(response) == "VALIDATION_ERROR"
    assert "ilość przekroczona" in response.json()["errors"][0]["userMessage"]


def test_too_late_after_45_days(emulator_http: httpx.Client) -> None:
    item = purchase(emulator_http, cancel="BUYER_CANCELLED")["lineItems"][0]
    advance(emulator_http, 45 * DAY + 60)

    response = file(emulator_http, item["id"])

    assert response.status_code == 422
    assert code_of(response) == "CommissionRefundPeriodExpiredException"


def test_unpaid_purchase_waits_for_the_payment_time_then_is_granted(
    emulator_http: httpx.Client,
) -> None:
    item = purchase(emulator_http, stage="FILLED_IN")["lineItems"][0]

    early = file(emulator_http, item["id"])
    assert early.status_code == 422
    assert code_of(early) == "CommissionRefundPeriodNotStartedException"

    advance(emulator_http, 7 * DAY + 60)
    created = file(emulator_http, item["id"])
    assert created.status_code == 201, created.text
    decided = emulator_http.post(f"/_emulator/refund-claims/{created.json()['id']}/status", json={})
    assert decided.json()["status"] == "GRANTED"


def test_list_filters_by_offer_and_buyer_and_cancel_only_while_open(
    emulator_http: httpx.Client,
) -> None:
    one = purchase(emulator_http, cancel="BUYER_CANCELLED")
    two = purchase(emulator_http, cancel="BUYER_CANCELLED")
    first = file(emulator_http, one["lineItems"][0]["id"]).json()["id"]
    file(emulator_http, two["lineItems"][0]["id"])

    params = {
        "lineItem.offer.id": one["lineItems"][0]["offer"]["id"],
        "buyer.id": one["buyer"]["id"],
    }
    listed = emulator_http.get("/order/refund-claims", params=params).json()["refundClaims"]
    assert [c["id"] for c in listed] == [first]

    assert emulator_http.delete(f"/order/refund-claims/{first}").status_code == 204
    again = emulator_http.delete(f"/order/refund-claims/{first}")
    assert again.status_code == 422
    status = emulator_http.get(f"/order/refund-claims/{first}").json()["status"]
    assert status == "CANCELLED"


@pytest.mark.parametrize("quantity", [0, "1"])
def test_a_bad_quantity_breaks_the_spec(emulator_http: httpx.Client, quantity: Any) -> None:
    item = purchase(emulator_http, cancel="BUYER_CANCELLED")["lineItems"][0]
    body = {"lineItem": {"id": item["id"]}, "quantity": quantity}
    response = emulator_http.post("/order/refund-claims", json=body, headers=JSON_BODY)
    assert response.status_code in (400, 422)


def test_the_buyer_simulator_leaves_purchases_unpaid_at_the_asked_rate(
    emulator_http: httpx.Client,
) -> None:
    body = {"synthetic": True, "count": 6, "chaos": {"unpaidRate": 1}}
    created = emulator_http.post("/_emulator/purchases", json=body).json()["checkoutFormIds"]

    statuses = {emulator_http.get(f"/order/checkout-forms/{i}").json()["status"] for i in created}

    assert statuses <= {"BOUGHT", "FILLED_IN"}
