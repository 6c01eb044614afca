"""Allegro's error bodies, raised by handlers and rendered by the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ErrorItem:
    code: str
    message: str
    user_message: str | None = None
    path: str | None = None
    details: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "details": self.details,
            "path": self.path,
            "userMessage": self.user_message or self.message,
            "metadata": self.metadata,
        }


class ApiError(Exception):
    """An Allegro ``ErrorsHolder`` response: ``{"errors": [...]}`` with ``status``."""

    def __init__(self, status: int, *items: ErrorItem, headers: dict[str, str] | None = None):
        super().__init__(f"{status} {[i.code for i in items]}")
        self.status = status
        self.items = list(items)
        self.headers = headers or {}

    @classmethod
    def one(
        cls,
        status: int,
        code: str,
        message: str,
        *,
        user_message: str | None = None,
        path: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> ApiError:
        return cls(status, ErrorItem(code, message, user_message, path, None, metadata or {}))

    def as_json(self) -> dict[str, Any]:
        return {"errors": [i.as_json() for i in self.items]}


class OAuthError(Exception):
    """An OAuth-style error body: ``{"error": ..., "error_description": ...}``."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}
