"""``{% invoice_section form %}``: the invoice section of the Allegro order page."""

from __future__ import annotations

from typing import Any

from django import template

from shop.allegro.invoices.views import section_context
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.inclusion_tag("allegro/invoices/_section.html", takes_context=True)
def invoice_section(context: template.Context, form: AllegroCheckoutForm) -> dict[str, Any]:
    return {
        **section_context(form),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
