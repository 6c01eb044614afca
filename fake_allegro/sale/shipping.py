"""Delivery methods and the seller's shipping-rate price lists (``/sale/shipping-rates``).

The 2026-10 rules: ``type`` is required, ``dispatchCountry`` is required for PHYSICAL lists,
there is no ``nextItemRate``; every rate must respect its delivery method's
``shippingRatesConstraints``; the IN_ADVANCE and CASH_ON_DELIVERY twins of one carrier must
share ``maxPackageWeight``; at most 250 lists per seller; Allegro-managed lists are read-only;
there is no DELETE.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fake_allegro.errors import ApiError, ErrorItem
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.common import sale_state
from fake_allegro.sale.seed_delivery import ELECTRONIC, method_id
from fake_allegro.sale.state import MAX_SHIPPING_RATES, SaleState, SellerSale, time_str
from fake_allegro.sale.validation import error

NAME_RE = re.compile(r"^[\w\-., ]{1,64}$")
DURATION_RE = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


@endpoint("GET", "/sale/delivery-methods", auth="app_or_user")
def delivery_methods(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    marketplace = call.query.get("marketplace")
    methods = [
        m for m in state.delivery_methods if marketplace is None or marketplace in m["marketplaces"]
    ]
    return {"deliveryMethods": methods}


def _features(sale: SellerSale, rates_id: str) -> dict[str, bool]:
    return {"managedByAllegro": rates_id in sale.managed_rates, "isFulfillment": False}


@endpoint("GET", "/sale/shipping-rates")
def list_shipping_rates(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    sale = sale_state(call).seller(seller.id)
    return {
        "shippingRates": [
            {
                "id": rates_id,
                "name": rates["name"],
                "features": _features(sale, rates_id),
                "marketplaces": [{"id": "allegro-pl"}],
            }
            for rates_id, rates in sale.shipping_rates.items()
        ]
    }


def _own(call: Call) -> tuple[SellerSale, dict[str, Any]]:
    seller = call.require_seller()
    sale = sale_state(call).seller(seller.id)
    rates = sale.shipping_rates.get(call.params["id"])
    if rates is None:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Shipping rates {call.params['id']} not found",
            user_message="Nie znaleziono cennika dostawy.",
        )
    return sale, rates


@endpoint("GET", "/sale/shipping-rates/{id}")
def get_shipping_rates(call: Call) -> dict[str, Any]:
    sale, rates = _own(call)
    return {**rates, "features": _features(sale, rates["id"])}


def _duration(text: Any) -> timedelta | None:
    match = DURATION_RE.match(str(text or ""))
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def validate_rates(state: SaleState, body: dict[str, Any]) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    name = str(body.get("name") or "")
    if not NAME_RE.match(name) or "_" in name:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "Name must have 1-64 characters: letters, digits, hyphens, dots, commas, spaces",
                "Nazwa cennika może mieć 1–64 znaki: litery, cyfry, myślniki, kropki, przecinki"
                " i spacje.",
                "name",
            )
        )
    kind = body.get("type")
    if kind == "PHYSICAL" and not body.get("dispatchCountry"):
        errors.append(
            error(
                "VALIDATION_ERROR",
                "dispatchCountry is required for PHYSICAL shipping rates",
                "Podaj kraj nadania przesyłek.",
                "dispatchCountry",
            )
        )
    rates = body.get("rates") or []
    if not rates:
        errors.append(
            error(
                "VALIDATION_ERROR",
                "At least one rate is required",
                "Cennik musi zawierać przynajmniej jedną metodę dostawy.",
                "rates",
            )
        )
    methods = {m["id"]: m for m in state.delivery_methods}
    seen: dict[str, int] = {}
    weights: dict[str, Any] = {}
    for n, rate in enumerate(rates):
        path = f"rates[{n}]"
        if "nextItemRate" in rate:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    "nextItemRate is no longer supported: the price is per package",
                    "Cena za kolejną sztukę nie jest już obsługiwana: koszt dostawy liczy się"
                    " za paczkę.",
                    f"{path}.nextItemRate",
                )
            )
        mid = str((rate.get("deliveryMethod") or {}).get("id"))
        method = methods.get(mid)
        if method is None:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"Unknown delivery method {mid}",
                    "Nieznana metoda dostawy.",
                    f"{path}.deliveryMethod.id",
                )
            )
            continue
        if mid in seen:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"Delivery method {mid} is listed twice",
                    f"Metoda „{method['name']}” występuje w cenniku dwa razy.",
                    f"{path}.deliveryMethod.id",
                )
            )
        seen[mid] = n
        carrier = _carrier_of(mid)
        electronic = carrier in ELECTRONIC
        if (kind == "ELECTRONIC") != electronic:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"Delivery method {mid} does not fit a {kind} shipping rates set",
                    f"Metoda „{method['name']}” nie pasuje do cennika typu {kind}.",
                    f"{path}.deliveryMethod.id",
                )
            )
        limits = method["shippingRatesConstraints"]
        label = method["name"]
        if not limits["allowed"]:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"Delivery method {mid} cannot be used",
                    f"Metody „{label}” nie można użyć w cenniku.",
                    f"{path}.deliveryMethod",
                )
            )
        quantity = rate.get("maxQuantityPerPackage")
        if (
            not isinstance(quantity, int)
            or not 1 <= quantity <= limits["maxQuantityPerPackage"]["max"]
        ):
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"maxQuantityPerPackage must be 1..{limits['maxQuantityPerPackage']['max']}",
                    f"Maksymalna liczba sztuk w paczce dla „{label}” to"
                    f" {limits['maxQuantityPerPackage']['max']}.",
                    f"{path}.maxQuantityPerPackage",
                )
            )
        weight = rate.get("maxPackageWeight")
        weight_limits = limits["maxPackageWeight"]
        if weight:
            value = _decimal(weight.get("value"))
            if not weight_limits["supported"]:
                errors.append(
                    error(
                        "VALIDATION_ERROR",
                        f"Delivery method {mid} has no package weight",
                        f"Metoda „{label}” nie obsługuje wagi paczki.",
                        f"{path}.maxPackageWeight",
                    )
                )
            elif (
                value is None
                or weight.get("unit", "KILOGRAM") != "KILOGRAM"
                or not Decimal(weight_limits["min"]) <= value <= Decimal(weight_limits["max"])
            ):
                errors.append(
                    error(
                        "VALIDATION_ERROR",
                        f"maxPackageWeight must be {weight_limits['min']}"
                        f"-{weight_limits['max']} KILOGRAM",
                        f"Waga paczki dla „{label}” musi mieścić się w zakresie"
                        f" {weight_limits['min']}–{weight_limits['max']} kg.",
                        f"{path}.maxPackageWeight",
                    )
                )
            if value is not None:
                weights.setdefault(carrier, set()).add(value)
        elif weight_limits["supported"]:
            weights.setdefault(carrier, set()).add(None)
        first = rate.get("firstItemRate") or {}
        amount = _decimal(first.get("amount"))
        item_limits = limits["firstItemRate"]
        if (
            amount is None
            or amount != amount.quantize(Decimal("0.01"))
            or not Decimal(item_limits["min"]) <= amount <= Decimal(item_limits["max"])
            or first.get("currency") != item_limits["currency"]
        ):
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"firstItemRate must be {item_limits['min']}-{item_limits['max']}"
                    f" {item_limits['currency']}",
                    f"Koszt dostawy „{label}” musi mieścić się w zakresie"
                    f" {item_limits['min']}–{item_limits['max']} {item_limits['currency']}.",
                    f"{path}.firstItemRate",
                )
            )
        time = rate.get("shippingTime")
        if time:
            default = limits["shippingTime"]["default"]
            start, end = _duration(time.get("from")), _duration(time.get("to"))
            if start is None or end is None or start > end:
                errors.append(
                    error(
                        "VALIDATION_ERROR",
                        "shippingTime must be ISO-8601 durations from<=to",
                        "Niepoprawny czas dostawy.",
                        f"{path}.shippingTime",
                    )
                )
            elif not limits["shippingTime"]["customizable"] and (
                start != _duration(default["from"]) or end != _duration(default["to"])
            ):
                errors.append(
                    error(
                        "VALIDATION_ERROR",
                        f"Shipping time of delivery method {mid} cannot be customised",
                        f"Czasu dostawy metody „{label}” nie można zmienić.",
                        f"{path}.shippingTime",
                    )
                )
    for carrier, values in weights.items():
        if len(values) > 1:
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    "maxPackageWeight must be the same for the IN_ADVANCE and CASH_ON_DELIVERY"
                    f" methods of one carrier ({carrier})",
                    "Waga paczki musi być taka sama dla przesyłki płatnej z góry i za pobraniem.",
                    "rates",
                )
            )
    return errors


def _carrier_of(mid: str) -> str:
    from fake_allegro.sale.seed_delivery import CARRIERS

    for carrier in CARRIERS:
        if mid in (
            method_id(carrier.key, "IN_ADVANCE"),
            method_id(carrier.key, "CASH_ON_DELIVERY"),
        ):
            return carrier.key
    return mid


def _stored(state: SaleState, rates_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rates_id,
        "name": body["name"],
        "type": body["type"],
        "dispatchCountry": body.get("dispatchCountry"),
        "rates": [
            {
                k: v
                for k, v in rate.items()
                if k
                in (
                    "deliveryMethod",
                    "maxQuantityPerPackage",
                    "maxPackageWeight",
                    "firstItemRate",
                    "shippingTime",
                )
            }
            for rate in body["rates"]
        ],
        "lastModified": time_str(state.now()),
    }


@endpoint("POST", "/sale/shipping-rates")
def create_shipping_rates(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    sale = state.seller(seller.id)
    body = call.body() or {}
    if len(sale.shipping_rates) >= MAX_SHIPPING_RATES:
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            f"You can have at most {MAX_SHIPPING_RATES} shipping rates sets",
            user_message=f"Możesz mieć najwyżej {MAX_SHIPPING_RATES} cenników dostawy.",
        )
    errors = validate_rates(state, body)
    if errors:
        raise ApiError(422, *errors)
    rates_id = state.new_uuid()
    sale.shipping_rates[rates_id] = _stored(state, rates_id, body)
    return Reply(201, sale.shipping_rates[rates_id])


@endpoint("PUT", "/sale/shipping-rates/{id}")
def replace_shipping_rates(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    sale, current = _own(call)
    body = call.body() or {}
    if current["id"] in sale.managed_rates:
        raise ApiError.one(
            403,
            "ACCESS_DENIED",
            "Shipping rates managed by Allegro cannot be modified",
            user_message="Cennika zarządzanego przez Allegro nie można zmieniać.",
        )
    if body.get("id") != current["id"]:
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "Body id must equal the shipping rates id in the path",
            path="id",
        )
    errors = validate_rates(state, body)
    for key in ("type", "dispatchCountry"):
        if body.get(key) != current.get(key):
            errors.append(
                error(
                    "VALIDATION_ERROR",
                    f"{key} cannot be changed once the set is created",
                    "Typu cennika i kraju nadania nie można zmienić.",
                    key,
                )
            )
    if errors:
        raise ApiError(422, *errors)
    sale.shipping_rates[current["id"]] = _stored(state, current["id"], body)
    return sale.shipping_rates[current["id"]]
