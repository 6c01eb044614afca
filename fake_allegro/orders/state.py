"""Orders domain state: checkout forms, the order event journal, shipments (tracking numbers).

A checkout form is stored as the JSON Allegro returns (unknown fields kept), plus what the
emulator needs to filter and to evolve it. Every change gives the form a new ``revision`` and
``updatedAt``. Events are kept in one journal with increasing numeric-string ids; each event
carries a snapshot of the order as it was when the event happened.
"""

from __future__ import annotations

import base64
import bisect
import copy
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_allegro.world import World

EVENT_ID_BASE = 1_000_000_000_000_000  # 16 digits: string order equals numeric order
# Allegro's event ids are 16-digit numbers that grow with time, not by one ("1532603898317497",
# BRIEF §5): an id here is at least the microsecond timestamp of its event (ids still only grow,
# so an event dated in the past gets the next id), and consecutive ids are a few hundred apart.
EVENT_ID_MAX_GAP = 997
EVENT_RETENTION = timedelta(days=60)
LIST_WINDOW = timedelta(days=365)
FORM_STATUSES = ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING", "CANCELLED")
FULFILLMENT_STATUSES = (
    "NEW",
    "PROCESSING",
    "READY_FOR_SHIPMENT",
    "READY_FOR_PICKUP",
    "SENT",
    "PICKED_UP",
    "CANCELLED",
    "SUSPENDED",
    "RETURNED",
)
EVENT_TYPES = (
    "BOUGHT",
    "FILLED_IN",
    "READY_FOR_PROCESSING",
    "BUYER_CANCELLED",
    "FULFILLMENT_STATUS_CHANGED",
    "BUYER_MODIFIED",
    "AUTO_CANCELLED",
)
# "ALLEGRO" is no carrier since 9 June 2026 (allegro/allegro-api#13267): Wysyłam z Allegro fills
# in its own numbers, and a number added with carrierId "ALLEGRO" is refused.
CARRIERS: tuple[tuple[str, str | None], ...] = (
    ("INPOST", "InPost"),
    ("DPD", "DPD"),
    ("DHL", "DHL"),
    ("POCZTA_POLSKA", "Poczta Polska"),
    ("POCZTEX", "Pocztex"),
    ("GLS", "GLS"),
    ("UPS", "UPS"),
    ("FEDEX", "FedEx"),
    ("ORLEN_PACZKA", "ORLEN Paczka"),
    ("GEIS", "Geis"),
    ("RABEN", "Raben"),
    ("AMBRO_EXPRESS", "Ambro Express"),
    ("OTHER", None),
)
CARRIER_IDS = frozenset(c for c, _ in CARRIERS)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class StoredForm:
    seller_id: str
    data: dict[str, Any]  # the CheckoutForm JSON as returned
    bought_at: datetime
    updated_at: datetime
    shipments: list[dict[str, Any]] = field(default_factory=list)
    # Items taken from real offers, given back to stock when the purchase is cancelled.
    reserved: list[tuple[str, int]] = field(default_factory=list)
    # The complete form (delivery, invoice, payment) a buyer has not revealed yet.
    pending: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def status(self) -> str:
        return str(self.data.get("status"))


def _bought(form: StoredForm) -> datetime:
    return form.bought_at


@dataclass
class StoredEvent:
    id: int
    seller_id: str
    type: str
    occurred_at: datetime
    order: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "order": self.order,
            "type": self.type,
            "occurredAt": iso(self.occurred_at),
        }


@dataclass
class StoredInvoice:
    """Invoice metadata added by the seller, its file and the file's antivirus scan."""

    id: str
    number: str | None
    file_name: str
    created_at: datetime
    content: bytes | None = None
    uploaded_at: datetime | None = None
    # WAITING until ``scan_due``, then ACCEPTED (or what the control API set).
    scan_status: str | None = None
    scan_due: datetime | None = None
    verified_at: datetime | None = None


