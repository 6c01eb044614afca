"""Pure conversion of an Allegro rating into column values."""

from __future__ import annotations

from typing import Any

from allegro_api.models.ratings import UserRating


def rating_columns(rating: UserRating) -> dict[str, Any]:
    removal = rating.removal
    request = removal.request if removal else None
    rates = rating.rates.to_api() if rating.rates else {}
    return {
        "form_allegro_id": (rating.order.id if rating.order else None) or "",
        "buyer_login": (rating.buyer.login if rating.buyer else None) or "",
        "recommended": bool(rating.recommended),
        "comment": rating.comment or "",
        "rates": rates,
        "rated_at": rating.created_at,
        "last_changed_at": rating.last_changed_at or rating.edited_at or rating.created_at,
        "answer": (rating.answer.message if rating.answer else None) or "",
        "answered_at": rating.answer.created_at if rating.answer else None,
        "removal_possible_to": removal.possible_to if removal else None,
        "removal_requested_at": request.created_at if request else None,
        "removal_message": (request.message if request else None) or "",
        "raw": rating.to_api(),
    }
