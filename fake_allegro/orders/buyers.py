"""The buyer simulator: Polish buyers who purchase, fill in checkout forms, pay or cancel.

A purchase creates a checkout form in ``BOUGHT`` (event ``BOUGHT``), then ``FILLED_IN`` (delivery,
invoice and payment method chosen) and ``READY_FOR_PROCESSING`` (paid online, or cash on delivery),
or it is cancelled. Purchases take items from the seller's real offers through ``world.sale``
(stock goes down; a cancellation gives it back) or, for bulk data, from synthetic offers.

Real-life chaos is available on request: duplicated events, an event never sent, several purchases
of one buyer paid together (merged into a new checkout form; the old ids disappear) and
cancellations.
"""

from __future__ import annotations

import copy
import random
import re
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fake_allegro.billing.state import billing_on_paid
from fake_allegro.orders.state import (
    StoredForm,
    cancel_form,
    iso,
    merge_forms,
    orders_of,
)

if TYPE_CHECKING:
    from fake_allegro.world import World

STAGES = ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING")
FILLED_IN_FIRST_RATE = 0.3  # share of simulated purchases whose FILLED_IN is journaled first
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_NAMESPACE_DELIVERY = "0d9d7a8e-3c55-4a8e-b1e4-5b7f5f3f2a10"

# (carrier key of the seeded delivery methods, name, pickup point kind or None, cost)
_DELIVERY: tuple[tuple[str, str, str | None, str], ...] = (
    ("inpost-lockers", "Allegro Paczkomaty InPost", "paczkomat", "8.99"),
    ("inpost-courier", "Allegro Kurier24 InPost", None, "12.99"),
    ("dpd", "Allegro Kurier DPD", None, "13.49"),
    ("poczta-polska", "Allegro Polecony Poczta Polska", None, "7.49"),
    ("orlen", "Allegro Automat ORLEN Paczka", "orlen", "6.99"),
    ("one-box", "Allegro One Box, DPD", "onebox", "7.99"),
    ("dhl", "Kurier DHL", None, "15.90"),
)
_PRODUCTS = (
    ("Kubek ceramiczny z nadrukiem 330 ml", "29.99"),
    ("Ładowarka USB-C 65 W GaN", "119.00"),
    ("Słuchawki bezprzewodowe douszne BT 5.3", "149.99"),
    ("Koszulka bawełniana męska rozm. L", "39.90"),
    ("Plecak miejski wodoodporny 25 l", "189.00"),
    ("Książka: Wiedźmin. Ostatnie życzenie", "42.50"),
    ("Zestaw klocków konstrukcyjnych 500 el.", "99.99"),
    ("Kabel HDMI 2.1 8K 2 m", "35.00"),
    ("Lampka biurkowa LED z ładowarką", "89.90"),
    ("Termos stalowy 750 ml", "64.99"),
    ("Skarpety bambusowe 5 par", "34.99"),
    ("Mysz bezprzewodowa cicha", "59.00"),
    ("Etui silikonowe do telefonu", "19.99"),
    ("Herbata zielona liściasta 250 g", "27.80"),
    ("Rękawice robocze nitrylowe 12 par", "44.40"),
)
_MESSAGES = (
    "Proszę o staranne zapakowanie, to prezent.",
    "Czy mogę prosić o wysyłkę jeszcze dziś?",
    "Proszę nie dzwonić przed 10:00.",
    "Proszę o fakturę na firmę, dane w formularzu.",
    "Dziękuję!",
)
_LOCKER_CITIES = ("KRA", "WAW", "POZ", "GDA", "WRO", "LOD", "KAT", "LUB", "SZC", "BYD")


def _delivery(key: str | None, rng: random.Random) -> tuple[str, str, str | None, str]:
    if key is None:
        return _DELIVERY[rng.randrange(len(_DELIVERY))]
    for option in _DELIVERY:
        if option[0] == key:
            return option
    raise ValueError(f"unknown delivery {key!r}; one of {[d[0] for d in _DELIVERY]}")


