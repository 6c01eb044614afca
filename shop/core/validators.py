"""Identifiers with check digits (GTIN: EAN-8/13, UPC-A, GTIN-14, ISBN-13; Polish NIP) and names
of places."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def gtin_is_valid(code: str) -> bool:
    """GS1 mod-10 check: weights 3 and 1 alternate from the right, excluding the check digit.

    ISBN-13 is an EAN-13 (prefix 978/979), so it passes the same check.
    """
    if not (code.isascii() and code.isdigit()) or len(code) not in GTIN_LENGTHS:
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def validate_gtin(value: str) -> None:
    if not gtin_is_valid(value):
        raise ValidationError(
            _(
                "Nieprawidłowy kod EAN/GTIN: %(value)s "
                "(8, 12, 13 lub 14 cyfr z poprawną cyfrą kontrolną)."
            ),
            code="invalid_gtin",
            params={"value": value},
        )


def normalize_nip(value: str) -> str:
    """``PL 123-456-32-18`` → ``1234563218``: the country prefix, spaces and dashes go."""
    value = value.strip().upper().removeprefix("PL")
    return "".join(c for c in value if c not in " -")


def nip_is_valid(value: str) -> bool:
    digits = normalize_nip(value)
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    checksum = sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS, strict=False)) % 11
    return checksum != 10 and checksum == int(digits[9])


def validate_nip(value: str) -> None:
    if not nip_is_valid(value):
        raise ValidationError(
            _("Nieprawidłowy NIP: %(value)s."), code="invalid_nip", params={"value": value}
        )


# A place name: starts with a letter, then letters, spaces, dots, hyphens and apostrophes
# ("Kędzierzyn-Koźle", "Nowy Dwór Gdański", "Ząbki"), no markup, digits or control characters.
PLACE_NAME_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ .'\-])*")
# Words that only ever arrive from a broken script, never as a real place.
NON_VALUES = {"nan", "null", "none", "undefined", "infinity", "inf"}


def validate_place_name(value: str) -> None:
    if not PLACE_NAME_RE.fullmatch(value) or value.casefold() in NON_VALUES:
        raise ValidationError(_("Podaj poprawną nazwę miejscowości, np. Warszawa."))
