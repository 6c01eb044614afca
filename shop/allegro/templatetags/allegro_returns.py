"""``{% order_returns form %}``: the returns and refunds section of an Allegro order page."""

from __future__ import annotations

from typing import Any

from django import template

from shop.allegro.models import AllegroCheckoutForm, ReturnDecision
from shop.allegro.returns.mapping import ARRIVED, REFUNDED
from shop.allegro.returns.selectors import refunds_of_form, returns_of_form

register = template.Library()


@register.inclusion_tag("allegro/returns/_order_returns.html", takes_context=True)
def order_returns(context: Any, form: AllegroCheckoutForm) -> dict[str, Any]:
    rows = [
        (
            ret,
            ret.status in ARRIVED and ret.decision == ReturnDecision.PENDING,
            ret.status not in REFUNDED and ret.decision != ReturnDecision.REJECTED,
        )
        for ret in returns_of_form(form)
    ]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "form": form,
        "returns": rows,
        "refunds": refunds_of_form(form),
        "paid": bool((form.raw.get("payment") or {}).get("paidAmount")),
    }