def valid_nip(rng: random.Random) -> str:
    """A random ten-digit NIP with a correct checksum."""
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(8))]
        check = sum(d * w for d, w in zip(digits, _NIP_WEIGHTS, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def nip_is_valid(nip: str) -> bool:
    if not re.fullmatch(r"\d{10}", nip):
        return False
    digits = [int(c) for c in nip]
    check = sum(d * w for d, w in zip(digits, _NIP_WEIGHTS, strict=False)) % 11
    return check == digits[9]


@lru_cache(maxsize=64)
def _delivery_method_id(key: str, cod: bool) -> str:
    import uuid

    policy = "CASH_ON_DELIVERY" if cod else "IN_ADVANCE"
    return str(uuid.uuid5(uuid.UUID(_NAMESPACE_DELIVERY), f"{key}/{policy}"))


@dataclass(frozen=True)
class BuyerProfile:
    id: str
    login: str
    email: str
    first_name: str
    last_name: str
    phone: str
    street: str
    city: str
    post_code: str
    company: str | None
    nip: str | None
    guest: bool


@lru_cache(maxsize=8)
def buyer_pool(seed: int, size: int = 400) -> tuple[BuyerProfile, ...]:
    """Deterministic Polish buyers (Faker pl_PL), generated once and reused for speed."""
    from faker import Faker

    fake = Faker("pl_PL")
    fake.seed_instance(seed)
    rng = random.Random(f"buyers-{seed}")
    pool: list[BuyerProfile] = []
    for _ in range(size):
        buyer_id = str(rng.randint(10_000_000, 99_999_999))
        guest = rng.random() < 0.1
        first, last = fake.first_name(), fake.last_name()
        company = fake.company() if rng.random() < 0.2 else None
        street = re.sub(r"^(ulica|aleja|plac)\s+", "", fake.street_address())
        login = f"Client:{buyer_id}" if guest else _login(fake.user_name(), rng)
        pool.append(
            BuyerProfile(
                id=buyer_id,
                login=login,
                email=_allegro_mail(rng) if rng.random() < 0.6 else fake.free_email(),
                first_name=first,
                last_name=last,
                phone=fake.phone_number().replace(" ", ""),
                street=f"ul. {street}" if not street[0].isdigit() else street,
                city=fake.city(),
                post_code=fake.postcode(),
                company=company,
                nip=valid_nip(rng) if company else None,
                guest=guest,
            )
        )
    return tuple(pool)


def _login(base: str, rng: random.Random) -> str:
    return f"{base}{rng.randint(1, 999)}" if rng.random() < 0.5 else base


def _allegro_mail(rng: random.Random) -> str:
    token = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(10))
    return f"{token}+{rng.randint(100, 999)}@allegromail.pl"


@dataclass
class OfferChoice:
    """An offer a purchase draws from (a real sale offer or a synthetic one)."""

    id: str
    name: str
    price: str
    currency: str = "PLN"
    external_id: str | None = None
    real: bool = False


def _offer_from_sale(offer: Any) -> OfferChoice:
    get = offer.get if isinstance(offer, dict) else lambda k, d=None: getattr(offer, k, d)
    return OfferChoice(
        id=str(get("id")),
        name=str(get("name") or ""),
        price=str(get("price") or "0.00"),
        currency=str(get("currency") or "PLN"),
        external_id=get("external_id"),
        real=True,
    )


def _synthetic_offer(rng: random.Random) -> OfferChoice:
    index = rng.randrange(len(_PRODUCTS))
    name, price = _PRODUCTS[index]
    return OfferChoice(
        id=str(7_700_000_000 + index),
        name=name,
        price=price,
        external_id=f"SKU-{1000 + index}",
    )


@dataclass
class PurchasePlan:
    offers: list[tuple[OfferChoice, int]]
    buyer: BuyerProfile
    payment_type: str  # ONLINE | CASH_ON_DELIVERY
    delivery: tuple[str, str, str | None, str]
    invoice: bool
    message: str | None
    bought_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)
    # When the buyer filled the form in and when the payment finished, after ``bought_at``.
    filled_after: timedelta = timedelta(seconds=40)
    paid_after: timedelta = timedelta(minutes=3)


