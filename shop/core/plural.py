"""Polish plural forms: 1 dzień, 2–4 dni, 5 dni; 1 godzina, 2–4 godziny, 5 godzin.

gettext's two-form ``ngettext`` cannot say this while the Polish text is the source language,
so labels built from a number pick their form here.
"""

from __future__ import annotations

from django.utils.functional import Promise


def plural_pl(n: int, one: str | Promise, few: str | Promise, many: str | Promise) -> str:
    """The form of a noun for ``n`` under Polish rules (``few`` for 2–4, 22–24, …)."""
    if n == 1:
        return str(one)
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return str(few)
    return str(many)
