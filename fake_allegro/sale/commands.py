"""Batch commands: publication (ACTIVATE/END), price change and quantity change.

The command id is a UUID the client generates; reusing it is a 409. Commands run at once here:
``completedAt`` is set and each offer gets a task with status SUCCESS or FAIL (with errors).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.common import int_query, sale_state
from fake_allegro.sale.state import Command, Offer, SaleState, parse_time, time_str
from fake_allegro.sale.validation import check_offer, error

MAX_OFFERS = 1000

Apply = Callable[[SaleState, Offer], dict[str, Any] | None]  # error dict or None for success


def _offer_ids(body: dict[str, Any]) -> list[str]:
    criteria = body.get("offerCriteria") or []
    ids: list[str] = []
    for criterion in criteria:
        if criterion.get("type", "CONTAINS_OFFERS") != "CONTAINS_OFFERS":
            raise ApiError.one(422, "VALIDATION_ERROR", "Only CONTAINS_OFFERS is supported")
        offers = criterion.get("offers") or []
        if len(offers) > MAX_OFFERS:
            raise ApiError.one(
                422,
                "VALIDATION_ERROR",
                f"A command may change at most {MAX_OFFERS} offers",
                user_message=f"Jedno polecenie może zmienić najwyżej {MAX_OFFERS} ofert.",
                path="offerCriteria",
            )
        ids.extend(str(o.get("id")) for o in offers)
    if not ids:
        raise ApiError.one(422, "VALIDATION_ERROR", "No offers given", path="offerCriteria")
    if len(ids) > MAX_OFFERS:
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            f"A command may change at most {MAX_OFFERS} offers",
            path="offerCriteria",
        )
    return ids


def _run(call: Call, kind: str, field: str, apply: Apply) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    command_id = call.params["commandId"]
    if (kind, command_id) in state.commands:
        raise ApiError.one(
            409,
            "CommandAlreadyExistsException",
            f"Command {command_id} already exists",
            user_message="Polecenie o tym identyfikatorze już istnieje.",
        )
    body = call.body() or {}
    ids = _offer_ids(body)
    tasks = []
    for offer_id in ids:
        offer = state.offers.get(offer_id)
        problem: dict[str, Any] | None
        if offer is None or offer.seller_id != seller.id:
            problem = error(
                "OfferNotFoundException",
                f"Offer {offer_id} not found",
                f"Oferta {offer_id} nie istnieje lub nie należy do Ciebie.",
                None,
                offerId=offer_id,
            ).as_json()
        else:
            problem = apply(state, offer)
        tasks.append(
            {
                "offer": {"id": offer_id},
                "field": field,
                "status": "FAIL" if problem else "SUCCESS",
                "message": problem["userMessage"] if problem else "",
                "errors": [problem] if problem else [],
            }
        )
    now = state.now()
    command = Command(command_id, kind, seller.id, now, now, tasks)
    state.commands[(kind, command_id)] = command
    return Reply(201, _report(command))


def _report(command: Command) -> dict[str, Any]:
    failed = sum(1 for t in command.tasks if t["status"] == "FAIL")
    return {
        "id": command.id,
        "createdAt": time_str(command.created_at),
        "completedAt": time_str(command.completed_at),
        "taskCount": {
            "total": len(command.tasks),
            "success": len(command.tasks) - failed,
            "failed": failed,
        },
    }


def _command(call: Call, kind: str) -> Command:
    seller = call.require_seller()
    command = sale_state(call).commands.get((kind, call.params["commandId"]))
    if command is None or command.seller_id != seller.id:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Command {call.params['commandId']} not found",
            user_message="Nie znaleziono polecenia.",
        )
    return command


def _tasks(call: Call, kind: str) -> dict[str, Any]:
    command = _command(call, kind)
    limit, offset = int_query(call, "limit", 100), int_query(call, "offset", 0)
    if not 1 <= limit <= 1000 or not 0 <= offset <= 999:
        raise ApiError.one(422, "VALIDATION_ERROR", "limit must be 1..1000, offset 0..999")
    return {"tasks": command.tasks[offset : offset + limit]}


# --- publication ---------------------------------------------------------------------------------


def _publication(action: str, scheduled: str | None) -> Apply:
    def apply(state: SaleState, offer: Offer) -> dict[str, Any] | None:
        if action == "END":
            if offer.status in ("ACTIVE", "ACTIVATING"):
                state.end_offer(offer, "USER")
                return None
            if offer.status == "ENDED":
                return None
            return error(
                "OfferNotActiveException",
                f"Offer {offer.id} is not active",
                "Nie można zakończyć oferty, która nie jest wystawiona.",
            ).as_json()
        if offer.status in ("ACTIVE", "ACTIVATING"):
            return None
        from fake_allegro.sale.offers import offer_view

        hard, publication = check_offer(state, offer.seller_id, offer_view(offer))
        problems = hard + publication
        if offer.available <= 0 and not problems:
            problems = [
                error(
                    "ConstraintViolationException",
                    "No items available",
                    "Liczba sztuk musi być większa od zera.",
                    "stock.available",
                )
            ]
        if problems:
            offer.validation_errors = [e.as_json() for e in publication]
            return problems[0].as_json()
        state.activate_offer(offer, parse_time(scheduled) if scheduled else None)
        return None

    return apply


@endpoint("PUT", "/sale/offer-publication-commands/{commandId}")
def publication_command(call: Call) -> Reply:
    body = call.body() or {}
    publication = body.get("publication") or {}
    action = publication.get("action")
    if action not in ("ACTIVATE", "END"):
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "publication.action must be ACTIVATE or END",
            path="publication.action",
        )
    return _run(
        call, "publication", "publication", _publication(action, publication.get("scheduledFor"))
    )


@endpoint("GET", "/sale/offer-publication-commands/{commandId}")
def publication_report(call: Call) -> dict[str, Any]:
    return _report(_command(call, "publication"))


@endpoint("GET", "/sale/offer-publication-commands/{commandId}/tasks")
def publication_tasks(call: Call) -> dict[str, Any]:
    return _tasks(call, "publication")


# --- quantity ------------------------------------------------------------------------------------


@endpoint("PUT", "/sale/offer-quantity-change-commands/{commandId}")
def quantity_command(call: Call) -> Reply:
    body = call.body() or {}
    modification = body.get("modification") or {}
    change, value = modification.get("changeType"), modification.get("value")
    if change not in ("FIXED", "GAIN") or not isinstance(value, int):
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "modification needs changeType FIXED|GAIN and an integer value",
            path="modification",
        )

    def apply(state: SaleState, offer: Offer) -> dict[str, Any] | None:
        new = value if change == "FIXED" else offer.available + value
        if new < 0 or new > 100_000:
            return error(
                "ConstraintViolationException",
                f"Quantity {new} is outside 0..100000",
                "Liczba sztuk musi mieścić się w zakresie 0–100000.",
                "stock.available",
            ).as_json()
        if offer.status == "ENDED" and new > 0:
            offer.available = new
            offer.updated_at = state.now()
            return None
        state.set_stock(offer, new)
        return None

    return _run(call, "quantity", "stock.available", apply)


@endpoint("GET", "/sale/offer-quantity-change-commands/{commandId}")
def quantity_report(call: Call) -> dict[str, Any]:
    return _report(_command(call, "quantity"))


@endpoint("GET", "/sale/offer-quantity-change-commands/{commandId}/tasks")
def quantity_tasks(call: Call) -> dict[str, Any]:
    return _tasks(call, "quantity")


# --- price ---------------------------------------------------------------------------------------


def _decimal(text: Any) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@endpoint("PUT", "/sale/offer-price-change-commands/{commandId}")
def price_command(call: Call) -> Reply:
    body = call.body() or {}
    modification = body.get("modification") or {}
    kind = modification.get("type")
    marketplace = modification.get("marketplaceId") or "allegro-pl"
    holder = {
        "FIXED_PRICE": modification.get("price"),
        "INCREASE_PRICE": modification.get("value"),
        "DECREASE_PRICE": modification.get("value"),
    }.get(str(kind))
    percentage = _decimal(modification.get("percentage"))
    amount = _decimal((holder or {}).get("amount")) if holder else None
    if kind in ("FIXED_PRICE", "INCREASE_PRICE", "DECREASE_PRICE"):
        valid = amount is not None and amount >= 0 and (holder or {}).get("currency") == "PLN"
    else:
        valid = kind in ("INCREASE_PERCENTAGE", "DECREASE_PERCENTAGE") and percentage is not None
    if not valid or marketplace != "allegro-pl":
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "Invalid price modification (PLN amounts on allegro-pl only)",
            path="modification",
        )

    def apply(state: SaleState, offer: Offer) -> dict[str, Any] | None:
        current = Decimal(offer.price or "0")
        if kind == "FIXED_PRICE":
            new = amount
        elif kind == "INCREASE_PRICE":
            new = current + (amount or Decimal(0))
        elif kind == "DECREASE_PRICE":
            new = current - (amount or Decimal(0))
        elif kind == "INCREASE_PERCENTAGE":
            new = current * (1 + (percentage or Decimal(0)) / 100)
        else:
            new = current * (1 - (percentage or Decimal(0)) / 100)
        assert new is not None
        new = new.quantize(Decimal("0.01"))
        if offer.selling_format != "BUY_NOW":
            return error(
                "ConstraintViolationException",
                "Only BUY_NOW offers have a fixed price",
                "Cenę można zmienić tylko w ofercie Kup Teraz.",
            ).as_json()
        if new <= 0:
            return error(
                "ConstraintViolationException",
                f"Price {new} must be positive",
                "Cena musi być większa od zera.",
                "sellingMode.price",
            ).as_json()
        state.set_price(offer, f"{new:.2f}", "PLN")
        return None

    return _run(call, "price", "sellingMode.price", apply)


@endpoint("GET", "/sale/offer-price-change-commands/{commandId}")
def price_report(call: Call) -> dict[str, Any]:
    return _report(_command(call, "price"))


@endpoint("GET", "/sale/offer-price-change-commands/{commandId}/tasks")
def price_tasks(call: Call) -> dict[str, Any]:
    return _tasks(call, "price")
