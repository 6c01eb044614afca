"""``GET /me``: the seller behind the token."""

from __future__ import annotations

from typing import Any

from fake_allegro.routing import Call, endpoint


@endpoint("GET", "/me", auth="user")
def me(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    body: dict[str, Any] = {
        "id": seller.id,
        "login": seller.login,
        "firstName": seller.first_name,
        "lastName": seller.last_name,
        "email": seller.email,
        "baseMarketplace": {"id": seller.base_marketplace},
        "features": list(seller.features),
    }
    if seller.company_name is not None:
        body["company"] = {"name": seller.company_name, "taxId": seller.tax_id}
    return body
