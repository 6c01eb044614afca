"""Small helpers shared by the sale endpoint modules."""

from __future__ import annotations

from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call
from fake_allegro.sale.state import Offer, SaleState


def sale_state(call: Call) -> SaleState:
    state = call.world.sale
    if not isinstance(state, SaleState):
        state = SaleState.seeded(call.world)
        call.world.sale = state
    state.settle()
    return state


def base_url(call: Call) -> str:
    return str(call.request.host_url).rstrip("/")


def int_query(call: Call, name: str, default: int) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError.one(
            400, "VALIDATION_ERROR", f"Query parameter {name} must be an integer", path=name
        ) from None


def own_offer(state: SaleState, seller_id: str, offer_id: str, foreign_status: int = 403) -> Offer:
    offer = state.offers.get(offer_id)
    if offer is None:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Offer {offer_id} not found",
            user_message=f"Oferta {offer_id} nie istnieje.",
            metadata={"offerId": offer_id},
        )
    if offer.seller_id != seller_id:
        raise ApiError.one(
            foreign_status,
            "ACCESS_DENIED" if foreign_status == 403 else "NOT_FOUND",
            f"Offer {offer_id} belongs to another seller",
            user_message="Nie masz dostępu do tej oferty.",
            metadata={"offerId": offer_id},
        )
    return offer


def page(items: list[Any], offset: int, limit: int) -> list[Any]:
    return items[offset : offset + limit]
