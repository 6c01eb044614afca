"""Reading what a browser sends: ids and return addresses, never trusted as they come."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

# Primary keys are 64-bit on PostgreSQL; a longer number is no id of ours.
MAX_ID_DIGITS = 18


def parse_id(value: Any) -> int | None:
    """A database id from a form or query string; None for "abc", "²", "-1" or 400 digits."""
    text = str(value if value is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    number = int(text)
    return number if number > 0 else None


def parse_ids(values: list[Any], limit: int) -> list[int]:
    """The valid ids of a multi-value field, at most ``limit`` of them, in order, no repeats."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
            if len(ids) >= limit:
                break
    return ids


def is_local_path(target: str) -> bool:
    """A path on this site (``/backend/…``): no scheme, no host, no ``//`` or ``\\`` tricks."""
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and "\\" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    )


def next_url(request: HttpRequest, default: str) -> str:
    """Where a form asks to go back to (``next``), if it is a path of this site; else ``default``.

    Every return address the back office follows goes through here, so no page can be turned
    into a redirect to another site.
    """
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    return target if is_local_path(target) else resolve_url(default)