@dataclass
class OrdersState:
    forms: dict[str, StoredForm] = field(default_factory=dict)
    events: dict[str, list[StoredEvent]] = field(default_factory=dict)  # by seller id, ascending
    next_event_id: int = EVENT_ID_BASE
    merged_into: dict[str, str] = field(default_factory=dict)  # old form id -> new form id
    waybills: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # by seller id
    rng: random.Random = field(default_factory=random.Random)
    dropped_events: int = 0
    duplicated_events: int = 0
    # Each seller's forms in purchase order, so date-windowed listings need not scan them all;
    # dropped whenever a form is added or removed.
    bought_index: dict[str, list[StoredForm]] = field(default_factory=dict, repr=False)
    # Seller invoices by checkout form id, in the order they were added.
    invoices: dict[str, list[StoredInvoice]] = field(default_factory=dict)
    # Customer returns and refunds (fake_allegro.orders.returns.ReturnsState), made on first use.
    customer_returns: Any = None

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Worlds saved before the index (or invoices, returns) existed load with empty ones.
        self.__dict__.update(
            {"bought_index": {}, "invoices": {}, "customer_returns": None, **state}
        )

    # -- bookkeeping ------------------------------------------------------------------------
    def events_count(self) -> int:
        return sum(len(events) for events in self.events.values())

    def last_event_id(self) -> str | None:
        last = max((j[-1].id for j in self.events.values() if j), default=None)
        return str(last) if last is not None else None

    def new_revision(self) -> str:
        return f"{self.rng.getrandbits(32):08x}"

    def new_uuid(self) -> str:
        """``str(uuid.UUID(int=<128 random bits>, version=4))``, without building the object."""
        n = self.rng.getrandbits(128)
        n = (n & ~(0xC000 << 48) | (0x8000 << 48)) & ~(0xF000 << 64) | (4 << 76)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- forms -------------------------------------------------------------------------------
    def add_form(
        self, seller_id: str, data: dict[str, Any], now: datetime, *, keep_meta: bool = False
    ) -> StoredForm:
        data.setdefault("id", self.new_uuid())
        bought = [
            parse_time(str(item["boughtAt"]))
            for item in data.get("lineItems") or []
            if isinstance(item, dict) and item.get("boughtAt")
        ]
        form = StoredForm(seller_id, data, min(bought) if bought else now, now)
        if keep_meta and data.get("updatedAt"):
            form.updated_at = parse_time(str(data["updatedAt"]))
            data.setdefault("revision", self.new_revision())
        else:
            self.touch(form, now)
        self.forms[form.id] = form
        self.bought_index.pop(seller_id, None)
        return form

    def form_remove(self, form: StoredForm) -> None:
        self.forms.pop(form.id, None)
        self.bought_index.pop(form.seller_id, None)

    def touch(self, form: StoredForm, now: datetime) -> None:
        form.updated_at = now
        form.data["updatedAt"] = iso(now)
        form.data["revision"] = self.new_revision()

    def form_for(self, seller_id: str, form_id: str) -> StoredForm | None:
        form = self.forms.get(form_id)
        if form is None or form.seller_id != seller_id:
            return None
        return form

    def seller_forms(self, seller_id: str) -> list[StoredForm]:
        return [f for f in self.forms.values() if f.seller_id == seller_id]

    def seller_forms_bought(
        self, seller_id: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[StoredForm]:
        """The seller's forms bought within [since, until], oldest first (ties by id)."""
        forms = self.bought_index.get(seller_id)
        if forms is None:
            forms = sorted(self.seller_forms(seller_id), key=lambda f: (f.bought_at, f.id))
            self.bought_index[seller_id] = forms
        lo = 0 if since is None else bisect.bisect_left(forms, since, key=_bought)
        hi = len(forms) if until is None else bisect.bisect_right(forms, until, key=_bought)
        return forms[lo:hi]

    # -- events ------------------------------------------------------------------------------
    def emit(
        self,
        form: StoredForm,
        event_type: str,
        now: datetime,
        *,
        drop: bool = False,
        duplicate: bool = False,
    ) -> StoredEvent | None:
        """Journal an event about ``form`` (with ``drop``, lose it as Allegro sometimes does)."""
        if drop:
            self.dropped_events += 1
            return None
        snapshot = event_order(form)
        event = self._append(form.seller_id, event_type, now, snapshot)
        if duplicate:
            self.duplicated_events += 1
            self._append(form.seller_id, event_type, now, copy.deepcopy(snapshot))
        return event

    def _append(
        self, seller_id: str, event_type: str, now: datetime, order: dict[str, Any]
    ) -> StoredEvent:
        event_id = max(self.next_event_id, int(now.timestamp() * 1_000_000))
        event = StoredEvent(event_id, seller_id, event_type, now, order)
        self.next_event_id = event_id + self.rng.randint(1, EVENT_ID_MAX_GAP)
        self.events.setdefault(seller_id, []).append(event)
        return event

    def events_after(
        self, seller_id: str, after: int | None, types: set[str] | None, limit: int, now: datetime
    ) -> list[StoredEvent]:
        journal = self.events.get(seller_id, [])
        start = 0 if after is None else bisect.bisect_right(journal, after, key=lambda e: e.id)
        oldest = now - EVENT_RETENTION
        found: list[StoredEvent] = []
        for event in journal[start:]:
            if event.occurred_at < oldest:
                continue
            if types and event.type not in types:
                continue
            found.append(event)
            if len(found) >= limit:
                break
        return found

    def latest_event(self, seller_id: str, now: datetime) -> StoredEvent | None:
        journal = self.events.get(seller_id, [])
        if journal and journal[-1].occurred_at >= now - EVENT_RETENTION:
            return journal[-1]
        return None


def event_order(form: StoredForm) -> dict[str, Any]:
    """``OrderEventData``: the order as an event shows it."""
    data = form.data
    buyer = data.get("buyer") or {}
    order_buyer: dict[str, Any] = {
        "id": buyer.get("id"),
        "email": buyer.get("email"),
        "login": buyer.get("login"),
        "guest": buyer.get("guest"),
    }
    if buyer.get("preferences") is not None:
        order_buyer["preferences"] = buyer["preferences"]
    line_items = []
    for item in data.get("lineItems") or []:
        offer = item.get("offer") or {}
        entry: dict[str, Any] = {
            "id": item.get("id"),
            "offer": {"id": offer.get("id"), "name": offer.get("name")},
            "quantity": item.get("quantity"),
            "originalPrice": item.get("originalPrice"),
            "price": item.get("price"),
            "boughtAt": item.get("boughtAt"),
        }
        if offer.get("external") is not None:
            entry["offer"]["external"] = offer["external"]
        line_items.append(entry)
    order: dict[str, Any] = {
        "seller": {"id": form.seller_id},
        "buyer": order_buyer,
        "lineItems": line_items,
        "checkoutForm": {"id": form.id, "revision": data.get("revision")},
    }
    if data.get("marketplace") is not None:
        order["marketplace"] = data["marketplace"]
    return order


def orders_of(world: World) -> OrdersState:
    if world.orders is None:
        world.orders = OrdersState(rng=random.Random(f"orders-{world.seed}"))
    return world.orders


# -- transitions shared by the buyer simulator, the API and the control API --------------------


def _release(world: World, form: StoredForm) -> None:
    sale = world.sale
    if sale is None or not form.reserved:
        return
    for offer_id, quantity in form.reserved:
        try:
            sale.give_back(offer_id, quantity)
        except KeyError:
            continue
    form.reserved = []


def cancel_form(world: World, form: StoredForm, event_type: str = "BUYER_CANCELLED") -> None:
    state = orders_of(world)
    now = world.now()
    form.data["status"] = "CANCELLED"
    form.pending = None
    _release(world, form)
    state.touch(form, now)
    state.emit(form, event_type, now)


def lines_sent(form: StoredForm) -> str:
    """NONE / SOME / ALL: how many line items have a tracking number."""
    items = {str(i.get("id")) for i in form.data.get("lineItems") or []}
    if not form.shipments or not items:
        return "NONE"
    covered: set[str] = set()
    for shipment in form.shipments:
        ids = [str(li["id"]) for li in shipment.get("lineItems") or []]
        covered.update(ids or items)
    return "ALL" if items <= covered else "SOME"


def shipment_id(carrier_id: str, waybill: str) -> str:
    return base64.b64encode(f"{carrier_id}:{waybill}".encode()).decode()


def form_shipment_record(
    world: World,
    form: StoredForm,
    carrier_id: str,
    waybill: str,
    line_ids: list[str] | None = None,
    carrier_name: str | None = None,
) -> dict[str, Any]:
    """A tracking number on the order, as ``GET …/shipments`` lists it: added by the seller, or
    by Wysyłam z Allegro itself right after it created the parcel (allegro/allegro-api#13267)."""
    state = orders_of(world)
    state.waybills.setdefault(form.seller_id, set()).add((carrier_id, waybill))
    now = world.now()
    known = sorted(str(i.get("id")) for i in form.data.get("lineItems") or [])
    shipment: dict[str, Any] = {
        "id": shipment_id(carrier_id, waybill),
        "waybill": waybill,
        "carrierId": carrier_id,
        "lineItems": [{"id": i} for i in (line_ids or known)],
        "createdAt": iso(now),
    }
    if carrier_name:
        shipment["carrierName"] = carrier_name
    form.shipments.append(shipment)
    fulfillment = form.data.get("fulfillment") or {}
    fulfillment["shipmentSummary"] = {"lineItemsSent": lines_sent(form)}
    form.data["fulfillment"] = fulfillment
    state.touch(form, now)
    return shipment


def merge_forms(world: World, forms: list[StoredForm]) -> StoredForm:
    """The buyer pays several purchases together: one new form replaces them (line items kept)."""
    state = orders_of(world)
    now = world.now()
    first = forms[0]
    data = copy.deepcopy(first.data)
    data["id"] = state.new_uuid()
    data["lineItems"] = [copy.deepcopy(i) for f in forms for i in f.data.get("lineItems") or []]
    # One delivery (the first form's) for everything; surcharges of every form stay.
    data["surcharges"] = [copy.deepcopy(s) for f in forms for s in f.data.get("surcharges") or []]
    paid = items_total(data["lineItems"]) + _amount((data.get("delivery") or {}).get("cost"))
    total = paid + sum((_amount(s.get("paidAmount")) for s in data["surcharges"]), Decimal(0))
    currency = ((first.data.get("summary") or {}).get("totalToPay") or {}).get("currency", "PLN")
    data["summary"] = {"totalToPay": {"amount": f"{total:.2f}", "currency": currency}}
    payment = dict(data.get("payment") or {})
    payment["id"] = state.new_uuid()
    if payment.get("paidAmount") is not None:
        payment["paidAmount"] = {"amount": f"{paid:.2f}", "currency": currency}
    data["payment"] = payment
    merged = state.add_form(first.seller_id, data, now)
    merged.bought_at = min(f.bought_at for f in forms)
    merged.reserved = [r for f in forms for r in f.reserved]
    for old in forms:
        state.form_remove(old)
        state.merged_into[old.id] = merged.id
    return merged


def items_total(line_items: list[dict[str, Any]]) -> Decimal:
    """What the line items cost: prices, deposits and paid additional services."""
    total = Decimal(0)
    for item in line_items:
        quantity = Decimal(str(item.get("quantity") or 0))
        total += _amount(item.get("price")) * quantity
        total += _amount((item.get("deposit") or {}).get("price")) * quantity
        for service in item.get("selectedAdditionalServices") or []:
            total += _amount(service.get("price")) * Decimal(str(service.get("quantity") or 1))
    return total


def _amount(price: Any) -> Decimal:
    try:
        return Decimal(str((price or {}).get("amount") or 0))
    except (TypeError, ValueError, ArithmeticError):
        return Decimal(0)