@dataclass(frozen=True)
class Extras:
    """What real purchases carry besides items (drawn per purchase, see :func:`draw_extras`)."""

    deposit: bool = False  # a deposit (kaucja) on the first line item
    carry_in: bool = False  # the paid additional service "Wniesienie"
    coupon: bool = False  # a seller coupon lowers the first line's price
    # Allegro Prices: the buyer pays less and Allegro pays the seller the difference
    # (``reconciliation``); ``price`` and ``originalPrice`` are both the lowered price.
    allegro_prices: bool = False
    smart: bool = False  # Allegro Smart!: free delivery
    surcharge: bool = False  # an extra payment after the first one
    private_invoice: bool = False  # an invoice for a natural person (a company buyer's too)
    note: bool = False  # the seller's note on the order
    fulfillment: str | None = None  # SENT / PICKED_UP already set on Allegro's side


EXTRAS_NAMES = {
    "deposit": "deposit",
    "carryIn": "carry_in",
    "coupon": "coupon",
    "allegroPrices": "allegro_prices",
    "smart": "smart",
    "surcharge": "surcharge",
    "privateInvoice": "private_invoice",
    "note": "note",
    "fulfillment": "fulfillment",
}


def extras_from(data: dict[str, Any]) -> Extras:
    """Extras asked for by the control API (camelCase keys); unknown keys raise ValueError."""
    unknown = set(data) - EXTRAS_NAMES.keys()
    if unknown:
        raise ValueError(f"unknown extras: {', '.join(sorted(unknown))}")
    fulfillment = data.get("fulfillment")
    if fulfillment not in (None, "SENT", "PICKED_UP"):
        raise ValueError("extras.fulfillment must be SENT or PICKED_UP")
    flags = {EXTRAS_NAMES[k]: bool(v) for k, v in data.items() if k != "fulfillment"}
    return Extras(**flags, fulfillment=fulfillment)


def draw_extras(rng: random.Random) -> Extras:
    """Shares close to what recorded traffic shows (Smart! is common, surcharges rare)."""
    return Extras(
        deposit=rng.random() < 0.06,
        carry_in=rng.random() < 0.05,
        coupon=rng.random() < 0.08,
        allegro_prices=rng.random() < 0.08,
        smart=rng.random() < 0.4,
        surcharge=rng.random() < 0.04,
        private_invoice=rng.random() < 0.15,
        note=rng.random() < 0.05,
        fulfillment=rng.choice(("SENT", "PICKED_UP")) if rng.random() < 0.05 else None,
    )


def plan_purchase(
    world: World,
    seller_id: str,
    rng: random.Random,
    *,
    synthetic: bool = False,
    offers: list[dict[str, Any]] | None = None,
    bought_at: datetime | None = None,
    buyer: BuyerProfile | None = None,
    payment_type: str | None = None,
    items: int | None = None,
    extras: Extras | None = None,
    company: bool | None = None,
    delivery: str | None = None,
) -> PurchasePlan:
    """Choose what the buyer buys, how they pay and where it is delivered.

    ``extras`` (drawn when None) and ``company`` (a company buyer or a person; any when None)
    let a test ask for one shape of purchase; ``delivery`` names the carrier key of the
    delivery method (``inpost-lockers``, ``dpd``, ...; drawn when None).
    """
    count = items or rng.choice((1, 1, 1, 2, 2, 3))
    chosen: list[tuple[OfferChoice, int]] = []
    if offers:
        for spec in offers[:count] if items else offers:
            choice = OfferChoice(
                id=str(spec["id"]),
                name=str(spec.get("name") or f"Oferta {spec['id']}"),
                price=str(spec.get("price") or "10.00"),
                currency=str(spec.get("currency") or "PLN"),
                external_id=spec.get("externalId") or spec.get("external_id"),
            )
            chosen.append((choice, int(spec.get("quantity") or 1)))
    elif not synthetic and world.sale is not None:
        candidates = [o for o in world.sale.active_offers(seller_id) if _available(o) > 0]
        rng.shuffle(candidates)
        for offer in candidates[:count]:
            quantity = min(_available(offer), rng.choice((1, 1, 1, 2, 3)))
            chosen.append((_offer_from_sale(offer), quantity))
        if not chosen:
            raise LookupError(f"seller {seller_id} has no active offer with stock")
    else:
        seen: set[str] = set()
        for _ in range(count):
            choice = _synthetic_offer(rng)
            if choice.id not in seen:
                seen.add(choice.id)
                chosen.append((choice, rng.choice((1, 1, 1, 2, 3))))
    pool = buyer_pool(world.seed)
    if company is not None:
        pool = tuple(p for p in pool if (p.company is not None) == company and not p.guest)
    profile = buyer or pool[rng.randrange(len(pool))]
    ptype = payment_type or ("CASH_ON_DELIVERY" if rng.random() < 0.15 else "ONLINE")
    drawn = draw_extras(rng)
    extras = extras if extras is not None else drawn
    return PurchasePlan(
        offers=chosen,
        buyer=profile,
        payment_type=ptype,
        delivery=_delivery(delivery, rng),
        invoice=(profile.company is not None and not profile.guest) or extras.private_invoice,
        message=rng.choice(_MESSAGES) if rng.random() < 0.25 else None,
        bought_at=bought_at or world.now(),
        extra={"extras": extras},
        filled_after=timedelta(seconds=rng.randint(5, 600)),
        paid_after=timedelta(seconds=rng.randint(20, 1800)),
    )


