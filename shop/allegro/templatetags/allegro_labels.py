"""``{{ value|allegro_label:"payment_type" }}``: Polish labels of Allegro's codes in templates."""

from __future__ import annotations

from django import template

from shop.allegro.common import labels

register = template.Library()


@register.filter
def allegro_label(value: object, kind: str) -> str:
    """The Polish label of an Allegro code; "" for an empty value (so ``|default`` still works)."""
    return labels.allegro_label(None if value in (None, "") else str(value), kind)
