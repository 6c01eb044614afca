"""Per-seller seed data: shipping-rate lists, after-sales conditions and a handful of offers."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fake_allegro.sale import seed_delivery, seed_products
from fake_allegro.sale.seed_categories import STAN, STAN_NOWY, STAN_UZYWANY
from fake_allegro.world import iso

if TYPE_CHECKING:
    from fake_allegro.sale.state import SaleState, SellerSale

# (external id, product seed key, price, stock, sold, status, offer-level parameters)
# The external ids stay clear of the demo shop's SKUs (KS-/BZ-/EL-/OD-…), except KS-0004 on
# purpose: a phone at 3499.00 whose sygnatura equals a 34.99 zł book's SKU in the demo shop. The
# offer import must hold it under "Do potwierdzenia", never link it (and never push to it).
DEMO_OFFERS: list[tuple[str | None, str, str, int, int, str, list[dict[str, Any]]]] = [
    ("ALG-0001", "book-1", "39.99", 12, 3, "ACTIVE", [{"id": STAN, "valuesIds": [STAN_NOWY]}]),
    ("ALG-0002", "book-11", "42.90", 5, 1, "ACTIVE", [{"id": STAN, "valuesIds": [STAN_NOWY]}]),
    ("ALG-0003", "jewellery-2", "149.00", 3, 0, "ACTIVE", [{"id": STAN, "valuesIds": [STAN_NOWY]}]),
    ("KS-0004", "phone-3", "3499.00", 2, 5, "ACTIVE", [{"id": STAN, "valuesIds": [STAN_NOWY]}]),
    (
        "ALG-0005",
        "clothing-1",
        "89.99",
        0,
        4,
        "ENDED",
        [{"id": STAN, "valuesIds": [STAN_NOWY]}, {"id": "8415", "valuesIds": ["8415_3"]}],
    ),
    (None, "book-13", "19.00", 1, 0, "INACTIVE", [{"id": STAN, "valuesIds": [STAN_UZYWANY]}]),
]

SELLER_ADDRESS = {
    "name": "Sklep Demo sp. z o.o.",
    "street": "Półwiejska 42",
    "postCode": "61-888",
    "city": "Poznań",
    "countryCode": "PL",
}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed_seller(state: SaleState, seller_id: str, sale: SellerSale) -> None:
    rng = random.Random(f"{state.seed}:{seller_id}")
    now = state.now()
    stamp = iso(now)
    in_advance = seed_delivery.method_id
    standard = _uuid(rng)
    sale.shipping_rates[standard] = {
        "id": standard,
        "name": "Cennik standardowy",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "rates": [
            _rate(in_advance("inpost-lockers", "IN_ADVANCE"), "12.99", 5, "25.000"),
            _rate(in_advance("inpost-lockers", "CASH_ON_DELIVERY"), "16.99", 5, "25.000"),
            _rate(in_advance("dpd", "IN_ADVANCE"), "17.99", 10, "31.500"),
            _rate(in_advance("poczta-polska", "IN_ADVANCE"), "9.50", 3, "2.000"),
        ],
        "lastModified": stamp,
    }
    small = _uuid(rng)
    sale.shipping_rates[small] = {
        "id": small,
        "name": "Małe paczki, darmowa dostawa",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "rates": [
            _rate(in_advance("inpost-lockers", "IN_ADVANCE"), "0.00", 2, "5.000"),
            _rate(in_advance("orlen", "IN_ADVANCE"), "0.00", 2, "5.000"),
        ],
        "lastModified": stamp,
    }
    managed = _uuid(rng)
    sale.shipping_rates[managed] = {
        "id": managed,
        "name": "Allegro Smart - cennik gotowy",
        "type": "PHYSICAL",
        "dispatchCountry": "PL",
        "rates": [
            _rate(in_advance("one-box", "IN_ADVANCE"), "8.99", 10, "25.000"),
            _rate(in_advance("inpost-lockers", "IN_ADVANCE"), "9.99", 10, "25.000"),
        ],
        "lastModified": stamp,
    }
    sale.managed_rates.add(managed)

    return_policy = _uuid(rng)
    sale.return_policies[return_policy] = {
        "id": return_policy,
        "seller": {"id": seller_id},
        "isFulfillment": False,
        "name": "Zwroty 14 dni",
        "availability": {"range": "FULL", "restrictionCause": None},
        "withdrawalPeriod": "P14D",
        "returnCost": {"coveredBy": "BUYER"},
        "address": dict(SELLER_ADDRESS),
        "contact": {"phoneNumber": "61 123 45 67", "email": "zwroty@sklep-demo.pl"},
        "options": {
            "cashOnDeliveryNotAllowed": True,
            "freeAccessoriesReturnRequired": True,
            "refundLoweredByReceivedDiscount": True,
            "businessReturnAllowed": False,
            "collectBySellerOnly": False,
        },
    }
    implied = _uuid(rng)
    sale.implied_warranties[implied] = {
        "id": implied,
        "seller": {"id": seller_id},
        "name": "Rękojmia 2 lata",
        "individual": {"period": "P2Y"},
        "corporate": {"period": "P1Y"},
        "address": dict(SELLER_ADDRESS),
        "description": "Reklamacje prosimy kierować na adres sklepu.",
    }
    warranty = _uuid(rng)
    sale.warranties[warranty] = {
        "id": warranty,
        "seller": {"id": seller_id},
        "name": "Gwarancja producenta 24 miesiące",
        "type": "MANUFACTURER",
        "individual": {"period": "P24M", "lifetime": False},
        "corporate": {"period": "P12M", "lifetime": False},
        "description": "Gwarancji udziela producent.",
    }

    from fake_allegro.sale.state import Offer

    base = 16_000_000_000 + (int(seller_id) % 100_000 if seller_id.isdigit() else 0) * 100
    for n, (external, key, price, stock, sold, status, params) in enumerate(DEMO_OFFERS, 1):
        product = state.products[seed_products.product_id(key)]
        created = now - timedelta(days=30 - n)
        offer = Offer(
            id=str(base + n),
            seller_id=seller_id,
            name=product.name[:75],
            category_id=product.category_id,
            price=price,
            currency="PLN",
            available=stock,
            stock_unit="UNIT",
            external_id=external,
            selling_format="BUY_NOW",
            status=status,
            created_at=created,
            updated_at=created,
            sold=sold,
            started_at=created if status != "INACTIVE" else None,
            ended_at=now - timedelta(days=2) if status == "ENDED" else None,
            ended_by="EMPTY_STOCK" if status == "ENDED" else None,
            visits=rng.randrange(20, 900),
            watchers=rng.randrange(0, 30),
        )
        offer.data = {
            "productSet": [
                {"product": {"id": product.id, "parameters": []}, "quantity": {"value": 1}}
            ],
            "parameters": params,
            "sellingMode": {"format": "BUY_NOW", "price": {"amount": price, "currency": "PLN"}},
            "delivery": {"shippingRates": {"id": standard}, "handlingTime": "PT24H"},
            "afterSalesServices": {
                "returnPolicy": {"id": return_policy},
                "impliedWarranty": {"id": implied},
                "warranty": {"id": warranty},
            },
            "payments": {"invoice": "VAT"},
            "location": {
                "city": "Poznań",
                "countryCode": "PL",
                "postCode": "61-888",
                "province": "WIELKOPOLSKIE",
            },
            "images": list(product.images),
            "description": {
                "sections": [{"items": [{"type": "TEXT", "content": f"<p>{product.name}</p>"}]}]
            },
            "publication": {"duration": None, "republish": False},
        }
        if external is None:
            # A draft that never got its shipping rates: it shows a validation error.
            offer.data["delivery"] = {"handlingTime": "PT24H"}
        state.offers[offer.id] = offer
    from fake_allegro.sale.validation import revalidate

    for offer in state.offers.values():
        if offer.seller_id == seller_id:
            revalidate(state, offer)


def _rate(method_id: str, amount: str, max_quantity: int, weight: str) -> dict[str, Any]:
    return {
        "deliveryMethod": {"id": method_id},
        "maxQuantityPerPackage": max_quantity,
        "maxPackageWeight": {"value": weight, "unit": "KILOGRAM"},
        "firstItemRate": {"amount": amount, "currency": "PLN"},
    }
