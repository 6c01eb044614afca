"""The exceptions ``allegro_api`` raises. Every failure raises; nothing returns an empty value.

The hierarchy::

    AllegroError
    ├── AllegroTransportError ........ no HTTP response (DNS, refused/reset connection, TLS)
    │   └── AllegroTimeout ........... connect, read, write or pool timeout
    ├── AllegroAPIError .............. Allegro answered with an error status (>= 400)
    │   ├── BadRequest ............... 400
    │   ├── Unauthorized ............. 401 (token expired, revoked, from another environment)
    │   ├── Forbidden ................ 403 (missing scope, app token on a seller resource)
    │   ├── NotFound ................. 404
    │   ├── Conflict ................. 409 (outdated revision, command id reused, edit in progress)
    │   ├── Unprocessable ............ 422 (validation; see ``errors[].path`` / ``metadata``)
    │   ├── RateLimited .............. 429
    │   └── ServerError .............. 5xx
    ├── OAuthError ................... the OAuth host refused (``error``, ``error_description``)
    │   └── InvalidGrant ............. ``invalid_grant``: code or refresh token used, expired or
    │                                  revoked; the seller must authorise the application again
    ├── NotAuthenticated ............. the client has no token to send
    └── OperationTimeout ............. an asynchronous offer operation did not finish in time

Other statuses (406, 413, 415 …) raise :class:`AllegroAPIError` itself. Each API error carries
``status``, the parsed ``errors`` (:class:`ErrorDetail`), the ``trace_id`` response header
Allegro's support asks for, and ``user_message`` for display. Transport errors wrap the httpx
exception as ``__cause__``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = [
    "AllegroAPIError",
    "AllegroError",
    "AllegroTimeout",
    "AllegroTransportError",
    "BadRequest",
    "Conflict",
    "ErrorDetail",
    "Forbidden",
    "InvalidGrant",
    "NotAuthenticated",
    "NotFound",
    "OAuthError",
    "OperationTimeout",
    "RateLimited",
    "ServerError",
    "Unauthorized",
    "Unprocessable",
]


class AllegroError(Exception):
    """Base class of every exception raised by ``allegro_api``."""


class AllegroTransportError(AllegroError):
    """The request got no HTTP response."""


class AllegroTimeout(AllegroTransportError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""


class NotAuthenticated(AllegroError):
    """The client was asked to call a seller resource but has no token."""


class OperationTimeout(AllegroError):
    """An asynchronous offer operation was still running when the waiter's deadline passed."""

    def __init__(self, message: str, *, offer_id: str, operation_path: str) -> None:
        super().__init__(message)
        self.offer_id = offer_id
        self.operation_path = operation_path


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of Allegro's ``errors[]`` (or the single OAuth-style ``error``)."""

    code: str | None = None
    message: str | None = None
    user_message: str | None = None
    path: str | None = None
    details: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> ErrorDetail:
        if not isinstance(data, dict):
            return cls(message=str(data))
        metadata = data.get("metadata")
        return cls(
            code=_str_or_none(data.get("code")),
            message=_str_or_none(data.get("message")),
            user_message=_str_or_none(data.get("userMessage")),
            path=_str_or_none(data.get("path")),
            details=_str_or_none(data.get("details")),
            metadata=dict(metadata) if isinstance(metadata, dict) else {},
        )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_error_body(body: Any) -> list[ErrorDetail]:
    """Read ``{"errors": [...]}`` or ``{"error": ..., "error_description": ...}``."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            return [ErrorDetail.from_json(item) for item in errors]
        if "error" in body:
            return [
                ErrorDetail(
                    code=_str_or_none(body.get("error")),
                    message=_str_or_none(body.get("error_description")),
                )
            ]
    return []


class AllegroAPIError(AllegroError):
    """Allegro answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errors: list[ErrorDetail] | None = None,
        trace_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []
        self.trace_id = trace_id
        self.method = method
        self.path = path
        self.attempts = attempts
        self.retry_after = retry_after

    @property
    def codes(self) -> list[str]:
        """The machine-readable ``code`` of every error entry."""
        return [e.code for e in self.errors if e.code]

    @property
    def user_message(self) -> str:
        """The localized ``userMessage`` texts joined for display (falls back to ``message``)."""
        texts: list[str] = []
        for error in self.errors:
            text = error.user_message or error.message
            if text and text not in texts:
                texts.append(text)
        return " ".join(texts) if texts else f"Allegro returned HTTP {self.status}."

    @classmethod
    def from_response(
        cls, response: httpx.Response, *, attempts: int = 1, retry_after: float | None = None
    ) -> AllegroAPIError:
        """Build the status-specific subclass for ``response``."""
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        errors = parse_error_body(body)
        status = response.status_code
        error_class = _STATUS_CLASSES.get(status)
        if error_class is None:
            error_class = ServerError if status >= 500 else AllegroAPIError
        method = response.request.method
        path = response.request.url.path
        summary = "; ".join(f"{e.code}: {e.message}" for e in errors) or response.reason_phrase
        trace_id = response.headers.get("trace-id")
        return error_class(
            f"{method} {path} -> {status} {summary} (trace-id {trace_id})",
            status=status,
            errors=errors,
            trace_id=trace_id,
            method=method,
            path=path,
            attempts=attempts,
            retry_after=retry_after,
        )


class BadRequest(AllegroAPIError):
    """HTTP 400."""


class Unauthorized(AllegroAPIError):
    """HTTP 401."""


class Forbidden(AllegroAPIError):
    """HTTP 403."""


class NotFound(AllegroAPIError):
    """HTTP 404."""


class Conflict(AllegroAPIError):
    """HTTP 409."""


class Unprocessable(AllegroAPIError):
    """HTTP 422."""


class RateLimited(AllegroAPIError):
    """HTTP 429: the application's (or the user's) request budget is exhausted."""


class ServerError(AllegroAPIError):
    """HTTP 5xx."""


_STATUS_CLASSES: dict[int, type[AllegroAPIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Unprocessable,
    429: RateLimited,
}


class OAuthError(AllegroError):
    """The OAuth host refused a request (``{"error": ..., "error_description": ...}``)."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        error: str | None,
        description: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.description = description
        self.trace_id = trace_id

    @classmethod
    def from_response(cls, response: httpx.Response) -> OAuthError:
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        error: str | None = None
        description: str | None = None
        if isinstance(body, dict):
            error = _str_or_none(body.get("error"))
            description = _str_or_none(body.get("error_description"))
            if error is None and isinstance(body.get("errors"), list):
                details = parse_error_body(body)
                error = details[0].code if details else None
                description = details[0].message if details else None
        error_class = InvalidGrant if error == "invalid_grant" else OAuthError
        return error_class(
            f"OAuth {response.request.url.path} -> {response.status_code} {error}: {description}",
            status=response.status_code,
            error=error,
            description=description,
            trace_id=response.headers.get("trace-id"),
        )


class InvalidGrant(OAuthError):
    """``invalid_grant``: re-authorisation by the seller is required."""
