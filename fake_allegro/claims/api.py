"""Commission refund claims (``/order/refund-claims``) and their control endpoint.

The rules and the issues they come from are in ``fake_allegro/claims/state.py``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fake_allegro.claims.state import (
    CLAIM_STATUSES,
    CLAIM_WINDOW,
    OPEN_STATUSES,
    StoredClaim,
    bought_at_of,
    claims_of,
    commission_of,
    decide,
    find_line_item,
    settle_due,
)
from fake_allegro.control import bad, control, json_body, ok
from fake_allegro.errors import ApiError
from fake_allegro.orders.state import orders_of
from fake_allegro.routing import Call, Reply, endpoint


def _unprocessable(code: str, message: str, user_message: str) -> ApiError:
    return ApiError.one(422, code, message, user_message=user_message)


def _claim(call: Call) -> StoredClaim:
    seller = call.require_seller()
    claim_id = call.params["claimId"]
    claim = claims_of(call.world).claims.get(claim_id)
    if claim is None:
        raise ApiError.one(
            404,
            "NotFoundException",
            f"Refund application {claim_id} not found.",
            user_message="Nie znaleziono wniosku o rabat transakcyjny.",
        )
    if claim.seller_id != seller.id:
        raise ApiError.one(
            403,
            "AccessDeniedException",
            "Refund application does not belong to you.",
            user_message="Wniosek o rabat transakcyjny nie należy do Ciebie.",
        )
    settle_due(call.world, seller.id)
    return claim


@endpoint("GET", "/order/refund-claims")
def list_claims(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    settle_due(call.world, seller.id)
    query = call.query
    offer_id = query.get("lineItem.offer.id")
    buyer_id = query.get("buyer.id")
    status = query.get("status")
    found = [
        c
        for c in claims_of(call.world).of_seller(seller.id)
        if (offer_id is None or c.offer_id == offer_id)
        and (buyer_id is None or c.buyer_id == buyer_id)
        and (status is None or c.status == status)
    ]
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", 25))
    page = found[offset : offset + limit]
    return {"refundClaims": [c.as_json() for c in page], "count": len(page)}


@endpoint("GET", "/order/refund-claims/{claimId}")
def get_claim(call: Call) -> dict[str, Any]:
    return _claim(call).as_json()


@endpoint("POST", "/order/refund-claims")
def create_claim(call: Call) -> Reply:
    seller = call.require_seller()
    body = call.body() or {}
    line_item_id = str((body.get("lineItem") or {}).get("id") or "")
    quantity = body.get("quantity")
    if not line_item_id:
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "lineItem.id must not be empty",
            path="lineItem.id",
            user_message="Podaj zakup, którego dotyczy wniosek.",
        )
    if not isinstance(quantity, int) or quantity < 1:
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "quantity must be greater than zero",
            path="quantity",
            user_message="Liczba sztuk musi być większa od zera.",
        )
    found = find_line_item(call.world, seller.id, line_item_id)
    if found is None:
        raise ApiError.one(
            404,
            "NotFoundException",
            f"Line item {line_item_id} not found.",
            user_message="Nie znaleziono zakupu.",
        )
    form, item = found
    state = claims_of(call.world)
    now = call.world.now()
    bought_at = bought_at_of(form, item)
    existing = state.for_line_item(line_item_id)
    if existing is not None:  # #9992: whatever its status, REJECTED included
        raise _unprocessable(
            "ClaimExistsException",
            f"Claim exists for line item id {line_item_id}.",
            "Wniosek o rabat dla tego zakupu już istnieje.",
        )
    if now - bought_at > CLAIM_WINDOW:  # #7749: counted from lineItems.boughtAt
        raise _unprocessable(
            "CommissionRefundPeriodExpiredException",
            f"Commission refund period expired for line item id {line_item_id}.",
            "Minął termin na złożenie wniosku o rabat transakcyjny (45 dni od zakupu).",
        )
    paid = bool((form.data.get("payment") or {}).get("paidAmount"))
    if (
        form.status != "CANCELLED"
        and not paid
        and now - bought_at < timedelta(days=state.min_wait_days)
    ):
        raise _unprocessable(
            "CommissionRefundPeriodNotStartedException",
            f"Commission refund period has not started yet for line item id {line_item_id}.",
            "Kupujący ma jeszcze czas na zapłatę. Wniosek złożysz po upływie tego terminu.",
        )
    bought = int(item.get("quantity") or 0)
    if quantity > bought:  # #4710
        raise _unprocessable(
            "VALIDATION_ERROR",
            f"Oferta: {line_item_id} ilość przekroczona, dostępna: {bought}, żądana: {quantity}",
            f"Oferta: {line_item_id} ilość przekroczona, dostępna: {bought}, żądana: {quantity}",
        )
    commission = commission_of(state, item, quantity)
    if commission <= 0:  # #6744, #11656
        raise _unprocessable(
            "CommissionAmountException",
            f"Invalid commission amount of line item id {line_item_id}.",
            "Nie możesz ubiegać się o zwrot zerowej prowizji.",
        )
    currency = str((item.get("price") or {}).get("currency") or "PLN")
    claim = StoredClaim(
        id=orders_of(call.world).new_uuid(),
        seller_id=seller.id,
        form_id=form.id,
        line_item_id=line_item_id,
        offer_id=str((item.get("offer") or {}).get("id") or ""),
        buyer_id=str((form.data.get("buyer") or {}).get("id") or ""),
        bought_at=bought_at,
        bought_quantity=bought,
        quantity=quantity,
        commission=commission,
        currency=currency,
        created_at=now,
    )
    state.claims[claim.id] = claim
    return Reply(201, {"id": claim.id})


@endpoint("DELETE", "/order/refund-claims/{claimId}")
def cancel_claim(call: Call) -> Reply:
    claim = _claim(call)
    if claim.status not in OPEN_STATUSES:
        raise _unprocessable(
            "RefundClaimAlreadyProcessedException",
            f"Refund application {claim.id} has already been processed.",
            "Wniosek został już rozpatrzony.",
        )
    claim.status = "CANCELLED"
    return Reply(204, None)


# -- control -----------------------------------------------------------------------------------


@control("POST", "/refund-claims/{claimId}/status")
def claim_decide(call: Call) -> Reply:
    """Allegro decides a claim now: ``{"status": "GRANTED"}``, or by the sale without a body."""
    claim = claims_of(call.world).claims.get(call.params["claimId"])
    if claim is None:
        raise bad("unknown refund claim", 404)
    status = json_body(call).get("status")
    if status is not None and status not in CLAIM_STATUSES:
        raise bad(f"status must be one of {', '.join(CLAIM_STATUSES)}")
    decide(call.world, claim, status)
    return ok(claim.as_json())


@control("POST", "/refund-claims/settings")
def claim_settings(call: Call) -> Reply:
    """``minWaitDays``, ``decideAfterSeconds``, ``commissionRate``."""
    from decimal import Decimal

    data = json_body(call)
    state = claims_of(call.world)
    if "minWaitDays" in data:
        state.min_wait_days = float(data["minWaitDays"])
    if "decideAfterSeconds" in data:
        state.decide_after = timedelta(seconds=float(data["decideAfterSeconds"]))
    if "commissionRate" in data:
        state.commission_rate = Decimal(str(data["commissionRate"]))
    return ok(
        {
            "minWaitDays": state.min_wait_days,
            "decideAfterSeconds": state.decide_after.total_seconds(),
            "commissionRate": str(state.commission_rate),
        }
    )
