"""``{% allegro_order_fees form as fees %}``: the fees block of the Allegro order page."""

from __future__ import annotations

from django import template

from shop.allegro.billing.selectors import OrderFees, order_fees
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.simple_tag
def allegro_order_fees(form: AllegroCheckoutForm) -> OrderFees:
    return order_fees(form=form)
