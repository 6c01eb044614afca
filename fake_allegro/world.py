"""The emulator's whole state: one :class:`World` per emulator instance.

Domains keep their state in their own objects (``world.sale`` in ``fake_allegro/sale/state.py``,
``world.orders`` in ``fake_allegro/orders/state.py``); this module owns the identities every
domain shares: registered applications, seller accounts, OAuth grants and the clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_allegro.oauth import OAuthState
    from fake_allegro.orders.state import OrdersState


@dataclass
class Application:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str]


@dataclass
class Seller:
    id: str  # Allegro user id, a numeric string
    login: str
    password: str
    email: str
    company_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    tax_id: str | None = None
    features: list[str] = field(default_factory=list)
    base_marketplace: str = "allegro-pl"


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Allegro's timestamp format: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Clock:
    """Wall-clock time plus an offset that tests and the control API move forward."""

    offset_seconds: float = 0.0

    def now(self) -> datetime:
        return utcnow() + timedelta(seconds=self.offset_seconds)

    def advance(self, seconds: float) -> None:
        self.offset_seconds += seconds


@dataclass
class World:
    seed: int = 0
    applications: dict[str, Application] = field(default_factory=dict)
    sellers: dict[str, Seller] = field(default_factory=dict)  # by seller id
    rng: random.Random = field(default_factory=random.Random)
    clock: Clock = field(default_factory=Clock)
    token_ttl: int = 43199
    oauth: OAuthState | None = None
    orders: OrdersState | None = None
    billing: Any = None  # fake_allegro.billing.state.BillingState once a fee is recorded
    messaging: Any = None  # fake_allegro.messaging.state.MessagingState once a thread exists
    sale: Any = None  # fake_allegro.sale.state.SaleState once that domain is present
    claims: Any = None  # fake_allegro.claims.state.ClaimsState, made on first use
    issues: Any = None  # fake_allegro.issues.state.IssuesState once a buyer opens one
    ratings: Any = None  # fake_allegro.ratings.state.RatingsState once a buyer rates
    shipments: Any = None  # fake_allegro.shipments.state.ShipmentsState (Wysyłam z Allegro)
    # Where clients reach the emulator: seeded images are served from here (no internet needed).
    public_url: str = "http://fake-allegro.test"

    def now(self) -> datetime:
        return self.clock.now()

    def seller_by_login(self, login: str) -> Seller | None:
        for seller in self.sellers.values():
            if seller.login == login:
                return seller
        return None

    def default_seller(self) -> Seller:
        return next(iter(self.sellers.values()))
