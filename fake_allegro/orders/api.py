"""Order management endpoints (``/order/*``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.orders.state import (
    CARRIER_IDS,
    CARRIERS,
    EVENT_ID_BASE,
    EVENT_TYPES,
    FORM_STATUSES,
    FULFILLMENT_STATUSES,
    LIST_WINDOW,
    StoredForm,
    form_shipment_record,
    iso,
    lines_sent,
    orders_of,
    parse_time,
)
from fake_allegro.routing import Call, Reply, endpoint

MAX_OFFSET_PLUS_LIMIT = 10_000


def _invalid(status: int, message: str, path: str, user_message: str | None = None) -> ApiError:
    return ApiError.one(
        status,
        "VALIDATION_ERROR",
        message,
        path=path,
        user_message=user_message or "Nieprawidłowa wartość parametru.",
    )


def _not_found(form_id: str) -> ApiError:
    return ApiError.one(
        404,
        "CheckoutFormNotFoundException",
        f"Checkout form with id '{form_id}' not found",
        user_message="Nie znaleziono zamówienia.",
    )


def _form(call: Call) -> StoredForm:
    seller = call.require_seller()
    form_id = call.params["id"]
    form = orders_of(call.world).form_for(seller.id, form_id)
    if form is None:
        raise _not_found(form_id)
    return form


# -- events ----------------------------------------------------------------------------------------


@endpoint("GET", "/order/events")
def order_events(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    raw_from = call.query.get("from")
    after: int | None = None
    if raw_from:
        if not raw_from.isdigit():
            raise _invalid(422, f"Invalid event id: '{raw_from}'", "from")
        after = int(raw_from)
    types = set(call.query.getlist("type"))
    unknown = sorted(types - set(EVENT_TYPES))
    if unknown:
        raise _invalid(422, f"Unknown event type(s): {', '.join(unknown)}", "type")
    limit = int(call.query.get("limit", 100))
    state = orders_of(call.world)
    events = state.events_after(seller.id, after, types or None, limit, call.world.now())
    return {"events": [e.as_json() for e in events]}


@endpoint("GET", "/order/event-stats")
def order_event_stats(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    latest = orders_of(call.world).latest_event(seller.id, call.world.now())
    if latest is None:
        return {"latestEvent": None}
    return {"latestEvent": {"id": str(latest.id), "occurredAt": iso(latest.occurred_at)}}


# -- checkout forms --------------------------------------------------------------------------------

_ENUM_FILTERS: dict[str, tuple[str, ...]] = {
    "status": FORM_STATUSES,
    "fulfillment.status": FULFILLMENT_STATUSES,
    "fulfillment.shipmentSummary.lineItemsSent": ("NONE", "SOME", "ALL"),
    "fulfillment.provider.id": ("SELLER", "ALLEGRO"),
}
_TIME_FILTERS = (
    "lineItems.boughtAt.gte",
    "lineItems.boughtAt.lte",
    "updatedAt.gte",
    "updatedAt.lte",
)


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def time_filter(call: Call, name: str) -> datetime | None:
    raw = call.query.get(name)
    if raw is None:
        return None
    try:
        return parse_time(raw)
    except ValueError as exc:
        raise ApiError.one(
            400,
            "IllegalArgumentException",
            f"Invalid date-time in '{name}': {raw}",
            path=name,
            user_message="Nieprawidłowa data.",
        ) from exc


@endpoint("GET", "/order/checkout-forms")
def list_checkout_forms(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    query = call.query
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", 100))
    if offset + limit > MAX_OFFSET_PLUS_LIMIT:
        raise _invalid(
            422,
            f"offset + limit must not exceed {MAX_OFFSET_PLUS_LIMIT}",
            "offset",
            "Zakres wyników jest zbyt duży. Zawęź kryteria wyszukiwania.",
        )
    exact: dict[str, str] = {}
    for name, allowed in _ENUM_FILTERS.items():
        value = query.get(name)
        if value is None:
            continue
        if value not in allowed:
            raise ApiError.one(
                400,
                "IllegalArgumentException",
                f"Illegal value of '{name}': {value}",
                path=name,
                user_message="Nieprawidłowa wartość parametru.",
            )
        exact[name] = value
    for name in ("payment.id", "delivery.method.id", "buyer.login", "marketplace.id"):
        if (value := query.get(name)) is not None:
            exact[name] = value
    surcharge = query.get("surcharges.id")
    bounds = {name: time_filter(call, name) for name in _TIME_FILTERS}
    now = call.world.now()
    oldest = now - LIST_WINDOW

    updated_gte, updated_lte = bounds["updatedAt.gte"], bounds["updatedAt.lte"]

    def keep(form: StoredForm) -> bool:
        for name, value in exact.items():
            if name == "fulfillment.shipmentSummary.lineItemsSent":
                actual = _get(form.data, name) or lines_sent(form)
            else:
                actual = _get(form.data, name)
            if actual != value:
                return False
        if surcharge is not None and not any(
            (s or {}).get("id") == surcharge for s in form.data.get("surcharges") or []
        ):
            return False
        if updated_gte is not None and form.updated_at < updated_gte:
            return False
        return not (updated_lte is not None and form.updated_at > updated_lte)

    # The purchase-time bounds (and the list's 12-month horizon) select from the index.
    since = max(oldest, bounds["lineItems.boughtAt.gte"] or oldest)
    candidates = orders_of(call.world).seller_forms_bought(
        seller.id, since, bounds["lineItems.boughtAt.lte"]
    )
    scan = exact or surcharge is not None or updated_gte is not None or updated_lte is not None
    found = [f for f in candidates if keep(f)] if scan else candidates  # (boughtAt, id) order
    sort = query.get("sort", "-lineItems.boughtAt")
    descending = sort.startswith("-")
    if sort.lstrip("-") == "updatedAt":
        found.sort(key=lambda f: (f.updated_at, f.id), reverse=descending)
    elif descending:
        found.reverse()
    page = found[offset : offset + limit]
    return {
        "checkoutForms": [f.data for f in page],
        "count": len(page),
        "totalCount": len(found),
    }


@endpoint("GET", "/order/checkout-forms/{id}")
def get_checkout_form(call: Call) -> dict[str, Any]:
    return _form(call).data


@endpoint("PUT", "/order/checkout-forms/{id}/fulfillment")
def set_fulfillment(call: Call) -> Reply:
    form = _form(call)
    body = call.body() or {}
    status = body.get("status")
    if status is None:
        raise _invalid(422, "Fulfillment status is required", "status")
    if status == "RETURNED":
        raise _invalid(
            422,
            "Status RETURNED cannot be set by the seller",
            "status",
            "Nie można ustawić statusu „Zwrócone”.",
        )
    revision = call.query.get("checkoutForm.revision")
    if revision is not None and revision != form.data.get("revision"):
        raise ApiError.one(
            409,
            "CONFLICT",
            "Provided revision is outdated",
            path="checkoutForm.revision",
            user_message="Zamówienie zostało w międzyczasie zmienione. Odśwież je i spróbuj "
            "ponownie.",
        )
    fulfillment = form.data.setdefault("fulfillment", {}) or {}
    form.data["fulfillment"] = fulfillment
    if fulfillment.get("status") != status:
        fulfillment["status"] = status
        state = orders_of(call.world)
        now = call.world.now()
        state.touch(form, now)
        state.emit(form, "FULFILLMENT_STATUS_CHANGED", now)
    return Reply(204, None)


# -- shipments -------------------------------------------------------------------------------------


@endpoint("GET", "/order/checkout-forms/{id}/shipments")
def list_shipments(call: Call) -> dict[str, Any]:
    return {"shipments": list(_form(call).shipments)}


@endpoint("POST", "/order/checkout-forms/{id}/shipments")
def add_shipment(call: Call) -> Reply:
    form = _form(call)
    body = call.body() or {}
    carrier_id = str(body.get("carrierId") or "")
    waybill = str(body.get("waybill") or "").strip()
    carrier_name = body.get("carrierName")
    if carrier_id == "ALLEGRO":
        # Withdrawn on 9 June 2026 (allegro/allegro-api#13267): Wysyłam z Allegro parcels get
        # their number on the order from Allegro, and a second copy only confuses the buyer.
        raise _invalid(
            422,
            "Carrier 'ALLEGRO' is no longer supported; Allegro adds its own numbers",
            "carrierId",
        )
    if carrier_id not in CARRIER_IDS:
        raise _invalid(422, f"Unknown carrier: '{carrier_id}'", "carrierId")
    if not waybill:
        raise _invalid(422, "Waybill must not be blank", "waybill")
    if carrier_id == "OTHER" and not carrier_name:
        raise _invalid(422, "carrierName is required for carrier OTHER", "carrierName")
    if carrier_id != "OTHER" and carrier_name:
        raise _invalid(422, "carrierName is allowed only for carrier OTHER", "carrierName")
    known = {str(i.get("id")) for i in form.data.get("lineItems") or []}
    requested = [str(li.get("id")) for li in body.get("lineItems") or []]
    for index, item_id in enumerate(requested):
        if item_id not in known:
            raise _invalid(
                422, f"Line item '{item_id}' is not part of this order", f"lineItems[{index}].id"
            )
    used = orders_of(call.world).waybills.setdefault(form.seller_id, set())
    if (carrier_id, waybill) in used:
        raise ApiError.one(
            409,
            "WAYBILL_USAGE_EXCEEDED",
            "Maximum waybill usage exceeded",
            path="waybill",
            user_message="Ten numer przesyłki został już użyty.",
        )
    shipment = form_shipment_record(
        call.world, form, carrier_id, waybill, requested, carrier_name=carrier_name
    )
    return Reply(201, shipment)


@endpoint("GET", "/order/carriers", auth="app_or_user")
def carriers(call: Call) -> dict[str, Any]:
    return {
        "carriers": [{"id": cid, "name": name} if name else {"id": cid} for cid, name in CARRIERS]
    }


__all__ = ["EVENT_ID_BASE"]