def _available(offer: Any) -> int:
    value = offer.get("available") if isinstance(offer, dict) else getattr(offer, "available", 0)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _pickup_point(kind: str, rng: random.Random, profile: BuyerProfile) -> dict[str, Any]:
    if kind == "paczkomat":
        point_id = f"{rng.choice(_LOCKER_CITIES)}{rng.randint(1, 99):02d}{rng.choice('MAN')}"
        name = f"Paczkomat {point_id}"
        description = "Przy sklepie spożywczym, dostępny 24/7"
    elif kind == "orlen":
        point_id = f"POP-{rng.choice(_LOCKER_CITIES)}{rng.randint(100, 999)}"
        name = f"Automat ORLEN Paczka {point_id}"
        description = "Stacja paliw ORLEN"
    else:
        point_id = f"PL{rng.randint(10000, 99999)}"
        name = f"Allegro One Box {point_id}"
        description = "Przy wejściu do galerii"
    return {
        "id": point_id,
        "name": name,
        "description": description,
        "address": {
            "street": profile.street,
            "zipCode": profile.post_code,
            "city": profile.city,
            "countryCode": "PL",
        },
    }


_CARRY_IN = ("CARRY_IN", "Wniesienie", "49.00")
_DEPOSIT = "0.50"  # a returnable bottle (kaucja) per unit
_NOTES = ("Klient prosi o kontakt przed wysyłką.", "Sprawdzić stan magazynu.")


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": f"{amount:.2f}", "currency": currency}


