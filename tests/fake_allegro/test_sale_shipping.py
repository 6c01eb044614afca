"""Delivery methods and shipping-rate price lists (2026-10 rules) of the emulator."""

from __future__ import annotations

import json
from typing import Any

import httpx

from fake_allegro import Emulator
from fake_allegro.sale.seed_delivery import method_id
from fake_allegro.spec import MEDIA_TYPE

JSON = {"Content-Type": MEDIA_TYPE}


def _rate(carrier: str, amount: str, policy: str = "IN_ADVANCE", **extra: Any) -> dict[str, Any]:
    rate: dict[str, Any] = {
        "deliveryMethod": {"id": method_id(carrier, policy)},
        "maxQuantityPerPackage": 5,
        "maxPackageWeight": {"value": "10.000", "unit": "KILOGRAM"},
        "firstItemRate": {"amount": amount, "currency": "PLN"},
    }
    rate.update(extra)
    return rate


def _body(*rates: dict[str, Any], name: str = "Cennik testowy") -> dict[str, Any]:
    return {"name": name, "type": "PHYSICAL", "dispatchCountry": "PL", "rates": list(rates)}


def _post(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post("/sale/shipping-rates", content=json.dumps(body), headers=JSON)


def test_delivery_methods_come_in_advance_and_cash_on_delivery_twins(
    emulator_http: httpx.Client,
):
    methods = emulator_http.get("/sale/delivery-methods").json()["deliveryMethods"]
    names = {m["name"] for m in methods}
    assert {
        "Allegro Paczkomaty InPost",
        "Allegro Kurier DPD",
        "Kurier DHL",
        "Allegro One Box, DPD",
        "Allegro Automat ORLEN Paczka",
    } <= names
    by_id = {m["id"]: m for m in methods}
    advance = by_id[method_id("inpost-lockers", "IN_ADVANCE")]
    cod = by_id[method_id("inpost-lockers", "CASH_ON_DELIVERY")]
    assert advance["paymentPolicy"] == "IN_ADVANCE"
    assert cod["paymentPolicy"] == "CASH_ON_DELIVERY"
    assert (
        advance["shippingRatesConstraints"]["maxPackageWeight"]
        == cod["shippingRatesConstraints"]["maxPackageWeight"]
    )
    assert all("nextItemRate" not in m["shippingRatesConstraints"] for m in methods)


def test_delivery_methods_accept_an_application_token(emulator: Emulator):
    token = emulator.issue_app_token()["access_token"]
    with emulator.http_client(
        headers={"Authorization": f"Bearer {token}", "Accept": MEDIA_TYPE}
    ) as client:
        assert client.get("/sale/delivery-methods").status_code == 200


def test_seeded_lists_include_a_read_only_allegro_managed_one(emulator_http: httpx.Client):
    lists = emulator_http.get("/sale/shipping-rates").json()["shippingRates"]
    assert len(lists) == 3
    managed = [r for r in lists if r["features"]["managedByAllegro"]]
    assert len(managed) == 1
    detail = emulator_http.get(f"/sale/shipping-rates/{managed[0]['id']}").json()
    assert detail["type"] == "PHYSICAL"
    assert detail["rates"]
    detail.pop("features")
    refused = emulator_http.put(
        f"/sale/shipping-rates/{detail['id']}", content=json.dumps(detail), headers=JSON
    )
    assert refused.status_code == 403


def test_create_then_replace_a_list(emulator_http: httpx.Client):
    created = _post(
        emulator_http,
        _body(
            _rate("inpost-lockers", "11.99"), _rate("inpost-lockers", "15.99", "CASH_ON_DELIVERY")
        ),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"]
    assert body["type"] == "PHYSICAL"
    assert len(body["rates"]) == 2
    body["name"] = "Cennik po zmianie, v.2"
    body["rates"] = [_rate("dpd", "19.00")]
    replaced = emulator_http.put(
        f"/sale/shipping-rates/{body['id']}", content=json.dumps(body), headers=JSON
    )
    assert replaced.status_code == 200, replaced.text
    again = emulator_http.get(f"/sale/shipping-rates/{body['id']}").json()
    assert again["name"] == "Cennik po zmianie, v.2"
    assert [r["deliveryMethod"]["id"] for r in again["rates"]] == [method_id("dpd", "IN_ADVANCE")]
    body["type"] = "ELECTRONIC"
    body["dispatchCountry"] = None
    body["rates"] = [_rate("email", "0.00", maxPackageWeight=None)]
    assert (
        emulator_http.put(
            f"/sale/shipping-rates/{body['id']}", content=json.dumps(body), headers=JSON
        ).status_code
        == 422
    )


def test_constraints_of_delivery_methods_are_enforced(emulator_http: httpx.Client):
    cases = [
        _body(_rate("inpost-lockers", "99.00")),  # above firstItemRate.max
        _body(_rate("poczta-polska", "5.00")),  # 10 kg above maxPackageWeight.max of 2 kg
        _body(_rate("inpost-lockers", "5.00", maxQuantityPerPackage=11)),
        _body(_rate("inpost-lockers", "5.00", shippingTime={"from": "PT1H", "to": "PT2H"})),
        _body(  # twins must share the package weight
            _rate("dpd", "10.00"),
            _rate(
                "dpd",
                "14.00",
                "CASH_ON_DELIVERY",
                maxPackageWeight={"value": "20.000", "unit": "KILOGRAM"},
            ),
        ),
        _body(_rate("dpd", "10.00"), name="Cennik_z_podkreśleniem!"),
        {**_body(_rate("dpd", "10.00")), "dispatchCountry": None},
        _body(_rate("email", "0.00", maxPackageWeight=None)),  # electronic in a PHYSICAL list
        _body({**_rate("dpd", "10.00"), "deliveryMethod": {"id": "no-such-method"}}),
    ]
    for body in cases:
        response = _post(emulator_http, body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["userMessage"]
    custom_time = _post(
        emulator_http, _body(_rate("dhl", "20.00", shippingTime={"from": "PT24H", "to": "PT96H"}))
    )
    assert custom_time.status_code == 201


def test_next_item_rate_is_refused(emulator_http: httpx.Client):
    rate = _rate("dpd", "10.00", nextItemRate={"amount": "0.00", "currency": "PLN"})
    response = _post(emulator_http, _body(rate))
    assert response.status_code in (400, 422)


def test_at_most_250_lists_per_seller(emulator: Emulator, emulator_http: httpx.Client):
    sale = emulator.world.sale
    seller_rates = sale.seller(emulator.demo_seller.id).shipping_rates
    template = next(iter(seller_rates.values()))
    for n in range(250 - len(seller_rates)):
        seller_rates[f"filler-{n}"] = {**template, "id": f"filler-{n}"}
    response = _post(emulator_http, _body(_rate("dpd", "10.00")))
    assert response.status_code == 422
    assert "250" in response.json()["errors"][0]["message"]


def test_no_delete_and_unknown_id(emulator_http: httpx.Client):
    lists = emulator_http.get("/sale/shipping-rates").json()["shippingRates"]
    assert emulator_http.delete(f"/sale/shipping-rates/{lists[0]['id']}").status_code in (404, 405)
    assert (
        emulator_http.get("/sale/shipping-rates/00000000-0000-4000-8000-000000000000").status_code
        == 404
    )
