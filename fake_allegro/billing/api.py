"""Billing endpoints (``/billing/*``).

``limit`` (1..100) and ``offset`` (0..10 000) are held by the request validation against the
spec: Allegro answers an offset past 10 000 with 422 (allegro/allegro-api#12716, raised from
1 000 in #5392), so a long history has to be read in ``occurredAt`` windows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fake_allegro.billing.state import BILLING_TYPES, StoredEntry, billing_of
from fake_allegro.errors import ApiError
from fake_allegro.orders.state import parse_time
from fake_allegro.routing import Call, endpoint


def _time(call: Call, name: str) -> datetime | None:
    # A malformed date never gets here: the parameter is ``format: date-time`` and the request
    # validation answers 422 VALIDATION_ERROR first.
    raw = call.query.get(name)
    return parse_time(raw) if raw is not None else None


@endpoint("GET", "/billing/billing-entries")
def billing_entries(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    query = call.query
    gte, lte = _time(call, "occurredAt.gte"), _time(call, "occurredAt.lte")
    if gte is not None and lte is not None and gte > lte:
        # The spec: "If occurredAt.lte is also set, occurredAt.gte cannot be later."
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "occurredAt.gte cannot be later than occurredAt.lte",
            path="occurredAt.gte",
            user_message="Data początkowa nie może być późniejsza niż końcowa.",
        )
    types = set(query.getlist("type.id"))
    offer_id = query.get("offer.id")
    order_id = query.get("order.id")
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", 100))

    def keep(entry: StoredEntry) -> bool:
        if gte is not None and entry.occurred_at < gte:
            return False
        if lte is not None and entry.occurred_at > lte:
            return False
        if types and entry.type_id not in types:
            return False
        if offer_id is not None and entry.offer_id != offer_id:
            return False
        return order_id is None or entry.order_id == order_id

    found = [e for e in billing_of(call.world).visible(seller.id, call.world.now()) if keep(e)]
    return {"billingEntries": [e.as_json() for e in found[offset : offset + limit]]}


@endpoint("GET", "/billing/billing-types", auth="app_or_user")
def billing_types(call: Call) -> list[dict[str, str]]:
    return [{"id": type_id, "description": name} for type_id, name in BILLING_TYPES]
