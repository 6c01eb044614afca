"""Control API of the billing domain: fees that no buyer action produces."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fake_allegro.billing.state import TYPE_NAMES, billing_of, billing_refund_commission
from fake_allegro.control import bad, control, json_body, ok, seller_of
from fake_allegro.orders.state import parse_time
from fake_allegro.routing import Call, Reply


@control("POST", "/billing/entries")
def add_entry(call: Call) -> Reply:
    """One fee: ``{"type": "LIS", "amount": "-1.50", "offerId"?, "orderId"?, "occurredAt"?,
    "login"?, "lagSeconds"?}``. A negative amount is a charge, a positive one a credit."""
    data: dict[str, Any] = json_body(call)
    seller = seller_of(call, data)
    type_id = str(data.get("type") or "")
    if type_id not in TYPE_NAMES:
        raise bad(f"unknown billing type {type_id!r}")
    try:
        amount = Decimal(str(data["amount"]))
    except (KeyError, InvalidOperation) as exc:
        raise bad("amount must be a decimal string") from exc
    when = parse_time(str(data["occurredAt"])) if data.get("occurredAt") else call.world.now()
    entry = billing_of(call.world).add(
        seller.id,
        type_id,
        amount,
        when,
        offer_id=data.get("offerId"),
        offer_name=data.get("offerName"),
        order_id=data.get("orderId"),
        lag=timedelta(seconds=float(data.get("lagSeconds", 0))),
    )
    return ok(entry.as_json())


@control("POST", "/billing/commission-refunds")
def refund_commission(call: Call) -> Reply:
    """A granted commission refund for ``orderId``: the order's commissions come back (REF)."""
    data: dict[str, Any] = json_body(call)
    seller = seller_of(call, data)
    when = parse_time(str(data["occurredAt"])) if data.get("occurredAt") else None
    order_id = str(data.get("orderId") or "")
    entries = billing_refund_commission(call.world, seller.id, order_id, when)
    return ok({"billingEntries": [e.as_json() for e in entries]})
