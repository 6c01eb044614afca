"""The seller's ratings (``/sale/user-ratings``): read, answer, ask for removal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from allegro_api._serialize import path_segment
from allegro_api.models.ratings import RatingAnswer, RatingRemoval, UserRating, UserRatingList
from allegro_api.resources._base import Resource

__all__ = ["RATING_PAGE_LIMIT", "RatingsResource"]

RATING_PAGE_LIMIT = 100
RATING_OFFSET_CAP = 20000  # the spec's maximum offset


class RatingsResource(Resource):
    def list(
        self,
        *,
        last_changed_gte: datetime | None = None,
        offset: int = 0,
        limit: int = RATING_PAGE_LIMIT,
    ) -> UserRatingList:
        """One page, latest change first."""
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if last_changed_gte is not None:
            params["lastChangedAt.gte"] = last_changed_gte
        return self._parse(UserRatingList, self._r.get_json("/sale/user-ratings", params=params))

    def iter_changed(self, *, since: datetime | None = None) -> Iterator[UserRating]:
        offset = 0
        while offset <= RATING_OFFSET_CAP:
            page = self.list(last_changed_gte=since, offset=offset)
            yield from page.ratings
            if len(page.ratings) < RATING_PAGE_LIMIT:
                return
            offset += RATING_PAGE_LIMIT

    def get(self, rating_id: str) -> UserRating:
        data = self._r.get_json(f"/sale/user-ratings/{path_segment(rating_id)}")
        return self._parse(UserRating, data)

    def answer(self, rating_id: str, *, message: str) -> RatingAnswer:
        """Answer a rating (once: Allegro refuses a second answer, so a repeat is harmless)."""
        data = self._r.send_json(
            "PUT",
            f"/sale/user-ratings/{path_segment(rating_id)}/answer",
            {"message": message},
            retry_safe=True,
        )
        return self._parse(RatingAnswer, data)

    def request_removal(self, rating_id: str, *, message: str) -> RatingRemoval:
        """Ask the buyer to remove the rating, before ``removal.possibleTo``."""
        data = self._r.send_json(
            "PUT",
            f"/sale/user-ratings/{path_segment(rating_id)}/removal",
            {"request": {"message": message}},
            retry_safe=True,
        )
        return self._parse(RatingRemoval, data)
