"""Turning request bodies and query parameters into what Allegro expects on the wire."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from uuid import UUID

from pydantic import BaseModel

__all__ = ["encode_params", "format_datetime", "path_segment", "to_jsonable"]


def format_datetime(value: datetime) -> str:
    """ISO-8601 in UTC with millisecond precision and ``Z`` (naive datetimes are refused)."""
    if value.tzinfo is None:
        raise ValueError("datetimes sent to Allegro must be timezone-aware")
    text = value.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def format_decimal(value: Decimal) -> str:
    return format(value, "f")


def to_jsonable(value: Any) -> Any:
    """A JSON-ready copy of a request body.

    Pydantic models are dumped ``by_alias`` without ``None`` fields; plain dicts are walked with
    ``None`` values dropped; ``Decimal`` becomes a string (``"123.45"``), datetimes ISO-8601 ``Z``.
    """
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(by_alias=True, exclude_none=True))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} to Allegro")


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, enum.Enum):
        return _param_text(value.value)
    return str(value)


def encode_params(
    params: Mapping[str, Any] | None,
) -> list[tuple[str, str | int | float | bool | None]]:
    """Query parameters: ``None`` dropped, sequences repeated (``type=A&type=B``)."""
    encoded: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            encoded.extend((key, _param_text(item)) for item in value if item is not None)
        else:
            encoded.append((key, _param_text(value)))
    return encoded


def path_segment(value: str | int | UUID) -> str:
    """Quote one path parameter so it can never change the path's shape."""
    text = str(value)
    if not text:
        raise ValueError("path parameters must not be empty")
    return quote(text, safe="")