def build_form(
    world: World, seller_id: str, plan: PurchasePlan, rng: random.Random
) -> dict[str, Any]:
    """The complete checkout form (as it looks once paid)."""
    state = orders_of(world)
    b = plan.buyer
    extras: Extras = plan.extra.get("extras") or Extras()
    bought = iso(plan.bought_at)
    paid_at = plan.bought_at + plan.filled_after + plan.paid_after
    currency = plan.offers[0][0].currency if plan.offers else "PLN"
    line_items: list[dict[str, Any]] = []
    total = Decimal(0)
    covered = Decimal(0)  # what Allegro pays the seller on top (Allegro Prices)
    for n, (offer, quantity) in enumerate(plan.offers):
        original = Decimal(offer.price)
        item_price = original
        discounts: list[dict[str, str]] = []
        if n == 0 and extras.coupon:
            item_price = (original * Decimal("0.90")).quantize(Decimal("0.01"))
            discounts.append({"type": "COUPON"})
        reconciliation: Decimal | None = None
        if n == 0 and extras.allegro_prices and not extras.coupon:
            lowered = max(Decimal("0.01"), item_price - Decimal("5.00"))
            reconciliation = (item_price - lowered) * quantity
            item_price = original = lowered
        total += item_price * quantity
        offer_ref: dict[str, Any] = {"id": offer.id, "name": offer.name}
        if offer.external_id:
            offer_ref["external"] = {"id": offer.external_id}
        item: dict[str, Any] = {
            "id": state.new_uuid(),
            "offer": offer_ref,
            "quantity": quantity,
            "originalPrice": _money(original, offer.currency),
            "price": _money(item_price, offer.currency),
            "selectedAdditionalServices": [],
            "vouchers": [],
            "discounts": discounts,
            "boughtAt": bought,
        }
        if reconciliation:
            item["reconciliation"] = {
                "value": _money(reconciliation, offer.currency),
                "type": "WALLET",
                "quantity": quantity,
            }
            covered += reconciliation
        if n == 0 and extras.deposit:
            item["deposit"] = {"price": {"amount": _DEPOSIT, "currency": offer.currency}}
            total += Decimal(_DEPOSIT) * quantity
        if n == 0 and extras.carry_in:
            definition, name, price = _CARRY_IN
            item["selectedAdditionalServices"] = [
                {
                    "definitionId": definition,
                    "name": name,
                    "price": {"amount": price, "currency": offer.currency},
                    "quantity": 1,
                }
            ]
            total += Decimal(price)
        line_items.append(item)
    key, method_name, pickup, cost = plan.delivery
    cod = plan.payment_type == "CASH_ON_DELIVERY"
    if extras.smart and not cod:
        cost = "0.00"  # Allegro Smart! delivers for free
    total += Decimal(cost)
    delivery: dict[str, Any] = {
        "address": {
            "firstName": b.first_name,
            "lastName": b.last_name,
            "street": b.street,
            "city": b.city,
            "zipCode": b.post_code,
            "countryCode": "PL",
            "phoneNumber": b.phone,
        },
        "method": {
            "id": _delivery_method_id(key, cod),
            "name": f"{method_name} pobranie" if cod else method_name,
        },
        "cost": {"amount": cost, "currency": currency},
        "time": {
            "from": iso(plan.bought_at + timedelta(days=1)),
            "to": iso(plan.bought_at + timedelta(days=3)),
            "dispatch": {
                "from": iso(plan.bought_at),
                "to": iso(plan.bought_at + timedelta(days=1)),
            },
        },
        "smart": extras.smart and not cod,
        "calculatedNumberOfPackages": 1,
    }
    if b.company:
        delivery["address"]["companyName"] = b.company
    if pickup:
        delivery["pickupPoint"] = _pickup_point(pickup, rng, b)
    invoice: dict[str, Any] = {"required": plan.invoice}
    invoice_address = {
        "street": b.street,
        "city": b.city,
        "zipCode": b.post_code,
        "countryCode": "PL",
    }
    if plan.invoice and b.company and b.nip and not extras.private_invoice:
        invoice["address"] = {
            **invoice_address,
            "company": {
                "name": b.company,
                "ids": [{"type": "PL_NIP", "value": b.nip}],
                "vatPayerStatus": "ACTIVE",
                "taxId": b.nip,
            },
        }
    elif plan.invoice:
        invoice["address"] = {
            **invoice_address,
            "naturalPerson": {"firstName": b.first_name, "lastName": b.last_name},
        }
    payment: dict[str, Any] = {
        "id": state.new_uuid(),
        "type": plan.payment_type,
        "provider": "OFFLINE" if cod else rng.choice(("P24", "PAYU")),
    }
    if covered:
        payment["reconciliation"] = _money(covered, currency)
    surcharges: list[dict[str, Any]] = []
    if not cod:
        payment["finishedAt"] = iso(paid_at)
        payment["paidAmount"] = _money(total, currency)
        if extras.surcharge:
            extra = Decimal(rng.choice(("5.00", "9.99", "15.00")))
            surcharges.append(
                {
                    "id": state.new_uuid(),
                    "type": "ONLINE",
                    "provider": payment["provider"],
                    "finishedAt": iso(paid_at + timedelta(minutes=30)),
                    "paidAmount": _money(extra, currency),
                }
            )
            total += extra
    buyer: dict[str, Any] = {
        "id": b.id,
        "email": b.email,
        "login": b.login,
        "firstName": b.first_name,
        "lastName": b.last_name,
        "guest": b.guest,
        "phoneNumber": b.phone,
        "address": {
            "street": b.street,
            "city": b.city,
            "postCode": b.post_code,
            "countryCode": "PL",
        },
        "preferences": {"language": "pl-PL"},
    }
    if b.company:
        buyer["companyName"] = b.company
    form: dict[str, Any] = {
        "id": state.new_uuid(),
        "buyer": buyer,
        "payment": payment,
        "status": "READY_FOR_PROCESSING",
        "fulfillment": {
            "status": "NEW",
            "shipmentSummary": {"lineItemsSent": "NONE"},
            "provider": {"id": "SELLER"},
        },
        "delivery": delivery,
        "invoice": invoice,
        "lineItems": line_items,
        "surcharges": surcharges,
        "discounts": [],
        "marketplace": {"id": "allegro-pl"},
        "summary": {"totalToPay": _money(total, currency)},
    }
    if plan.message:
        form["messageToSeller"] = plan.message
    if extras.note:
        form["note"] = {"text": rng.choice(_NOTES)}
    return form


