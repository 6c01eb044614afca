"""Control API of the orders domain: recorded checkout forms, buyer purchases, merges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fake_allegro.control import bad, control, emulator_of, json_body, ok, seller_of
from fake_allegro.orders import buyers
from fake_allegro.orders.state import (
    EVENT_RETENTION,
    FORM_STATUSES,
    StoredForm,
    cancel_form,
    merge_forms,
    orders_of,
    parse_time,
)
from fake_allegro.routing import Call, Reply

_IMPLIED_EVENTS = {
    "BOUGHT": ("BOUGHT",),
    "FILLED_IN": ("BOUGHT", "FILLED_IN"),
    "READY_FOR_PROCESSING": ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"),
    "CANCELLED": ("BOUGHT", "BUYER_CANCELLED"),
}


_SINGLE_PURCHASE_KEYS = (
    "duplicateEvents",
    "dropEvent",
    "cancel",
    "cancelAfter",
    "filledInFirst",
    "extras",
    "companyBuyer",
)


def _recorded_time(form_data: dict[str, Any], now: datetime) -> datetime | None:
    """The recorded ``updatedAt`` when the event journal can still date an event then."""
    try:
        recorded = parse_time(str(form_data.get("updatedAt")))
    except ValueError:
        return None
    return recorded if now - EVENT_RETENTION <= recorded <= now else None


_seller = seller_of


@control("POST", "/checkout-forms")
def store_checkout_form(call: Call) -> Reply:
    """Store a CheckoutForm JSON as given (nulls and unknown fields kept) and its implied events."""
    data = json_body(call)
    wrapped = "checkoutForm" in data
    form_data = data["checkoutForm"] if wrapped else data
    if not isinstance(form_data, dict):
        raise bad("checkoutForm must be a JSON object")
    seller = _seller(call, data if wrapped else {})
    violations = emulator_of(call).spec.check_schema("CheckoutForm", form_data, nullable=True)
    if violations:
        return ok(
            {
                "errors": [
                    {"code": "VALIDATION_ERROR", "message": v.message, "path": v.path}
                    for v in violations
                ]
            },
            422,
        )
    status = form_data.get("status")
    if status not in FORM_STATUSES:
        raise bad(f"status must be one of {', '.join(FORM_STATUSES)}", 422)
    state = orders_of(call.world)
    now = call.world.now()
    existing = state.forms.get(str(form_data.get("id")))
    if existing is not None and existing.seller_id != seller.id:
        raise bad("a checkout form with this id belongs to another seller", 409)
    events: list[str] = []
    if existing is not None:
        old_status = existing.status
        existing.data = form_data
        form = existing
        implied = _IMPLIED_EVENTS[status]
        new_types = [t for t in implied if t not in _IMPLIED_EVENTS.get(old_status, ())]
        types = new_types or ["BUYER_MODIFIED"]
    else:
        form = state.add_form(seller.id, form_data, now, keep_meta=True)
        types = list(_IMPLIED_EVENTS[status])
    recorded = _recorded_time(form_data, now)
    if recorded is None:
        # Too old for the event journal (or no time given): the replay happens now.
        state.touch(form, now)
    else:
        form.updated_at = recorded
        form_data.setdefault("revision", state.new_revision())
    emit_events = bool(data.get("events", True)) if wrapped else True
    if emit_events:
        oldest = now - EVENT_RETENTION
        for event_type in types:
            # The form's own times, so that its updatedAt is the time of its latest event:
            # the purchase at boughtAt (when the journal still keeps it), the rest at updatedAt.
            bought = event_type == "BOUGHT" and oldest <= form.bought_at <= form.updated_at
            event = state.emit(form, event_type, form.bought_at if bought else form.updated_at)
            if event is not None:
                events.append(str(event.id))
    return ok({"id": form.id, "revision": form.data.get("revision"), "eventIds": events}, 201)


def _form(call: Call) -> StoredForm:
    form = orders_of(call.world).forms.get(call.params["id"])
    if form is None:
        raise bad(f"unknown checkout form {call.params['id']!r}", 404)
    return form


@control("GET", "/checkout-forms/{id}")
def peek_checkout_form(call: Call) -> Reply:
    form = _form(call)
    return ok({"sellerId": form.seller_id, "checkoutForm": form.data, "shipments": form.shipments})


@control("POST", "/checkout-forms/{id}/status")
def change_status(call: Call) -> Reply:
    """The buyer moves on: fills in the form, pays, or the purchase is cancelled."""
    form = _form(call)
    data = json_body(call)
    status = data.get("status")
    if status == "CANCELLED":
        cancel_form(call.world, form, str(data.get("cancelType") or "BUYER_CANCELLED"))
    elif status in ("FILLED_IN", "READY_FOR_PROCESSING"):
        if form.status == "CANCELLED":
            raise bad("the purchase is cancelled", 409)
        current = buyers.STAGES.index(form.status) if form.status in buyers.STAGES else 0
        for stage in buyers.STAGES[current + 1 : buyers.STAGES.index(status) + 1]:
            buyers.advance(call.world, form, stage)
    else:
        raise bad("status must be FILLED_IN, READY_FOR_PROCESSING or CANCELLED")
    return ok({"id": form.id, "status": form.status, "revision": form.data.get("revision")})


@control("POST", "/merge")
def merge(call: Call) -> Reply:
    """Pay several checkout forms of one seller together: they are replaced by a new one."""
    data = json_body(call)
    ids = data.get("checkoutFormIds") or []
    state = orders_of(call.world)
    forms = [state.forms.get(str(i)) for i in ids]
    if len(forms) < 2 or any(f is None for f in forms):
        raise bad("checkoutFormIds must name at least two existing checkout forms")
    found = [f for f in forms if f is not None]
    if len({f.seller_id for f in found}) != 1:
        raise bad("checkout forms of different sellers cannot be merged")
    fulls = [f.pending or f.data for f in found]
    for form, full in zip(found, fulls, strict=True):
        form.data = dict(full)
        form.pending = None
    merged = merge_forms(call.world, found)
    merged.pending = merged.data
    merged.data = buyers.staged(merged.pending, "BOUGHT")
    merged.data["id"] = merged.id
    buyers.advance(call.world, merged, "FILLED_IN")
    buyers.advance(call.world, merged, "READY_FOR_PROCESSING")
    return ok({"id": merged.id, "replaced": [f.id for f in found]}, 201)


@control("POST", "/purchases")
def purchases(call: Call) -> Reply:
    """Buyers purchase from a seller: one purchase, or ``count`` of them with chaos rates."""
    data = json_body(call)
    seller = _seller(call, data)
    world = call.world
    count = int(data.get("count", 1))
    if count < 1 or count > 100_000:
        raise bad("count must be between 1 and 100000")
    stage = str(data.get("stage", "READY_FOR_PROCESSING"))
    if stage not in buyers.STAGES:
        raise bad(f"stage must be one of {', '.join(buyers.STAGES)}")
    offers = data.get("offers")
    if offers is not None and not (
        isinstance(offers, list) and all(isinstance(o, dict) and "id" in o for o in offers)
    ):
        raise bad("offers must be a list of objects with an id")
    synthetic = bool(data.get("synthetic")) or (world.sale is None and not offers)
    asked = data.get("extras")
    if asked is not None and not isinstance(asked, dict):
        raise bad("extras must be an object")
    try:
        extras = buyers.extras_from(asked) if asked is not None else None
    except ValueError as exc:
        raise bad(str(exc)) from exc
    rng = orders_of(world).rng
    common: dict[str, Any] = {
        "synthetic": synthetic,
        "offers": offers,
        "payment_type": data.get("paymentType"),
        "items": data.get("items"),
        "delivery": data.get("delivery"),
    }
    forms: list[StoredForm]
    try:
        if data.get("merge"):
            first = buyers.plan_purchase(world, seller.id, rng, **common)
            plans = [first] + [
                buyers.plan_purchase(world, seller.id, rng, buyer=first.buyer, **common)
                for _ in range(max(1, count - 1))
            ]
            forms = [buyers.merge_purchases(world, seller.id, plans, rng)]
        elif count == 1 and any(k in data for k in _SINGLE_PURCHASE_KEYS):
            company = data.get("companyBuyer")
            plan = buyers.plan_purchase(
                world,
                seller.id,
                rng,
                extras=extras,
                company=None if company is None else bool(company),
                **common,
            )
            chaos = buyers.Chaos(
                duplicate=bool(data.get("duplicateEvents")),
                drop=data.get("dropEvent"),
                cancel=data.get("cancel"),
                cancel_after=data.get("cancelAfter"),
                filled_in_first=bool(data.get("filledInFirst")),
            )
            forms = [buyers.create_purchase(world, seller.id, plan, rng, stage=stage, chaos=chaos)]
        else:
            chaos_rates = data.get("chaos") or {}
            forms = buyers.simulate(
                world,
                seller.id,
                count,
                stage=stage,
                duplicate_rate=float(chaos_rates.get("duplicateRate", 0)),
                drop_rate=float(chaos_rates.get("dropRate", 0)),
                cancel_rate=float(chaos_rates.get("cancelRate", 0)),
                unpaid_rate=float(chaos_rates.get("unpaidRate", 0)),
                merge_rate=float(chaos_rates.get("mergeRate", 0)),
                spread_days=float(data.get("spreadDays", 0)),
                filled_in_first_rate=float(
                    chaos_rates.get("filledInFirstRate", buyers.FILLED_IN_FIRST_RATE)
                ),
                **common,
            )
    except (LookupError, ValueError) as exc:
        raise bad(f"purchase impossible: {exc}", 409) from exc
    if not forms:
        raise bad("purchase impossible: no active offer with stock", 409)
    state = orders_of(world)
    return ok(
        {
            "created": len(forms),
            "checkoutFormIds": [f.id for f in forms],
            "lastEventId": state.last_event_id(),
        },
        201,
    )
