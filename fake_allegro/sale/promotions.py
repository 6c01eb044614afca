"""Promotion packages (wyróżnienia) and their per-offer options."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call, endpoint
from fake_allegro.sale.common import int_query, own_offer, sale_state
from fake_allegro.sale.state import SaleState, time_str

BASE_PACKAGES = [
    {"id": "emphasized10d", "name": "Wyróżnienie", "cycleDuration": "P10D"},
    {"id": "emphasized1d", "name": "Wyróżnienie elastyczne", "cycleDuration": "PT24H"},
]
EXTRA_PACKAGES = [
    {"id": "departmentPage", "name": "Strona działu", "cycleDuration": "P10D"},
]
_CYCLES = {"P10D": timedelta(days=10), "PT24H": timedelta(hours=24)}


@endpoint("GET", "/sale/offer-promotion-packages", auth="app_or_user")
def promotion_packages(call: Call) -> dict[str, Any]:
    return {
        "marketplaceId": "allegro-pl",
        "basePackages": BASE_PACKAGES,
        "extraPackages": EXTRA_PACKAGES,
        "additionalMarketplaces": [
            {"marketplaceId": "allegro-cz", "basePackages": BASE_PACKAGES[:1], "extraPackages": []},
        ],
    }


def _package(package_id: str, base: bool) -> dict[str, Any] | None:
    return (
        next((p for p in BASE_PACKAGES if p["id"] == package_id), None)
        if base
        else next((p for p in EXTRA_PACKAGES if p["id"] == package_id), None)
    )


def _option(package_id: str, start: datetime, cycle: str) -> dict[str, Any]:
    return {
        "id": package_id,
        "validFrom": time_str(start),
        "validTo": None,
        "nextCycleDate": time_str(start + _CYCLES[cycle]),
    }


def _options(state: SaleState, seller_id: str, offer_id: str) -> dict[str, Any]:
    stored = state.seller(seller_id).promo.get(offer_id) or {}
    return {
        "offerId": offer_id,
        "marketplaceId": "allegro-pl",
        "basePackage": stored.get("basePackage"),
        "extraPackages": list(stored.get("extraPackages") or []),
        "pendingChanges": stored.get("pendingChanges"),
        "additionalMarketplaces": [],
    }


@endpoint("POST", "/sale/offers/{offerId}/promo-options-modification")
def modify_promo_options(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"])
    body = call.body() or {}
    stored = state.seller(seller.id).promo.setdefault(offer.id, {"extraPackages": []})
    now = state.now()
    for n, change in enumerate(body.get("modifications") or []):
        base = change.get("packageType") == "BASE"
        kind = change.get("modificationType")
        package = _package(str(change.get("packageId")), base)
        if package is None:
            raise ApiError.one(
                422,
                "VALIDATION_ERROR",
                f"Unknown promotion package {change.get('packageId')}",
                user_message="Nieznany pakiet promowania.",
                path=f"modifications[{n}].packageId",
            )
        if offer.status not in ("ACTIVE", "ACTIVATING"):
            raise ApiError.one(
                422,
                "VALIDATION_ERROR",
                "Only active offers can be promoted",
                user_message="Promować można tylko aktywne oferty.",
            )
        if base:
            current = stored.get("basePackage")
            if kind == "CHANGE":
                if current and current["id"] != package["id"]:
                    stored["pendingChanges"] = {
                        "basePackage": _option(
                            package["id"],
                            datetime.fromisoformat(current["nextCycleDate"]),
                            package["cycleDuration"],
                        )
                    }
                elif not current:
                    stored["basePackage"] = _option(package["id"], now, package["cycleDuration"])
            elif kind == "REMOVE_NOW":
                stored["basePackage"] = None
                stored["pendingChanges"] = None
            elif current:
                current["validTo"] = current["nextCycleDate"]
        else:
            extras = [p for p in stored["extraPackages"] if p["id"] != package["id"]]
            if kind == "CHANGE":
                extras.append(_option(package["id"], now, package["cycleDuration"]))
            elif kind == "REMOVE_WITH_END_OF_CYCLE":
                for option in stored["extraPackages"]:
                    if option["id"] == package["id"]:
                        option["validTo"] = option["nextCycleDate"]
                        extras.append(option)
            stored["extraPackages"] = extras
    return _options(state, seller.id, offer.id)


@endpoint("GET", "/sale/offers/{offerId}/promo-options")
def offer_promo_options(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"], foreign_status=403)
    return _options(state, seller.id, offer.id)


@endpoint("GET", "/sale/offers/promo-options")
def seller_promo_options(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    limit, offset = int_query(call, "limit", 5000), int_query(call, "offset", 0)
    if not 1 <= limit <= 5000 or offset < 0:
        raise ApiError.one(400, "VALIDATION_ERROR", "limit must be 1..5000")
    promo = state.seller(seller.id).promo
    ids = sorted(i for i, p in promo.items() if p.get("basePackage") or p.get("extraPackages"))
    chosen = ids[offset : offset + limit]
    return {
        "promoOptions": [_options(state, seller.id, i) for i in chosen],
        "count": len(chosen),
        "totalCount": len(ids),
    }