def staged(full: dict[str, Any], stage: str) -> dict[str, Any]:
    """What the checkout form shows at ``stage`` (before it is filled in, nothing is chosen)."""
    form = dict(full)
    form["status"] = stage
    if stage == "READY_FOR_PROCESSING":
        return form
    form["surcharges"] = []
    payment = dict(full.get("payment") or {})
    payment.pop("finishedAt", None)
    payment.pop("paidAmount", None)
    form["payment"] = payment
    if stage == "FILLED_IN":
        return form
    delivery = dict(full.get("delivery") or {})
    for key in ("address", "pickupPoint", "time"):
        delivery.pop(key, None)
    form["delivery"] = delivery
    form["invoice"] = {"required": False}
    form.pop("messageToSeller", None)
    return form


@dataclass
class Chaos:
    duplicate: bool = False  # every event of this purchase is sent twice
    drop: str | None = None  # this event type is never sent
    cancel: str | None = None  # BUYER_CANCELLED | AUTO_CANCELLED
    # The stage after which the purchase is cancelled (None: after the last one reached); a
    # cancellation after BOUGHT or FILLED_IN comes before payment, after READY_FOR_PROCESSING
    # after it.
    cancel_after: str | None = None
    # Allegro journals FILLED_IN before BOUGHT now and then (the buyer filled the form in as
    # they bought): the feed shows both orders.
    filled_in_first: bool = False


def _stage_times(plan: PurchasePlan, now: datetime, target: int) -> dict[str, datetime]:
    """When each stage happens; shifted back so that the last one reached is not in the future."""
    times = {
        "BOUGHT": plan.bought_at,
        "FILLED_IN": plan.bought_at + plan.filled_after,
        "READY_FOR_PROCESSING": plan.bought_at + plan.filled_after + plan.paid_after,
    }
    late = times[STAGES[target]] - now
    if late > timedelta(0):
        times = {stage: moment - late for stage, moment in times.items()}
    return times


def create_purchase(
    world: World,
    seller_id: str,
    plan: PurchasePlan,
    rng: random.Random,
    *,
    stage: str = "READY_FOR_PROCESSING",
    chaos: Chaos | None = None,
) -> StoredForm:
    """Record the purchase: stock taken, form stored and advanced to ``stage`` with its events.

    Each event (and the form's ``updatedAt``) is dated when its change happened: the buyer
    fills the form in a little after buying and pays later still.
    """
    chaos = chaos or Chaos()
    target = STAGES.index(stage) if stage in STAGES else len(STAGES) - 1
    if chaos.cancel and chaos.cancel_after in STAGES:
        target = min(target, STAGES.index(chaos.cancel_after))
    times = _stage_times(plan, world.now(), target)
    plan.bought_at = times["BOUGHT"]
    reserved: list[tuple[str, int]] = []
    sale = world.sale
    if sale is not None:
        for offer, quantity in plan.offers:
            if offer.real:
                sale.buy(offer.id, quantity)
                reserved.append((offer.id, quantity))
    full = build_form(world, seller_id, plan, rng)
    state = orders_of(world)
    form = state.add_form(seller_id, staged(full, "BOUGHT"), plan.bought_at)
    form.reserved = reserved
    form.pending = full
    filled_first = chaos.filled_in_first and target >= 1
    if filled_first:
        advance(world, form, "FILLED_IN", chaos=chaos, at=times["FILLED_IN"])
    state.emit(
        form, "BOUGHT", plan.bought_at, drop=chaos.drop == "BOUGHT", duplicate=chaos.duplicate
    )
    for next_stage in STAGES[1 : target + 1]:
        if not (filled_first and next_stage == "FILLED_IN"):
            advance(world, form, next_stage, chaos=chaos, at=times[next_stage])
    if chaos.cancel:
        cancel_form(world, form, chaos.cancel)
        return form
    extras: Extras = plan.extra.get("extras") or Extras()
    if extras.fulfillment and form.status == "READY_FOR_PROCESSING":
        # The seller already moved it on Allegro's site (or Allegro did, e.g. on delivery).
        form.data["fulfillment"] = {**form.data["fulfillment"], "status": extras.fulfillment}
        changed = world.now()  # one moment: the form's updatedAt is its event's date
        state.touch(form, changed)
        state.emit(form, "FULFILLMENT_STATUS_CHANGED", changed)
    return form


