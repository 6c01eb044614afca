"""After-sales conditions: return policies, implied warranties (rękojmia) and warranties."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fake_allegro.errors import ApiError, ErrorItem
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.common import int_query, sale_state
from fake_allegro.sale.state import SellerSale
from fake_allegro.sale.validation import error

BASE = "/after-sales-service-conditions"
PERIOD_RE = re.compile(r"^P(\d+)([DWMY])$")
_DAYS = {"D": 1, "W": 7, "M": 30, "Y": 365}


def _days(period: Any) -> int | None:
    match = PERIOD_RE.match(str(period or ""))
    return int(match.group(1)) * _DAYS[match.group(2)] if match else None


def _check_address(address: Any, path: str, errors: list[ErrorItem]) -> None:
    if not address:
        errors.append(error("VALIDATION_ERROR", "Address is required", "Podaj adres.", path))
        return
    if address.get("countryCode") == "PL" and not re.match(
        r"^\d{2}-\d{3}$", str(address.get("postCode", ""))
    ):
        errors.append(
            error(
                "VALIDATION_ERROR",
                "Polish post code must look like 00-000",
                "Kod pocztowy musi mieć format 00-000.",
                f"{path}.postCode",
            )
        )


def check_return_policy(body: dict[str, Any]) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    availability = body.get("availability") or {}
    scope = availability.get("range")
    cause = (availability.get("restrictionCause") or {}).get("name")
    if scope in ("RESTRICTED", "DISABLED") and not cause:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "restrictionCause is required when returns are limited",
                "Podaj powód ograniczenia zwrotów.",
                "availability.restrictionCause",
            )
        )
    if scope == "FULL" and cause:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "restrictionCause must be empty for FULL availability",
                "Powód ograniczenia podaje się tylko przy ograniczonych zwrotach.",
                "availability.restrictionCause",
            )
        )
    period = body.get("withdrawalPeriod")
    if scope != "DISABLED":
        days = _days(period)
        if days is None or days < 14:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    "withdrawalPeriod must be an ISO-8601 period >= P14D",
                    "Czas na odstąpienie od umowy to co najmniej 14 dni.",
                    "withdrawalPeriod",
                )
            )
        _check_address(body.get("address"), "address", errors)
        if not (body.get("returnCost") or {}).get("coveredBy"):
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    "returnCost.coveredBy is required",
                    "Wskaż, kto pokrywa koszt zwrotu.",
                    "returnCost.coveredBy",
                )
            )
    return errors


def check_implied_warranty(body: dict[str, Any]) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    if not body.get("name"):
        errors.append(error("VALIDATION_ERROR", "name is required", "Podaj nazwę.", "name"))
    individual = _days((body.get("individual") or {}).get("period"))
    if individual is None or individual < 365:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "individual.period must be at least P1Y",
                "Rękojmia dla konsumentów trwa co najmniej rok.",
                "individual.period",
            )
        )
    if _days((body.get("corporate") or {}).get("period")) is None:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "corporate.period must be an ISO-8601 period",
                "Podaj okres rękojmi dla firm.",
                "corporate.period",
            )
        )
    _check_address(body.get("address"), "address", errors)
    return errors


def check_warranty(body: dict[str, Any]) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    if not body.get("name"):
        errors.append(error("VALIDATION_ERROR", "name is required", "Podaj nazwę.", "name"))
    if body.get("type") not in ("MANUFACTURER", "SELLER"):
        errors.append(
            error(
                "VALIDATION_ERROR",
                "type must be MANUFACTURER or SELLER",
                "Wskaż, kto udziela gwarancji.",
                "type",
            )
        )
    for key in ("individual", "corporate"):
        period = body.get(key) or {}
        if period.get("lifetime"):
            if period.get("period"):
                errors.append(
                    error(
                        "VALIDATION_ERROR",
                        f"{key}: lifetime warranty has no period",
                        "Gwarancja dożywotnia nie ma okresu.",
                        f"{key}.period",
                    )
                )
        elif _days(period.get("period")) is None:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"{key}.period must be an ISO-8601 period (e.g. P24M)",
                    "Podaj okres gwarancji.",
                    f"{key}.period",
                )
            )
    return errors


Kind = tuple[
    str,
    str,
    str,
    Callable[[SellerSale], dict[str, dict[str, Any]]],
    Callable[[dict[str, Any]], list[ErrorItem]],
    tuple[str, ...],
]

KINDS: list[Kind] = [
    (
        "return-policies",
        "returnPolicyId",
        "returnPolicies",
        lambda s: s.return_policies,
        check_return_policy,
        (
            "name",
            "isFulfillment",
            "availability",
            "withdrawalPeriod",
            "returnCost",
            "address",
            "contact",
            "options",
        ),
    ),
    (
        "implied-warranties",
        "impliedWarrantyId",
        "impliedWarranties",
        lambda s: s.implied_warranties,
        check_implied_warranty,
        ("name", "individual", "corporate", "address", "description"),
    ),
    (
        "warranties",
        "warrantyId",
        "warranties",
        lambda s: s.warranties,
        check_warranty,
        ("name", "type", "individual", "corporate", "attachment", "description"),
    ),
]


def _register(kind: Kind) -> None:
    segment, param, list_key, items_of, check, fields = kind

    def _items(call: Call) -> dict[str, dict[str, Any]]:
        seller = call.require_seller()
        return items_of(sale_state(call).seller(seller.id))

    def _one(call: Call) -> dict[str, Any]:
        item = _items(call).get(call.params[param])
        if item is None:
            raise ApiError.one(
                404,
                "NOT_FOUND",
                f"{segment} {call.params[param]} not found",
                user_message="Nie znaleziono warunków.",
            )
        return item

    def _from_body(call: Call, item_id: str) -> dict[str, Any]:
        body = call.body() or {}
        errors = check(body)
        if errors:
            raise ApiError(422, *errors)
        seller = call.require_seller()
        stored: dict[str, Any] = {"id": item_id, "seller": {"id": seller.id}}
        stored.update({k: body[k] for k in fields if k in body})
        if segment == "return-policies":
            stored.setdefault("isFulfillment", False)
            stored["availability"] = {
                "range": body["availability"]["range"],
                "restrictionCause": body["availability"].get("restrictionCause"),
            }
        return stored

    def list_items(call: Call) -> dict[str, Any]:
        limit, offset = int_query(call, "limit", 60), int_query(call, "offset", 0)
        if not 1 <= limit <= 60 or not 0 <= offset <= 59:
            raise ApiError.one(400, "VALIDATION_ERROR", "limit must be 1..60, offset 0..59")
        items = list(_items(call).values())[offset : offset + limit]
        if segment != "return-policies":
            items = [{"id": i["id"], "name": i["name"]} for i in items]
        return {list_key: items, "count": len(items)}

    def get_item(call: Call) -> dict[str, Any]:
        return _one(call)

    def create_item(call: Call) -> Reply:
        state = sale_state(call)
        stored = _from_body(call, state.new_uuid())
        _items(call)[stored["id"]] = stored
        return Reply(201, stored)

    def replace_item(call: Call) -> dict[str, Any]:
        current = _one(call)
        stored = _from_body(call, current["id"])
        _items(call)[current["id"]] = stored
        return stored

    for func, suffix in (
        (list_items, "list"),
        (get_item, "get"),
        (create_item, "create"),
        (replace_item, "replace"),
    ):
        func.__name__ = f"{suffix}_{segment.replace('-', '_')}"
    endpoint("GET", f"{BASE}/{segment}")(list_items)
    endpoint("POST", f"{BASE}/{segment}")(create_item)
    endpoint("GET", f"{BASE}/{segment}/{{{param}}}")(get_item)
    endpoint("PUT", f"{BASE}/{segment}/{{{param}}}")(replace_item)


for _kind in KINDS:
    _register(_kind)


@endpoint("DELETE", f"{BASE}/return-policies/{{returnPolicyId}}")
def delete_return_policy(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    sale = state.seller(seller.id)
    policy_id = call.params["returnPolicyId"]
    if policy_id not in sale.return_policies:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Return policy {policy_id} not found",
            user_message="Nie znaleziono warunków zwrotów.",
        )
    in_use = [
        o.id
        for o in state.seller_offers(seller.id)
        if o.status in ("ACTIVE", "ACTIVATING")
        and ((o.data.get("afterSalesServices") or {}).get("returnPolicy") or {}).get("id")
        == policy_id
    ]
    if in_use:
        raise ApiError.one(
            400,
            "VALIDATION_ERROR",
            f"Return policy {policy_id} is used by active offers",
            user_message="Te warunki zwrotów są używane w aktywnych ofertach.",
            metadata={"offerIds": ",".join(in_use[:20])},
        )
    del sale.return_policies[policy_id]
    return Reply(204, None)
