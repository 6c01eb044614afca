"""``|message_text`` (a message shown safely) and ``{% message_order_section form %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from shop.allegro.messages.mapping import linkify
from shop.allegro.messages.selectors import threads_of_form
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.filter
def message_text(value: str | None) -> SafeString:
    return linkify(value or "")


@register.inclusion_tag("allegro/messages/_order_threads.html")
def message_order_section(form: AllegroCheckoutForm) -> dict[str, Any]:
    return {"form": form, "threads": threads_of_form(form)}
