"""Shipping rates, delivery methods, after-sales conditions, promotion packages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from allegro_api import AllegroClient, Unprocessable
from allegro_api.models.after_sales import ReturnPolicy
from allegro_api.models.common import IdRef, Money
from allegro_api.models.promotions import PromoOptionsModification
from allegro_api.models.shipping import PackageWeight, ShippingRate, ShippingRatesSet, ShippingTime
from tests.allegro_api.allegro_client_support import RequestAudit


def allowed_method(client: AllegroClient) -> str:
    for method in client.delivery_methods.list().delivery_methods:
        constraints = method.shipping_rates_constraints
        if constraints and constraints.allowed and method.payment_policy == "IN_ADVANCE":
            assert method.id is not None
            return method.id
    raise AssertionError("no allowed delivery method")


def test_shipping_rates_create_get_update_with_model_and_dict(client: AllegroClient) -> None:
    method_id = allowed_method(client)
    body = ShippingRatesSet(
        name="Cennik testowy",
        type="PHYSICAL",
        dispatch_country="PL",
        rates=[
            ShippingRate(
                delivery_method=IdRef(id=method_id),
                max_quantity_per_package=1,
                max_package_weight=PackageWeight(value=Decimal("5.000"), unit="KILOGRAM"),
                first_item_rate=Money(amount=Decimal("9.99"), currency="PLN"),
            )
        ],
    )
    created = client.shipping_rates.create(body)
    assert created.id
    assert created.rates
    first_rate = created.rates[0].first_item_rate
    assert first_rate is not None
    assert first_rate.amount == Decimal("9.99")
    fetched = client.shipping_rates.get(created.id)
    assert fetched.name == "Cennik testowy"
    update = fetched.to_api()
    update["name"] = "Cennik zmieniony"
    updated = client.shipping_rates.update(created.id, update)
    assert updated.name == "Cennik zmieniony"
    listed = {s.id: s for s in client.shipping_rates.list().shipping_rates}
    assert listed[created.id].name == "Cennik zmieniony"


def test_shipping_time_alias(client: AllegroClient) -> None:
    time = ShippingTime.model_validate({"from": "PT24H", "to": "PT48H"})
    assert time.from_ == "PT24H"
    assert time.to_api() == {"from": "PT24H", "to": "PT48H"}


def test_shipping_rates_refused(client: AllegroClient, audit: RequestAudit) -> None:
    audit.allow(422)
    with pytest.raises(Unprocessable) as caught:
        client.shipping_rates.create(
            {
                "name": "Zły cennik",
                "type": "PHYSICAL",
                "dispatchCountry": "PL",
                "rates": [
                    {
                        "deliveryMethod": {"id": "00000000-0000-0000-0000-000000000000"},
                        "maxQuantityPerPackage": 1,
                        "firstItemRate": {"amount": Decimal("5.00"), "currency": "PLN"},
                    }
                ],
            }
        )
    assert caught.value.errors
    assert caught.value.user_message


def test_after_sales_three_kinds(client: AllegroClient) -> None:
    address = {
        "name": "Sklep Testowy",
        "street": "Długa 1",
        "postCode": "00-001",
        "city": "Warszawa",
        "countryCode": "PL",
    }
    policy = client.after_sales.return_policies.create(
        ReturnPolicy.model_validate(
            {
                "name": "Zwroty 30 dni",
                "isFulfillment": False,
                "availability": {"range": "FULL"},
                "withdrawalPeriod": "P30D",
                "returnCost": {"coveredBy": "SELLER"},
                "address": address,
                "contact": {"phoneNumber": "123 123 123", "email": "zwroty@sklep.example"},
                "options": {
                    "cashOnDeliveryNotAllowed": False,
                    "freeAccessoriesReturnRequired": False,
                    "refundLoweredByReceivedDiscount": False,
                    "businessReturnAllowed": False,
                    "collectBySellerOnly": False,
                },
            }
        )
    )
    assert policy.id
    assert client.after_sales.return_policies.get(policy.id).withdrawal_period == "P30D"
    update = policy.to_api()
    for read_only in ("id", "seller", "isFulfillment"):
        update.pop(read_only, None)
    update["name"] = "Zwroty 30 dni (zmienione)"
    assert client.after_sales.return_policies.update(policy.id, update).name.endswith("(zmienione)")
    assert policy.id in {p.id for p in client.after_sales.return_policies.iter_all()}

    implied = client.after_sales.implied_warranties.create(
        {
            "name": "Rękojmia testowa",
            "individual": {"period": "P2Y"},
            "corporate": {"period": "P1Y"},
            "address": address,
        }
    )
    assert implied.id
    assert client.after_sales.implied_warranties.get(implied.id).name == "Rękojmia testowa"
    assert implied.id in {w.id for w in client.after_sales.implied_warranties.iter_all()}

    warranty = client.after_sales.warranties.create(
        {
            "name": "Gwarancja testowa",
            "type": "MANUFACTURER",
            "individual": {"period": "P12M", "lifetime": False},
            "corporate": {"period": "P12M", "lifetime": False},
        }
    )
    assert warranty.id
    changed = client.after_sales.warranties.update(
        warranty.id,
        {
            "name": "Gwarancja testowa 24",
            "type": "MANUFACTURER",
            "individual": {"period": "P24M", "lifetime": False},
            "corporate": {"period": "P24M", "lifetime": False},
        },
    )
    assert changed.name == "Gwarancja testowa 24"
    assert warranty.id in {w.id for w in client.after_sales.warranties.list().warranties}

    client.after_sales.return_policies.delete(policy.id)
    assert policy.id not in {p.id for p in client.after_sales.return_policies.iter_all()}


def test_promotion_packages_and_offer_options(client: AllegroClient) -> None:
    packages = client.promotions.packages()
    assert packages.base_packages
    package_id = packages.base_packages[0].id
    assert package_id is not None
    offer = client.offers.list(publication_status=["ACTIVE"], limit=1).offers[0]
    assert offer.id is not None
    changed = client.promotions.modify_offer_options(
        offer.id,
        modifications=[
            PromoOptionsModification(
                modification_type="CHANGE", package_type="BASE", package_id=package_id
            )
        ],
    )
    assert changed.offer_id == offer.id
    current = client.promotions.get_offer_options(offer.id)
    assert current.base_package is not None
    assert current.base_package.id == package_id
    removed = client.promotions.modify_offer_options(
        offer.id,
        modifications=[
            {"modificationType": "REMOVE_NOW", "packageType": "BASE", "packageId": package_id}
        ],
    )
    assert removed.offer_id == offer.id
