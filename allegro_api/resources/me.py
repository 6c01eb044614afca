"""``GET /me``: the seller the token belongs to."""

from __future__ import annotations

from allegro_api.models.me import Me
from allegro_api.resources._base import Resource

__all__ = ["MeResource"]


class MeResource(Resource):
    def get(self) -> Me:
        """The authorised seller: id, login, base marketplace, company."""
        return self._parse(Me, self._r.get_json("/me"))
