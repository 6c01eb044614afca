"""Checkout forms with nulls anywhere still become complete shop orders."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allegro_api.models.orders import CheckoutForm
from shop.allegro.orders.mapping import form_data
from shop.allegro.orders.selectors import checkout_view
from shop.allegro.orders.services.importer import orders_import
from shop.orders.models import Order, PaymentStatus

RECORDED: dict[str, Any] = {
    "id": "29738e61-7f6a-11e8-ac45-09db60ede9d6",
    "messageToSeller": "Proszę o szybką wysyłkę — dziękuję!",
    "buyer": {
        "id": "23123123",
        "email": "1aa1ae@allegromail.pl",
        "login": "Jan-Kowalski",
        "firstName": "Żaneta",
        "lastName": "Łęcka-Źdźbło",
        "companyName": None,
        "guest": False,
        "personalIdentity": None,
        "phoneNumber": "+48 123 456 789",
        "address": {
            "street": "Solna 1",
            "city": "Poznań",
            "postCode": "60-166",
            "countryCode": "PL",
        },
        "preferences": {"language": "pl-PL"},
    },
    "payment": {
        "id": "0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6",
        "type": "CASH_ON_DELIVERY",
        "provider": "P24",
        "finishedAt": None,
        "paidAmount": None,
        "reconciliation": None,
        "features": None,
    },
    "status": "READY_FOR_PROCESSING",
    "fulfillment": {
        "status": "NEW",
        "shipmentSummary": {"lineItemsSent": "NONE"},
        "provider": None,
    },
    "delivery": {
        "address": {
            "firstName": "Jan",
            "lastName": "Kowalski",
            "street": "Grunwaldzka 182",
            "city": "Poznań",
            "zipCode": "60-166",
            "countryCode": "PL",
            "companyName": None,
            "phoneNumber": None,
            "modifiedAt": None,
        },
        "method": {
            "id": "1fa56f79-4b6a-4821-a6f2-ca9c16d5c925",
            "name": "Allegro Paczkomaty InPost",
        },
        "pickupPoint": {
            "id": "POZ08A",
            "name": "Paczkomat POZ08A",
            "description": "Stacja paliw BP",
            "address": {
                "street": "Grunwaldzka 108",
                "zipCode": "60-166",
                "city": "Poznań",
                "countryCode": "PL",
            },
        },
        "cost": {"amount": "10.99", "currency": "PLN"},
        "time": None,
        "smart": True,
        "cancellation": None,
        "calculatedNumberOfPackages": 1,
    },
    "invoice": {
        "required": True,
        "address": {
            "street": "Grunwaldzka 182",
            "city": "Poznań",
            "zipCode": "60-166",
            "countryCode": "PL",
            "company": {
                "name": "Udało się sp. z o.o.",
                "ids": [{"type": "PL_NIP", "value": "5252674798"}],
                "vatPayerStatus": "ACTIVE",
                "taxId": None,
            },
            "naturalPerson": None,
        },
        "dueDate": None,
        "features": None,
    },
    "lineItems": [
        {
            "id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b",
            "offer": {
                "id": "1234567890",
                "name": "Sukienka w kwiaty — zielona",
                "external": {"id": "SUK-ZIEL-38"},
                "productSet": None,
            },
            "quantity": 2,
            "originalPrice": {"amount": "123.45", "currency": "PLN"},
            "price": {"amount": "100.00", "currency": "PLN"},
            "reconciliation": None,
            "selectedAdditionalServices": None,
            "vouchers": None,
            "tax": {"rate": "23.00", "subject": "GOODS", "exemption": None},
            "boughtAt": "2026-09-18T16:43:33.000Z",
        },
        {
            "id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2c",
            "offer": {"id": "1234567891", "name": None, "external": None, "productSet": None},
            "quantity": 1,
            "originalPrice": None,
            "price": {"amount": "5.01", "currency": "PLN"},
            "boughtAt": "2026-09-18T16:43:34.000Z",
        },
    ],
    "surcharges": [],
    "discounts": None,
    "note": None,
    "marketplace": {"id": "allegro-pl"},
    "summary": {"totalToPay": {"amount": "216.00", "currency": "PLN"}},
    "updatedAt": "2026-09-18T17:00:00.000Z",
    "revision": "819b5836",
}


@pytest.mark.django_db
def test_a_recorded_form_replayed_arrives_with_every_field(allegro, linked_account):  # type: ignore[no-untyped-def]
    orders_import(account=linked_account, sweep=False)
    with allegro.http_client() as http:
        response = http.post("/_emulator/checkout-forms", json=RECORDED)
        assert response.status_code == 201, response.text
    orders_import(account=linked_account, sweep=False)
    order = Order.objects.select_related("shipping_address", "billing_address").get(
        external_id=RECORDED["id"]
    )
    assert order.customer_name == "Żaneta Łęcka-Źdźbło"
    assert order.customer_login == "Jan-Kowalski"
    assert order.customer_phone == "+48 123 456 789"
    assert order.customer_note == RECORDED["messageToSeller"]
    assert order.payment_status == PaymentStatus.CASH_ON_DELIVERY
    assert order.payment_method == "za pobraniem"
    assert order.delivery_method == "Allegro Paczkomaty InPost"
    assert order.delivery_cost == Decimal("10.99")
    assert order.pickup_point_id == "POZ08A"
    assert "Grunwaldzka 108" in order.pickup_point_address
    assert order.invoice_required
    assert order.invoice_nip == "5252674798"
    assert order.invoice_company_name == "Udało się sp. z o.o."
    assert order.billing_address.company_name == "Udało się sp. z o.o."  # type: ignore[union-attr]
    assert order.shipping_address.lines[:2] == ["Jan Kowalski", "Grunwaldzka 182"]  # type: ignore[union-attr]
    assert order.total == Decimal("216.00")
    assert order.items_total == Decimal("205.01")
    assert order.currency == "PLN"
    items = list(order.items.order_by("external_id"))
    assert [(i.name, i.sku, i.quantity, i.unit_price, i.vat_rate) for i in items] == [
        ("Sukienka w kwiaty — zielona", "SUK-ZIEL-38", 2, Decimal("100.00"), "23"),
        ("1234567891", "", 1, Decimal("5.01"), ""),
    ]
    assert order.needs_attention
    assert order.placed_at.isoformat().startswith("2026-09-18T16:43:33")


def _nulled(data: Any, paths: list[int], counter: list[int]) -> Any:
    """Replace the values at the chosen positions (a walk of the tree) with None."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            counter[0] += 1
            out[key] = None if counter[0] in paths else _nulled(value, paths, counter)
        return out
    if isinstance(data, list):
        return [_nulled(v, paths, counter) for v in data]
    return data


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=120), max_size=25))
def test_mapping_survives_nulls_anywhere(paths):  # type: ignore[no-untyped-def]
    raw = _nulled(copy.deepcopy(RECORDED), paths, [0])
    data = form_data(CheckoutForm.model_validate(raw))
    assert data.total >= 0 or data.total < 0
    assert len(data.buyer_name) <= 200
    assert len(data.currency) == 3
    for line in data.lines:
        assert line.line_item_id
        assert line.quantity >= 0


