"""Delivery methods of the seeded world (``GET /sale/delivery-methods``).

Each carrier service exists twice: paid in advance and cash on delivery (separate method ids), with
the same package-weight constraints, as on Allegro.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

_NAMESPACE = uuid.UUID("0d9d7a8e-3c55-4a8e-b1e4-5b7f5f3f2a10")


@dataclass(frozen=True)
class Carrier:
    key: str
    name: str
    max_quantity: int
    weight_max: str | None  # kilograms; None = weight is not supported by the method
    rate_min: str
    rate_max: str
    time_from: str
    time_to: str
    customizable_time: bool
    endorsed: bool
    cod: bool = True
    allowed: bool = True


CARRIERS: list[Carrier] = [
    Carrier(
        "inpost-lockers",
        "Allegro Paczkomaty InPost",
        10,
        "25.000",
        "0.00",
        "30.00",
        "PT24H",
        "PT48H",
        False,
        True,
    ),
    Carrier(
        "inpost-courier",
        "Allegro Kurier24 InPost",
        10,
        "30.000",
        "0.00",
        "50.00",
        "PT24H",
        "PT48H",
        False,
        True,
    ),
    Carrier(
        "dpd", "Allegro Kurier DPD", 20, "31.500", "0.00", "60.00", "PT24H", "PT48H", False, True
    ),
    Carrier("dhl", "Kurier DHL", 50, "31.500", "0.00", "80.00", "PT24H", "PT72H", True, False),
    Carrier(
        "poczta-polska",
        "Allegro Polecony Poczta Polska",
        5,
        "2.000",
        "0.00",
        "25.00",
        "PT48H",
        "PT120H",
        True,
        False,
    ),
    Carrier(
        "pocztex", "Pocztex Kurier 48", 20, "30.000", "0.00", "45.00", "PT48H", "PT72H", True, False
    ),
    Carrier(
        "orlen",
        "Allegro Automat ORLEN Paczka",
        10,
        "25.000",
        "0.00",
        "25.00",
        "PT48H",
        "PT72H",
        False,
        True,
    ),
    Carrier(
        "one-box",
        "Allegro One Box, DPD",
        10,
        "25.000",
        "0.00",
        "25.00",
        "PT24H",
        "PT48H",
        False,
        True,
    ),
    Carrier(
        "one-kurier",
        "Allegro One Kurier",
        15,
        "30.000",
        "0.00",
        "40.00",
        "PT24H",
        "PT48H",
        False,
        True,
    ),
    Carrier(
        "pickup",
        "Odbiór osobisty",
        999,
        None,
        "0.00",
        "0.00",
        "PT0S",
        "PT0S",
        True,
        False,
        cod=False,
    ),
    Carrier(
        "email",
        "Wysyłka elektroniczna (e-mail)",
        999,
        None,
        "0.00",
        "0.00",
        "PT0S",
        "PT24H",
        True,
        False,
        cod=False,
    ),
    Carrier(
        "pallet",
        "Przesyłka paletowa",
        1,
        "1000.000",
        "50.00",
        "1000.00",
        "PT72H",
        "PT168H",
        True,
        False,
        cod=False,
    ),
]

ELECTRONIC = {"email"}


def method_id(carrier_key: str, policy: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{carrier_key}/{policy}"))


def delivery_methods() -> list[dict[str, Any]]:
    methods: list[dict[str, Any]] = []
    for carrier in CARRIERS:
        policies = ["IN_ADVANCE", "CASH_ON_DELIVERY"] if carrier.cod else ["IN_ADVANCE"]
        for policy in policies:
            cod = policy == "CASH_ON_DELIVERY"
            methods.append(
                {
                    "id": method_id(carrier.key, policy),
                    "name": f"{carrier.name} pobranie" if cod else carrier.name,
                    "marketplaces": ["allegro-pl"],
                    "paymentPolicy": policy,
                    "allegroEndorsed": carrier.endorsed,
                    "dispatchCountry": None if carrier.key in ELECTRONIC else "PL",
                    "destinationCountry": "PL",
                    "shippingRatesConstraints": {
                        "allowed": carrier.allowed,
                        "maxQuantityPerPackage": {"max": carrier.max_quantity},
                        "maxPackageWeight": {
                            "supported": carrier.weight_max is not None,
                            "min": "0.001" if carrier.weight_max else None,
                            "max": carrier.weight_max,
                            "unit": "KILOGRAM" if carrier.weight_max else None,
                        },
                        "firstItemRate": {
                            # Cash on delivery costs more: Allegro's COD twins allow a
                            # higher ceiling and never a free package.
                            "min": "1.00" if cod else carrier.rate_min,
                            "max": _plus(carrier.rate_max, "20.00") if cod else carrier.rate_max,
                            "currency": "PLN",
                        },
                        "shippingTime": {
                            "default": {"from": carrier.time_from, "to": carrier.time_to},
                            "customizable": carrier.customizable_time,
                        },
                    },
                }
            )
    return methods


def _plus(a: str, b: str) -> str:
    from decimal import Decimal

    return f"{Decimal(a) + Decimal(b):.2f}"
