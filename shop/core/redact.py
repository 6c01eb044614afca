"""One place that strips secrets from text the product stores, shows or logs.

Allegro's OAuth errors quote what they refuse ("Invalid refresh token: <token>"), request lines
carry ``code`` and ``state``, and an exception may hold an ``Authorization`` header. Every such
text goes through :func:`redact` before it reaches a database column, a page or a log line:
the audit log, the task runs' errors, the account's relink reason, messages shown to the
merchant and every log record (``RedactingFormatter``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

MARK = "[ukryto]"

# Names whose value is a secret wherever they appear: query strings, JSON, form bodies, headers.
SECRET_NAMES = (
    "code",
    "state",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code_verifier",
    "device_code",
    "password",
    "token",
    "secret",
    "authorization",
)
_NAMES = "|".join(SECRET_NAMES)
# In "name: value" form, ``code`` is too common (Allegro's error codes) to count as a secret.
_LABELS = "|".join(n for n in SECRET_NAMES if n != "code")
PATTERNS = [
    # code=…&state=… (query strings, form bodies), "refresh_token": "…" (JSON), Authorization: …
    re.compile(rf"(?i)\b({_NAMES})(=)([^&\s\"',;]+)"),
    re.compile(
        rf"(?i)([\"']?\b(?:{_LABELS})[\"']?\s*:\s*[\"']?)((?:Bearer |Basic )?[^\s\"',;}}]+)"
    ),
    # Allegro's own sentences: "Invalid refresh token: …", "Invalid authorization code: …".
    re.compile(
        r"(?i)(invalid (?:refresh token|authorization code|access token|code):?\s+)([^\s\[]\S*)"
    ),
    re.compile(r"(?i)\b(Bearer|Basic)\s+([\w\-.~+/=]+)"),
]
# JSON Web Tokens (Allegro's access and refresh tokens) wherever they stand.
JWT = re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*")
# Any other opaque run that looks like a generated secret: 24+ URL-safe characters mixing
# letters and digits. UUIDs (trace ids, checkout forms) and plain numbers are left alone.
OPAQUE = re.compile(r"(?<![\w-])[A-Za-z0-9_\-]{24,}(?![\w-])")
UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def _opaque(match: re.Match[str]) -> str:
    value = match.group(0)
    if UUID.match(value) or value.isdigit() or value.isalpha():
        return value
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return value
    # Words joined by underscores or hyphens (``allegro_order_import``) are names, not secrets.
    if re.fullmatch(r"[a-z]+(?:[_-][a-z0-9]+)+", value):
        return value
    return MARK


def redact(text: Any) -> str:
    """``text`` with every token, code, secret and credential replaced by a mark."""
    result = str(text)
    if not result:
        return result
    result = PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2)}{MARK}", result)
    result = PATTERNS[1].sub(lambda m: f"{m.group(1)}{MARK}", result)
    result = PATTERNS[2].sub(lambda m: f"{m.group(1)}{MARK}", result)
    result = PATTERNS[3].sub(lambda m: f"{m.group(1)} {MARK}", result)
    result = JWT.sub(MARK, result)
    return OPAQUE.sub(_opaque, result)


def redact_data(value: Any) -> Any:
    """``redact`` applied to every string inside JSON-like data (dicts, lists)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
    return value


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual (message, arguments, traceback), then redacts the line."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