def test_mapping_of_an_empty_form():  # type: ignore[no-untyped-def]
    data = form_data(CheckoutForm())
    assert data.form_id == ""
    assert data.lines == []
    assert data.total == Decimal("0.00")
    nulls = CheckoutForm.model_validate({"lineItems": None, "summary": None, "buyer": None})
    assert form_data(nulls).buyer_name == ""


def _all_null(data: Any) -> Any:
    """Every value in the tree set to null, keeping only the top-level keys and the line items."""
    return dict.fromkeys(data)


def test_a_form_with_nulls_in_every_optional_place_still_maps():  # type: ignore[no-untyped-def]
    raw = copy.deepcopy(RECORDED)
    for part in ("buyer", "payment", "fulfillment", "delivery", "invoice", "summary"):
        raw[part] = _all_null(raw[part])
    raw["delivery"]["address"] = _all_null(RECORDED["delivery"]["address"])
    raw["invoice"]["address"] = {"company": _all_null(RECORDED["invoice"]["address"]["company"])}
    raw["lineItems"] = [{**_all_null(item), "id": item["id"]} for item in RECORDED["lineItems"]]
    for key in ("messageToSeller", "surcharges", "discounts", "note", "marketplace", "updatedAt"):
        raw[key] = None
    form = CheckoutForm.model_validate(raw)
    data = form_data(form)
    assert data.form_id == RECORDED["id"]
    assert data.buyer_name == "" and data.customer_note == ""
    assert data.shipping_address is None
    assert data.billing_address is not None and data.billing_address.country_code == "PL"
    assert data.invoice_nip == "" and not data.invoice_required
    assert [(ln.quantity, ln.unit_price, ln.offer_name) for ln in data.lines] == [
        (1, Decimal("0.00"), "-"),
        (1, Decimal("0.00"), "-"),
    ]
    assert (data.total, data.currency, data.payment_status) == (
        Decimal("0.00"),
        "PLN",
        PaymentStatus.PENDING,
    )
    view = checkout_view(form)
    assert view["delivery"]["address"] == [] and view["pickup_point"] is None
    assert view["invoice"]["lines"] == [] and view["payment"]["finished_at"] is None
