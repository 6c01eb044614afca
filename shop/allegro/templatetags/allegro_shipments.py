"""``{% parcel_section form %}``: the Wysyłam z Allegro section of the Allegro order page."""

from __future__ import annotations

from typing import Any

from django import template

from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.shipments.views import section_context

register = template.Library()


@register.inclusion_tag("allegro/shipments/_section.html", takes_context=True)
def parcel_section(context: template.Context, form: AllegroCheckoutForm) -> dict[str, Any]:
    return {
        **section_context(form),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
