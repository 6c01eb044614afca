"""``{% order_claims form as oc %}``: an Allegro order's refund claims and claimable items."""

from __future__ import annotations

from typing import Any

from django import template

from shop.allegro.claims.selectors import candidates_for, claim_of_form
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.simple_tag
def order_claims(form: AllegroCheckoutForm) -> dict[str, Any]:
    candidates = candidates_for(account=form.account, form=form)
    return {
        "claims": claim_of_form(form),
        "candidates": candidates,
        "open": any(c.is_open for c in candidates),
    }