def advance(
    world: World,
    form: StoredForm,
    stage: str,
    *,
    chaos: Chaos | None = None,
    at: datetime | None = None,
) -> None:
    """Move ``form`` to ``FILLED_IN`` or ``READY_FOR_PROCESSING`` (with its event)."""
    chaos = chaos or Chaos()
    state = orders_of(world)
    now = at or world.now()
    full = form.pending if form.pending is not None else form.data
    keep: dict[str, Any] = {k: form.data[k] for k in ("fulfillment", "note") if k in form.data}
    data = staged(full, stage)
    data.update(keep)
    data["id"] = form.id
    form.data = data
    if stage == "READY_FOR_PROCESSING":
        form.pending = None
        billing_on_paid(world, form.seller_id, form.data, now)
    state.touch(form, now)
    state.emit(form, stage, now, drop=chaos.drop == stage, duplicate=chaos.duplicate)


def merge_purchases(
    world: World, seller_id: str, plans: list[PurchasePlan], rng: random.Random
) -> StoredForm:
    """Several purchases of one buyer, paid together: old forms disappear, a new one is paid."""
    forms = [create_purchase(world, seller_id, p, rng, stage="BOUGHT") for p in plans]
    fulls = [f.pending or f.data for f in forms]
    for form, full in zip(forms, fulls, strict=True):
        form.data = copy.deepcopy(full)
    merged = merge_forms(world, forms)
    merged.pending = merged.data
    merged.data = staged(merged.pending, "BOUGHT")
    merged.data["id"] = merged.id
    advance(world, merged, "FILLED_IN")
    advance(world, merged, "READY_FOR_PROCESSING")
    return merged


def simulate(
    world: World,
    seller_id: str,
    count: int,
    *,
    synthetic: bool = False,
    offers: list[dict[str, Any]] | None = None,
    stage: str = "READY_FOR_PROCESSING",
    duplicate_rate: float = 0.0,
    drop_rate: float = 0.0,
    cancel_rate: float = 0.0,
    unpaid_rate: float = 0.0,
    merge_rate: float = 0.0,
    spread_days: float = 0.0,
    payment_type: str | None = None,
    items: int | None = None,
    filled_in_first_rate: float = FILLED_IN_FIRST_RATE,
    delivery: str | None = None,
) -> list[StoredForm]:
    """``count`` purchases with the given chaos rates; returns the resulting checkout forms."""
    rng = orders_of(world).rng
    now = world.now()
    created: list[StoredForm] = []
    for _ in range(count):
        bought_at = now - timedelta(seconds=rng.random() * spread_days * 86400)
        common: dict[str, Any] = {
            "synthetic": synthetic,
            "offers": offers,
            "bought_at": bought_at,
            "payment_type": payment_type,
            "items": items,
            "delivery": delivery,
        }
        try:
            if merge_rate and rng.random() < merge_rate:
                first = plan_purchase(world, seller_id, rng, **common)
                plans = [first] + [
                    plan_purchase(world, seller_id, rng, buyer=first.buyer, **common)
                    for _ in range(rng.choice((1, 1, 2)))
                ]
                created.append(merge_purchases(world, seller_id, plans, rng))
                continue
            plan = plan_purchase(world, seller_id, rng, **common)
        except (LookupError, ValueError):
            break  # no more stock to buy
        cancel_after = rng.choice(STAGES)
        chaos = Chaos(
            duplicate=rng.random() < duplicate_rate,
            drop=rng.choice(("READY_FOR_PROCESSING", "BOUGHT", "FILLED_IN"))
            if rng.random() < drop_rate
            else None,
            # Unpaid purchases are cancelled by the buyer or by Allegro; paid ones by the buyer.
            cancel=(
                "BUYER_CANCELLED"
                if cancel_after == "READY_FOR_PROCESSING"
                else rng.choice(("BUYER_CANCELLED", "AUTO_CANCELLED"))
            )
            if rng.random() < cancel_rate
            else None,
            cancel_after=cancel_after,
            filled_in_first=rng.random() < filled_in_first_rate,
        )
        reached = stage
        # A buyer who never pays: the purchase stays bought or filled in (drawn only when asked
        # for, so seeded runs without it buy exactly as before).
        if unpaid_rate and not chaos.cancel and rng.random() < unpaid_rate:
            reached = rng.choice(STAGES[:2])
        created.append(create_purchase(world, seller_id, plan, rng, stage=reached, chaos=chaos))
    return created


