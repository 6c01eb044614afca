"""``GET /me``."""

from __future__ import annotations

from allegro_api.models.common import AllegroModel, IdRef

__all__ = ["Company", "Me"]


class Company(AllegroModel):
    name: str | None = None
    tax_id: str | None = None


class Me(AllegroModel):
    id: str | None = None
    login: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    base_marketplace: IdRef | None = None
    company: Company | None = None
    features: list[str] | None = None
