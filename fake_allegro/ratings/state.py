"""Ratings buyers leave after a purchase (``/sale/user-ratings``).

A "not recommended" rating (``recommended`` false) carries ``removal.possibleTo``: until then the
seller may ask the buyer to remove it (allegro/allegro-api#2714, #5427: the request is for a
negative rating). A positive rating has no ``removal``. The window here is 30 days from the
rating; the shop reads ``possibleTo`` and never assumes the length.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fake_allegro.world import iso

if TYPE_CHECKING:
    from fake_allegro.world import World

REMOVAL_WINDOW = timedelta(days=30)


@dataclass
class StoredRating:
    id: str
    seller_id: str
    buyer_id: str
    buyer_login: str
    form_id: str
    offers: list[tuple[str, str]]
    recommended: bool
    comment: str | None
    rates: dict[str, int]
    created_at: datetime
    last_changed_at: datetime
    edited_at: datetime | None = None
    answer: tuple[str, datetime] | None = None
    removal_request: tuple[str, datetime] | None = None

    @property
    def removal_possible_to(self) -> datetime | None:
        return None if self.recommended else self.created_at + REMOVAL_WINDOW

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "buyer": {"id": self.buyer_id, "login": self.buyer_login},
            "createdAt": iso(self.created_at),
            "lastChangedAt": iso(self.last_changed_at),
            "recommended": self.recommended,
            "excludedFromAverageRates": False,
            "order": {
                "id": self.form_id,
                "offers": [{"id": i, "title": t} for i, t in self.offers],
            },
            "rates": dict(self.rates),
        }
        if self.comment is not None:
            data["comment"] = self.comment
        if self.edited_at is not None:
            data["editedAt"] = iso(self.edited_at)
        if self.answer is not None:
            data["answer"] = {"message": self.answer[0], "createdAt": iso(self.answer[1])}
        possible_to = self.removal_possible_to
        if possible_to is not None:
            data["removal"] = {"possibleTo": iso(possible_to)}
            if self.removal_request is not None:
                data["removal"]["request"] = self.removal_request_json()
        return data

    def removal_request_json(self) -> dict[str, Any]:
        assert self.removal_request is not None
        message, at = self.removal_request
        return {"createdAt": iso(at), "message": message, "source": "SELLER"}


@dataclass
class RatingsState:
    ratings: dict[str, StoredRating] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    answers_received: int = 0
    removals_received: int = 0

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(96):024x}"  # Allegro's ids look like Mongo ObjectIds

    def seller_ratings(self, seller_id: str) -> list[StoredRating]:
        found = [r for r in self.ratings.values() if r.seller_id == seller_id]
        return sorted(found, key=lambda r: r.last_changed_at, reverse=True)

    def rate(
        self,
        *,
        seller_id: str,
        form: dict[str, Any],
        recommended: bool,
        comment: str | None,
        at: datetime,
        rates: dict[str, int] | None = None,
    ) -> StoredRating:
        buyer = form.get("buyer") or {}
        offers = [
            (
                str((li.get("offer") or {}).get("id") or ""),
                str((li.get("offer") or {}).get("name") or ""),
            )
            for li in form.get("lineItems") or []
        ]
        score = 5 if recommended else 1
        rating = StoredRating(
            id=self.new_id(),
            seller_id=seller_id,
            buyer_id=str(buyer.get("id") or ""),
            buyer_login=str(buyer.get("login") or "kupujacy"),
            form_id=str(form["id"]),
            offers=offers,
            recommended=recommended,
            comment=comment,
            rates=rates
            or {"delivery": score, "deliveryCost": score, "description": score, "service": score},
            created_at=at,
            last_changed_at=at,
        )
        self.ratings[rating.id] = rating
        return rating


def ratings_of(world: World) -> RatingsState:
    state: RatingsState | None = getattr(world, "ratings", None)
    if state is None:
        state = RatingsState(rng=random.Random(world.seed + 11))
        world.ratings = state
    return state