# -- after the purchase: discussions, complaints and ratings ---------------------------------------

# What buyers write. Some of it is hostile on purpose: the back office must show it as text.
FEEDBACK_TEXTS = (
    "Dzień dobry, paczka nie dotarła, a minął już tydzień. Proszę o informację.",
    "Produkt przyszedł uszkodzony, zdjęcia w załączeniu. Szczegóły: https://allegro.pl/pomoc",
    "<script>alert(1)</script> Towar niezgodny z opisem!",
    '<img src=x onerror="alert(2)"> Brakuje jednego elementu zestawu.',
    "Proszę zobaczyć: javascript:alert(3) i odpowiedzieć szybko.",
)
NEGATIVE_COMMENTS = (
    "Towar niezgodny z opisem, kontakt ze sprzedawcą słaby. <b>Nie polecam</b>",
    "<script>alert('ocena')</script> Paczka szła dwa tygodnie.",
    "Uszkodzony produkt, zobaczcie http://example.com/zdjecie?x=1&y=2",
)
BUYER_REPLIES = (
    "Dziękuję, czekam na informację.",
    "To nie rozwiązuje problemu <b>wcale</b>.",
    "Proszę o zwrot pieniędzy.",
)
POSITIVE_COMMENTS = ("Wszystko w porządku, polecam!", "Szybka wysyłka, dziękuję.", None)
DISPUTE_REASONS = ("DID_NOT_RECEIVE_GOODS_AFTER_PAYMENT", "NOT_AS_DESCRIBED", "OTHER")
CLAIM_REASONS = (
    "ITEM_IS_DAMAGED",
    "RECEIVED_ITEMS_NOT_MATCHING_DESCRIPTION",
    "MISSING_PRODUCT_ELEMENT",
)


def buyer_feedback(
    world: World,
    seller_id: str,
    forms: list[StoredForm],
    *,
    issue_rate: float = 0.3,
    rating_rate: float = 0.6,
    negative_rate: float = 0.4,
) -> tuple[int, int]:
    """Buyers of paid ``forms`` open discussions or complaints and leave ratings.

    Draws from the issue and rating domains' own random streams, so purchases stay as they were.
    Returns (issues opened, ratings left).
    """
    from fake_allegro.issues.state import StoredIssueMessage, issues_of
    from fake_allegro.ratings.state import ratings_of

    issues = issues_of(world)
    ratings = ratings_of(world)
    rng = issues.rng
    now = world.now()
    opened = rated = 0
    for form in forms:
        if form.status != "READY_FOR_PROCESSING":
            continue
        if rng.random() < issue_rate:
            claim = rng.random() < 0.5
            issues.open_issue(
                seller_id=seller_id,
                kind="CLAIM" if claim else "DISPUTE",
                form=form.data,
                reason=rng.choice(CLAIM_REASONS if claim else DISPUTE_REASONS),
                text=rng.choice(FEEDBACK_TEXTS),
                at=now,
            )
            opened += 1
        if rng.random() < rating_rate:
            negative = rng.random() < negative_rate
            ratings.rate(
                seller_id=seller_id,
                form=form.data,
                recommended=not negative,
                comment=rng.choice(NEGATIVE_COMMENTS if negative else POSITIVE_COMMENTS),
                at=now,
            )
            rated += 1
    # Buyers answered by the seller sometimes write back.
    for issue in issues.seller_issues(seller_id):
        if issue.chat_active and issue.messages[-1].role == "SELLER" and rng.random() < 0.3:
            issue.messages.append(
                StoredIssueMessage(
                    issues.new_id(), rng.choice(BUYER_REPLIES), "BUYER", issue.buyer_login, now
                )
            )
    return opened, rated
