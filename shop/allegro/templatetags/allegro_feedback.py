"""``|buyer_text`` (escaped buyer text with safe links) and ``{% order_feedback form %}`` (the
discussions and rating of one Allegro order)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from shop.allegro.common.text import buyer_text_html
from shop.allegro.issues.selectors import issues_of_form, ratings_of_form
from shop.allegro.models import AllegroCheckoutForm

register = template.Library()


@register.filter
def buyer_text(value: str | None) -> SafeString:
    return buyer_text_html(value)


@register.inclusion_tag("allegro/issues/_order_feedback.html")
def order_feedback(form: AllegroCheckoutForm) -> dict[str, Any]:
    return {"issues": issues_of_form(form.pk), "ratings": ratings_of_form(form.pk)}
