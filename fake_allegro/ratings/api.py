"""``/sale/user-ratings``: read the seller's ratings, answer them, ask for their removal.

What Allegro refuses (allegro/allegro-api issues; codes not documented are descriptive):

* an unknown rating or one of another seller: 404 ``NOT_FOUND``;
* a text with a carriage return (a textarea's ``\\r\\n``): 400 ``ERROR`` "Bad Request" (#10801:
  staff found an invisible CR, ASCII 13, in the refused answer);
* a second answer: 400 ``RATING_ALREADY_ANSWERED``;
* a removal request for a positive rating (no ``removal`` in it): 400
  ``RATING_REMOVAL_NOT_POSSIBLE`` (#5427: removal is asked for a "not recommended" rating);
* a removal request after ``removal.possibleTo``: 400 ``RATING_REMOVAL_EXPIRED``;
* a second removal request: 400 ``RATING_REMOVAL_ALREADY_REQUESTED``.
"""

from __future__ import annotations

from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.orders.state import parse_time
from fake_allegro.ratings.state import StoredRating, ratings_of
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.world import iso


def _error(status: int, code: str, message: str, path: str) -> ApiError:
    return ApiError.one(status, code, message, path=path, user_message=message)


def _rating(call: Call) -> StoredRating:
    seller = call.require_seller()
    rating = ratings_of(call.world).ratings.get(call.params["ratingId"])
    if rating is None or rating.seller_id != seller.id:
        raise _error(404, "NOT_FOUND", "Rating not found", call.request.path)
    return rating


def _text(call: Call, value: Any) -> str:
    text = str(value or "")
    if "\r" in text:
        raise ApiError.one(400, "ERROR", "Bad Request", user_message="Bad Request")
    if not text.strip():
        raise _error(400, "VALIDATION_ERROR", "Message must not be blank", call.request.path)
    return text


@endpoint("GET", "/sale/user-ratings")
def list_ratings(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    found = ratings_of(call.world).seller_ratings(seller.id)
    recommended = call.query.get("recommended")
    if recommended is not None:
        found = [r for r in found if r.recommended == (recommended == "true")]
    if call.query.get("lastChangedAt.gte"):
        low = parse_time(call.query["lastChangedAt.gte"])
        found = [r for r in found if r.last_changed_at >= low]
    if call.query.get("lastChangedAt.lte"):
        high = parse_time(call.query["lastChangedAt.lte"])
        found = [r for r in found if r.last_changed_at <= high]
    offset = int(call.query.get("offset", 0))
    limit = int(call.query.get("limit", 20))
    return {"ratings": [r.as_json() for r in found[offset : offset + limit]]}


@endpoint("GET", "/sale/user-ratings/{ratingId}")
def get_rating(call: Call) -> dict[str, Any]:
    return _rating(call).as_json()


@endpoint("PUT", "/sale/user-ratings/{ratingId}/answer")
def answer_rating(call: Call) -> Reply:
    rating = _rating(call)
    body = call.body() or {}
    text = _text(call, body.get("message"))
    if rating.answer is not None:
        raise _error(
            400,
            "RATING_ALREADY_ANSWERED",
            "The rating has already been answered",
            call.request.path,
        )
    now = call.world.now()
    rating.answer = (text, now)
    ratings_of(call.world).answers_received += 1
    return Reply(201, {"createdAt": iso(now), "message": text})


@endpoint("PUT", "/sale/user-ratings/{ratingId}/removal")
def request_removal(call: Call) -> Reply:
    rating = _rating(call)
    path = call.request.path
    body = call.body() or {}
    text = _text(call, (body.get("request") or {}).get("message"))
    possible_to = rating.removal_possible_to
    if possible_to is None:
        raise _error(
            400,
            "RATING_REMOVAL_NOT_POSSIBLE",
            "Removal can be requested only for a negative rating",
            path,
        )
    now = call.world.now()
    if now > possible_to:
        raise _error(400, "RATING_REMOVAL_EXPIRED", "The time to request removal has passed", path)
    if rating.removal_request is not None:
        raise _error(
            400, "RATING_REMOVAL_ALREADY_REQUESTED", "Removal has already been requested", path
        )
    rating.removal_request = (text, now)
    ratings_of(call.world).removals_received += 1
    return Reply(201, {"possibleTo": iso(possible_to), "request": rating.removal_request_json()})
