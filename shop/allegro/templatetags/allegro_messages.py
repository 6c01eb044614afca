"""Message filters: ``|message_text`` (shown safely), ``|waited``; the order page section."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from shop.allegro.common.text import buyer_text_html
from shop.allegro.messages.mapping import waited_label, waited_long
from shop.allegro.messages.selectors import threads_of_form
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.filter
def message_text(value: str | None) -> SafeString:
    return buyer_text_html(value)


@register.filter
def waited(since: datetime | None, now: datetime | None = None) -> str:
    """``{{ thread.waiting_since|waited:now }}``: how long the buyer has waited."""
    if since is None:
        return ""
    return waited_label(since, now or timezone.now())


@register.filter
def waited_too_long(since: datetime | None, now: datetime | None = None) -> bool:
    return since is not None and waited_long(since, now or timezone.now())


@register.inclusion_tag("allegro/messages/_order_threads.html")
def message_order_section(form: AllegroCheckoutForm) -> dict[str, Any]:
    return {"form": form, "threads": threads_of_form(form)}
