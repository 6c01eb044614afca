"""Pure rules of delivery price lists: constraints, buyer costs, Allegro paths, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allegro_api.models.shipping import DeliveryMethod, ShippingRatesSet
from fake_allegro.sale.seed_delivery import delivery_methods, method_id
from shop.allegro.shipping.mapping import (
    Constraints,
    PlannedRate,
    RateValues,
    buyer_costs,
    carrier_of,
    differences,
    error_target,
    fingerprint,
    name_error,
    rate_errors,
    rates_body,
)

METHODS = {m["id"]: DeliveryMethod.model_validate(m) for m in delivery_methods()}
LOCKERS = Constraints.of(METHODS[method_id("inpost-lockers", "IN_ADVANCE")])
LOCKERS_COD = Constraints.of(METHODS[method_id("inpost-lockers", "CASH_ON_DELIVERY")])
DHL = Constraints.of(METHODS[method_id("dhl", "IN_ADVANCE")])
PICKUP = Constraints.of(METHODS[method_id("pickup", "IN_ADVANCE")])


def test_buyer_pays_one_first_item_price_per_package():
    costs = buyer_costs(Decimal("12.99"), 3, items=7)
    assert costs == [
        Decimal(x) for x in ("12.99", "12.99", "12.99", "25.98", "25.98", "25.98", "38.97")
    ]
    assert buyer_costs(Decimal("0.00"), 5, items=3) == [Decimal("0.00")] * 3
    assert buyer_costs(Decimal("10.00"), 1, items=3) == [
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("30.00"),
    ]


@given(
    first=st.decimals(min_value=0, max_value=1000, places=2),
    per_package=st.integers(min_value=1, max_value=50),
    items=st.integers(min_value=1, max_value=40),
)
def test_buyer_cost_is_packages_times_first_item(first, per_package, items):
    costs = buyer_costs(first, per_package, items=items)
    packages = -(-items // per_package)
    assert costs[-1] == packages * first
    assert costs == sorted(costs)


def test_values_inside_the_constraints_pass():
    values = RateValues(first=Decimal("12.99"), quantity=10, weight=Decimal("25.000"))
    assert rate_errors(LOCKERS, values) == {}
    assert (
        rate_errors(DHL, RateValues(first=Decimal("80.00"), quantity=50, days_from=1, days_to=3))
        == {}
    )


@pytest.mark.parametrize(
    ("limits", "values", "key", "text"),
    [
        (LOCKERS, RateValues(first=Decimal("30.01"), quantity=1), "first", "0.00–30.00 PLN"),
        (LOCKERS_COD, RateValues(first=Decimal("0.50"), quantity=1), "first", "1.00–50.00 PLN"),
        (LOCKERS, RateValues(first=Decimal("1.999"), quantity=1), "first", "0.00–30.00 PLN"),
        (LOCKERS, RateValues(first=None, quantity=1), "first", "0.00–30.00 PLN"),
        (LOCKERS, RateValues(first=Decimal(5), quantity=11), "quantity", "1–10"),
        (LOCKERS, RateValues(first=Decimal(5), quantity=0), "quantity", "1–10"),
        (
            LOCKERS,
            RateValues(first=Decimal(5), quantity=2, weight=Decimal("25.5")),
            "weight",
            "0.001–25.000 kg",
        ),
        (
            PICKUP,
            RateValues(first=Decimal(0), quantity=2, weight=Decimal(1)),
            "weight",
            "nie obsługuje",
        ),
        (
            LOCKERS,
            RateValues(first=Decimal(5), quantity=2, days_from=1, days_to=2),
            "time",
            "nie można zmieniać",
        ),
        (
            DHL,
            RateValues(first=Decimal(5), quantity=2, days_from=3, days_to=2),
            "time",
            "od 0 do 60 dni",
        ),
    ],
)
def test_values_outside_the_constraints_name_the_allowed_range(limits, values, key, text):
    errors = rate_errors(limits, values)
    assert text in errors[key]


def test_a_next_item_price_other_than_zero_is_refused_with_the_reason():
    errors = rate_errors(
        LOCKERS, RateValues(first=Decimal("9.99"), quantity=2, next_item=Decimal("2.00"))
    )
    assert "nie przyjmuje już ceny za kolejną sztukę" in errors["next"]
    assert "za każdą paczkę" in errors["next"]
    assert (
        rate_errors(LOCKERS, RateValues(first=Decimal("9.99"), quantity=2, next_item=Decimal(0)))
        == {}
    )


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Cennik 1, paczki.", True),
        ("Ząb-Żółć", True),
        ("", False),
        ("a" * 65, False),
        ("zła_nazwa", False),
        ("cena: 5 zł!", False),
    ],
)
def test_name_rules(name, ok):
    assert (name_error(name) is None) is ok


def test_body_has_no_next_item_rate_and_sends_strings():
    body = rates_body(
        name="Test",
        rates_type="PHYSICAL",
        dispatch_country="PL",
        rates=[
            PlannedRate(
                method_id="m1",
                values=RateValues(
                    first=Decimal(5), quantity=3, next_item=Decimal(0), weight=Decimal("2.5")
                ),
                limits=LOCKERS,
            ),
            PlannedRate(
                method_id="m2",
                values=RateValues(first=Decimal("7.5"), quantity=1, days_from=1, days_to=4),
                limits=DHL,
            ),
        ],
        allegro_id="abc",
    )
    assert body == {
        "id": "abc",
        "name": "Test",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "rates": [
            {
                "deliveryMethod": {"id": "m1"},
                "maxQuantityPerPackage": 3,
                "firstItemRate": {"amount": "5.00", "currency": "PLN"},
                "maxPackageWeight": {"value": "2.500", "unit": "KILOGRAM"},
            },
            {
                "deliveryMethod": {"id": "m2"},
                "maxQuantityPerPackage": 1,
                "firstItemRate": {"amount": "7.50", "currency": "PLN"},
                "shippingTime": {"from": "P1D", "to": "P4D"},
            },
        ],
    }


def test_error_paths_point_at_rates_and_fields():
    assert error_target("rates[2].firstItemRate") == (2, "first")
    assert error_target("rates[0].firstItemRate.amount") == (0, "first")
    assert error_target("rates[1].deliveryMethod.id") == (1, "active")
    assert error_target("rates[3].nextItemRate") == (3, "next")
    assert error_target("name") == (None, "name")
    assert error_target("dispatchCountry") == (None, "dispatch_country")
    assert error_target("rates") == (None, "")
    assert error_target(None) == (None, "")


def test_fingerprint_ignores_formatting_but_not_content():
    a = {
        "name": "X",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "lastModified": "2026-01-01T00:00:00Z",
        "rates": [
            {
                "deliveryMethod": {"id": "b"},
                "maxQuantityPerPackage": 2,
                "firstItemRate": {"amount": "5", "currency": "PLN"},
                "shippingTime": {"from": "PT24H", "to": "PT48H"},
            },
            {
                "deliveryMethod": {"id": "a"},
                "maxQuantityPerPackage": 1,
                "firstItemRate": {"amount": "1.00", "currency": "PLN"},
            },
        ],
    }
    b = {
        "name": "X",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "lastModified": "2026-02-02T00:00:00Z",
        "rates": [
            {
                "deliveryMethod": {"id": "a"},
                "maxQuantityPerPackage": 1,
                "firstItemRate": {"amount": "1", "currency": "PLN"},
            },
            {
                "deliveryMethod": {"id": "b"},
                "maxQuantityPerPackage": 2,
                "firstItemRate": {"amount": "5.00", "currency": "PLN"},
                "shippingTime": {"from": "P1D", "to": "P2D"},
            },
        ],
    }
    first, second = ShippingRatesSet.model_validate(a), ShippingRatesSet.model_validate(b)
    assert fingerprint(first) == fingerprint(second)
    b["rates"][0]["firstItemRate"]["amount"] = "1.01"
    second = ShippingRatesSet.model_validate(b)
    assert fingerprint(first) != fingerprint(second)
    lines = differences(first, second, {"a": "Paczkomaty"})
    assert lines == [
        "Paczkomaty: w sklepie 1.00 zł / 1 szt. w paczce, w Allegro 1.01 zł / 1 szt. w paczce."
    ]


def test_cash_on_delivery_twins_share_a_carrier():
    assert carrier_of("Allegro Paczkomaty InPost pobranie") == "Allegro Paczkomaty InPost"
    assert carrier_of("Kurier DHL (pobranie)") == "Kurier DHL"
    assert carrier_of("Odbiór osobisty") == "Odbiór osobisty"
