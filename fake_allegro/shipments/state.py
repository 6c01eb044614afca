"""Wysyłam z Allegro state: delivery services, commands, shipments and pickups.

Each Allegro Standard delivery method of the seeded world (``fake_allegro.sale.seed_delivery``)
is a delivery service here, with the constraints its carrier applies: package types, the
heaviest and the largest package, how many packages one shipment may hold, whether a pick-up
point is needed, the cash-on-delivery and insurance ceilings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fake_allegro.sale.seed_delivery import method_id

if TYPE_CHECKING:
    from fake_allegro.world import World

COMMAND_SECONDS = 0.5  # a create command stays IN_PROGRESS this long (emulator time)


@dataclass(frozen=True)
class Service:
    key: str  # carrier key of the seeded delivery method
    name: str
    carrier_id: str
    package_types: tuple[str, ...]
    max_weight: Decimal  # kilograms
    max_sides: tuple[int, int, int]  # centimetres, longest first
    max_packages: int = 1
    point_required: bool = False
    pickup_available: bool = False
    cod_limit: Decimal = Decimal(5000)
    insurance_limit: Decimal = Decimal(5000)
    min_side: int = 1


SERVICES: tuple[Service, ...] = (
    Service(
        "inpost-lockers",
        "Allegro Paczkomaty InPost",
        "INPOST",
        ("PACKAGE",),
        Decimal(25),
        (64, 41, 38),
        point_required=True,
    ),
    Service(
        "inpost-courier",
        "Allegro Kurier24 InPost",
        "INPOST",
        ("PACKAGE",),
        Decimal(25),
        (80, 50, 50),
        pickup_available=True,
    ),
    # DPD and WE|DO take up to 10 packages in one shipment, the others one (#9862).
    Service(
        "dpd",
        "Allegro Kurier DPD",
        "DPD",
        ("PACKAGE", "DOX"),
        Decimal("31.5"),
        (150, 100, 100),
        max_packages=10,
        pickup_available=True,
        cod_limit=Decimal(6000),
        insurance_limit=Decimal(50000),
    ),
    Service(
        "poczta-polska",
        "Allegro Polecony Poczta Polska",
        "POCZTA_POLSKA",
        ("DOX",),
        Decimal(2),
        (35, 25, 2),
        cod_limit=Decimal(1000),
        insurance_limit=Decimal(1000),
    ),
    Service(
        "orlen",
        "Allegro Automat ORLEN Paczka",
        "ORLEN_PACZKA",
        ("PACKAGE",),
        Decimal(25),
        (60, 40, 38),
        point_required=True,
    ),
    Service(
        "one-box",
        "Allegro One Box, DPD",
        "ALLEGRO",
        ("PACKAGE",),
        Decimal(25),
        (60, 40, 35),
        point_required=True,
    ),
    Service(
        "one-kurier",
        "Allegro One Kurier",
        "ALLEGRO",
        ("PACKAGE",),
        Decimal(30),
        (120, 60, 60),
        pickup_available=True,
    ),
)


def services_by_method() -> dict[str, tuple[Service, bool]]:
    """Delivery method id → (service, cash on delivery)."""
    found: dict[str, tuple[Service, bool]] = {}
    for service in SERVICES:
        found[method_id(service.key, "IN_ADVANCE")] = (service, False)
        found[method_id(service.key, "CASH_ON_DELIVERY")] = (service, True)
    return found


@dataclass
class StoredShipment:
    id: str
    seller_id: str
    form_id: str
    service: Service
    method_id: str
    data: dict[str, Any]  # the request's input, as sent
    waybills: list[str]
    created_at: datetime
    canceled_at: datetime | None = None


@dataclass
class StoredCommand:
    id: str
    kind: str  # create | cancel | pickup
    seller_id: str
    created_at: datetime
    due: datetime
    errors: list[dict[str, str]] = field(default_factory=list)
    # What SUCCESS produces, stored when the command finishes (no closures: the world pickles).
    pending: StoredShipment | StoredPickup | None = None
    shipment_id: str | None = None
    pickup_id: str | None = None
    carrier_pickup_id: str | None = None
    finished: bool = False


@dataclass
class StoredPickup:
    id: str
    carrier_pickup_id: str
    seller_id: str
    carrier: str
    address: dict[str, Any]
    shipment_ids: list[str]
    waybills: list[str]


@dataclass
class ShipmentsState:
    rng: random.Random
    commands: dict[str, StoredCommand] = field(default_factory=dict)
    shipments: dict[str, StoredShipment] = field(default_factory=dict)
    pickups: dict[str, StoredPickup] = field(default_factory=dict)
    waybill_serial: int = 0

    def new_id(self) -> str:
        n = self.rng.getrandbits(128)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def new_waybill(self, service: Service) -> str:
        self.waybill_serial += 1
        prefix = {"INPOST": "6", "DPD": "1", "POCZTA_POLSKA": "PX", "ORLEN_PACZKA": "RP"}
        return f"{prefix.get(service.carrier_id, 'AD')}{self.waybill_serial:012d}"


def shipments_of(world: World) -> ShipmentsState:
    if world.shipments is None:
        world.shipments = ShipmentsState(rng=random.Random(f"shipments-{world.seed}"))
    return world.shipments  # type: ignore[no-any-return]
