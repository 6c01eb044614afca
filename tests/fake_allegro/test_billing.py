"""Billing domain: fees recorded as orders happen, posting lag, filters, paging and refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

POSTED = {"advance_seconds": 300}  # past the posting lag


def purchase(client: httpx.Client, **options: Any) -> list[str]:
    response = client.post("/_emulator/purchases", json={"synthetic": True} | options)
    assert response.status_code == 201, response.text
    ids: list[str] = response.json()["checkoutFormIds"]
    return ids


def entries(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/billing/billing-entries", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["billingEntries"]
    return found


def test_a_paid_order_is_charged_commission_per_line_item_after_a_posting_lag(
    emulator_http: httpx.Client,
) -> None:
    (form_id,) = purchase(emulator_http, items=2)
    assert entries(emulator_http) == []  # not posted yet

    emulator_http.post("/_emulator/clock", json=POSTED)
    found = entries(emulator_http, **{"order.id": form_id, "type.id": "SUC"})

    form = emulator_http.get(f"/order/checkout-forms/{form_id}").json()
    assert len(found) == len(form["lineItems"]) == 2
    for entry, item in zip(
        sorted(found, key=lambda e: e["offer"]["id"]),
        sorted(form["lineItems"], key=lambda i: i["offer"]["id"]),
        strict=True,
    ):
        assert entry["type"] == {"id": "SUC", "name": "Prowizja od sprzedaży"}
        assert entry["asset"] == "DEBIT"
        gross = Decimal(item["price"]["amount"]) * item["quantity"]
        assert Decimal(entry["value"]["amount"]) == -(gross / 10).quantize(Decimal("0.01"))
        assert entry["order"] == {"id": form_id}


def test_commission_refund_hook_credits_the_commission_back(emulator_http: httpx.Client) -> None:
    (form_id,) = purchase(emulator_http, items=1)
    response = emulator_http.post(
        "/_emulator/billing/commission-refunds", json={"orderId": form_id}
    )
    assert response.status_code == 200, response.text
    emulator_http.post("/_emulator/clock", json=POSTED)

    found = entries(emulator_http, **{"order.id": form_id})
    charged = [e for e in found if e["type"]["id"] == "SUC"]
    refunded = [e for e in found if e["type"]["id"] == "REF"]
    assert len(refunded) == 1
    assert refunded[0]["asset"] == "CREDIT"
    assert Decimal(refunded[0]["value"]["amount"]) == -Decimal(charged[0]["value"]["amount"])


def test_entries_are_newest_first_and_page_with_offset(emulator_http: httpx.Client) -> None:
    for day in range(5):
        emulator_http.post(
            "/_emulator/billing/entries",
            json={
                "type": "LIS",
                "amount": "-0.50",
                "offerId": str(100 + day),
                "lagSeconds": 0,
                "occurredAt": f"2026-01-0{day + 1}T10:00:00Z",
            },
        )
    everything = entries(emulator_http)
    assert [e["offer"]["id"] for e in everything] == ["104", "103", "102", "101", "100"]
    pages = entries(emulator_http, limit=2) + entries(emulator_http, limit=2, offset=2)
    pages += entries(emulator_http, limit=2, offset=4)
    assert pages == everything
    window = entries(
        emulator_http,
        **{"occurredAt.gte": "2026-01-02T10:00:00Z", "occurredAt.lte": "2026-01-03T10:00:00Z"},
    )
    assert [e["offer"]["id"] for e in window] == ["102", "101"]
    assert [e["offer"]["id"] for e in entries(emulator_http, **{"offer.id": "103"})] == ["103"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"limit": 101}, 422),
        ({"limit": 0}, 422),
        ({"offset": 10001}, 422),  # allegro/allegro-api#12716
        ({"occurredAt.gte": "2026-02-01T00:00:00Z", "occurredAt.lte": "2026-01-01T00:00:00Z"}, 422),
        ({"occurredAt.gte": "wczoraj"}, 422),
        ({"order.id": "not-a-uuid"}, 422),
    ],
)
def test_refuses_what_allegro_refuses(
    emulator_http: httpx.Client, params: dict[str, Any], status: int
) -> None:
    response = emulator_http.get("/billing/billing-entries", params=params)

    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["code"] in {"VALIDATION_ERROR", "TypeMismatchException"}


def test_offset_of_exactly_ten_thousand_is_accepted(emulator_http: httpx.Client) -> None:
    assert entries(emulator_http, offset=10000) == []


def test_billing_types_are_listed_with_polish_names(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/billing/billing-types")
    assert response.status_code == 200
    types = {t["id"]: t["description"] for t in response.json()}
    assert types["SUC"] == "Prowizja od sprzedaży"
    assert types["REF"] == "Zwrot kosztów"
