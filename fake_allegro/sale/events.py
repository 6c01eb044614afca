"""The offer change feed: ``GET /sale/offer-events`` (last 24 hours, cursor ``from``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call, endpoint
from fake_allegro.sale.common import int_query, sale_state
from fake_allegro.sale.state import OfferEvent, time_str

RETENTION = timedelta(hours=24)


def render_event(event: OfferEvent) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "id": event.offer_id,
        "external": {"id": event.external_id} if event.external_id else None,
    }
    if event.type == "OFFER_ENDED":
        offer["publication"] = {"endedBy": event.ended_by or "UNKNOWN"}
    if event.type == "OFFER_PRICE_CHANGED":
        offer["external"] = {"id": event.external_id}
        offer["marketplaces"] = [{"id": "allegro-pl", "changeType": "PRICE_CHANGED"}]
    return {
        "id": event.id,
        "type": event.type,
        "occurredAt": time_str(event.occurred_at),
        "offer": offer,
    }


@endpoint("GET", "/sale/offer-events")
def offer_events(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    state.seller(seller.id)
    limit = int_query(call, "limit", 100)
    if not 1 <= limit <= 1000:
        raise ApiError.one(400, "VALIDATION_ERROR", "limit must be 1..1000", path="limit")
    cursor = call.query.get("from")
    start = 0
    if cursor:
        if not cursor.isdigit():
            raise ApiError.one(400, "VALIDATION_ERROR", f"Invalid event id {cursor}", path="from")
        start = int(cursor)
    types = set(call.query.getlist("type"))
    horizon = state.now() - RETENTION
    chosen = [
        e
        for e in state.events
        if e.seller_id == seller.id
        and int(e.id) > start
        and e.occurred_at >= horizon
        and (not types or e.type in types)
    ][:limit]
    return {"offerEvents": [render_event(e) for e in chosen]}
