"""Billing domain state: the seller's fee journal behind ``GET /billing/billing-entries``.

Entries are added as orders happen (commission per sold line item, Allegro delivery fees),
through hooks (a granted commission refund, a listing or a promotion fee) and through the
control API. An entry is dated when the fee occurred but only becomes visible a little later,
as on Allegro, where fees are posted asynchronously: an importer that reads "everything since
my last run" misses them unless its window overlaps the previous one.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fake_allegro.world import iso

if TYPE_CHECKING:
    from fake_allegro.world import World

# Billing types (id, Polish name). Sources: the spec's examples (``SUC`` "Prowizja od
# sprzedaży" in BillingType, ``LIS`` in the ``type.id`` filter, ``XOR`` in BillingEntry);
# allegro/allegro-api#7431 (``REF`` "Zwrot kosztów", also used for commission refunds, #12942),
# #8382 (``PS1`` "Wyrównanie w programie Allegro Ceny"), #6092 (``CPF`` coins fee, no order id),
# #11306 (``PKR`` Packeta fees), #11955 (``HB4`` InPost delivery). ``FEA`` (featured offer) is
# this emulator's id: no public source names the real one.
BILLING_TYPES: tuple[tuple[str, str], ...] = (
    ("SUC", "Prowizja od sprzedaży"),
    ("LIS", "Opłata za wystawienie oferty"),
    ("FEA", "Opłata za wyróżnienie"),
    ("REF", "Zwrot kosztów"),
    ("PS1", "Wyrównanie w programie Allegro Ceny"),
    ("CPF", "Opłata za monety"),
    ("HB4", "Opłata za dostawę InPost"),
    ("XOR", "Dopłata do przesyłki Allegro One Kurier"),
    ("PKR", "Przesyłka Packeta - opłaty dodatkowe"),
)
TYPE_NAMES = dict(BILLING_TYPES)
DELIVERY_GROUP = {"id": "delivery-services", "name": "Dostawa"}  # the spec's group example
DELIVERY_TYPES = frozenset({"HB4", "XOR", "PKR"})
COMMISSION_RATE = Decimal("0.10")
VAT = "23.00"
# Fees are posted a few minutes after they occur (entries "appear late").
POSTING_LAG = timedelta(minutes=3)


@dataclass
class StoredEntry:
    id: str
    seller_id: str
    occurred_at: datetime
    visible_at: datetime
    type_id: str
    amount: Decimal  # signed: a fee is negative, a refund positive
    offer_id: str | None = None
    offer_name: str | None = None
    order_id: str | None = None
    currency: str = "PLN"
    balance: Decimal = Decimal("0.00")

    def as_json(self) -> dict[str, Any]:
        kind: dict[str, Any] = {"id": self.type_id, "name": TYPE_NAMES.get(self.type_id, "")}
        if self.type_id in DELIVERY_TYPES:
            kind["group"] = dict(DELIVERY_GROUP)
        data: dict[str, Any] = {
            "id": self.id,
            "occurredAt": iso(self.occurred_at),
            "type": kind,
            "asset": "CREDIT" if self.amount > 0 else "DEBIT",
            "marketplaceId": "allegro-pl",
            "value": {"amount": f"{self.amount:.2f}", "currency": self.currency},
            "tax": {"percentage": VAT},
            "balance": {"amount": f"{self.balance:.2f}", "currency": self.currency},
        }
        if self.offer_id:
            data["offer"] = {"id": self.offer_id, "name": self.offer_name or ""}
        if self.order_id:
            data["order"] = {"id": self.order_id}
        return data


@dataclass
class BillingState:
    rng: random.Random
    entries: list[StoredEntry] = field(default_factory=list)
    balances: dict[str, Decimal] = field(default_factory=dict)

    def add(
        self,
        seller_id: str,
        type_id: str,
        amount: Decimal,
        occurred_at: datetime,
        *,
        offer_id: str | None = None,
        offer_name: str | None = None,
        order_id: str | None = None,
        lag: timedelta = POSTING_LAG,
    ) -> StoredEntry:
        balance = self.balances.get(seller_id, Decimal("0.00")) + amount
        self.balances[seller_id] = balance
        entry = StoredEntry(
            id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            seller_id=seller_id,
            occurred_at=occurred_at,
            visible_at=occurred_at + lag,
            type_id=type_id,
            amount=amount.quantize(Decimal("0.01")),
            offer_id=offer_id,
            offer_name=offer_name,
            order_id=order_id,
            balance=balance,
        )
        self.entries.append(entry)
        return entry

    def visible(self, seller_id: str, now: datetime) -> list[StoredEntry]:
        """Posted entries, newest first (as the endpoint sorts them)."""
        found = [e for e in self.entries if e.seller_id == seller_id and e.visible_at <= now]
        found.sort(key=lambda e: (e.occurred_at, e.id), reverse=True)
        return found


def billing_of(world: World) -> BillingState:
    if world.billing is None:
        world.billing = BillingState(rng=random.Random(f"billing-{world.seed}"))
    state: BillingState = world.billing
    return state


def _amount(value: Any) -> Decimal:
    return Decimal(str((value or {}).get("amount") or "0"))


def billing_on_paid(world: World, seller_id: str, form: dict[str, Any], at: datetime) -> None:
    """A paid order: commission per line item, plus the delivery fee for Allegro delivery."""
    state = billing_of(world)
    order_id = str(form["id"])
    for item in form.get("lineItems") or []:
        offer = item.get("offer") or {}
        price = _amount(item.get("price")) * int(item.get("quantity") or 1)
        state.add(
            seller_id,
            "SUC",
            -(price * COMMISSION_RATE),
            at,
            offer_id=offer.get("id"),
            offer_name=offer.get("name"),
            order_id=order_id,
        )
    method = ((form.get("delivery") or {}).get("method") or {}).get("name") or ""
    if method.startswith("Allegro"):
        type_id = "XOR" if "One" in method else "HB4"
        fee = Decimal("8.99") if type_id == "XOR" else Decimal("6.49")
        state.add(seller_id, type_id, -fee, at, order_id=order_id)


def billing_refund_commission(
    world: World, seller_id: str, order_id: str, at: datetime | None = None
) -> list[StoredEntry]:
    """Hook for a granted commission refund: every commission of the order comes back (REF)."""
    state = billing_of(world)
    moment = at or world.now()
    charged = [
        e
        for e in state.entries
        if e.seller_id == seller_id and e.order_id == order_id and e.type_id == "SUC"
    ]
    return [
        state.add(
            seller_id,
            "REF",
            -e.amount,
            moment,
            offer_id=e.offer_id,
            offer_name=e.offer_name,
            order_id=order_id,
        )
        for e in charged
    ]


def billing_offer_fee(
    world: World,
    seller_id: str,
    type_id: str,
    amount: Decimal,
    *,
    offer_id: str,
    offer_name: str | None = None,
    at: datetime | None = None,
) -> StoredEntry:
    """Hook for a fee tied to an offer only (listing ``LIS``, featured ``FEA``): no order id."""
    return billing_of(world).add(
        seller_id,
        type_id,
        -abs(amount),
        at or world.now(),
        offer_id=offer_id,
        offer_name=offer_name,
    )
