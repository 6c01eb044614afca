"""How emulator endpoints are declared.

Each domain module decorates plain functions with :func:`endpoint`; the WSGI app in ``app.py``
matches the request, authenticates it, validates it against the spec, and calls the handler with
a :class:`Call`. A handler returns a :class:`Reply` (or a JSON-able object for a plain 200) and
signals failures by raising :class:`fake_allegro.errors.ApiError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from werkzeug.datastructures import MultiDict

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from fake_allegro.world import Application, Seller, World

Host = Literal["api", "upload", "oauth", "control"]
Auth = Literal["user", "app_or_user", "none"]


@dataclass
class Call:
    """One request as a handler sees it."""

    world: World
    request: Request
    params: dict[str, str]
    seller: Seller | None = None
    application: Application | None = None
    emulator: Any = None  # the owning fake_allegro.emulator.Emulator (set by the app)

    @property
    def query(self) -> MultiDict[str, str]:
        return self.request.args

    def body(self) -> Any:
        raw = self.request.get_data()
        return json.loads(raw) if raw else None

    def require_seller(self) -> Seller:
        assert self.seller is not None, "endpoint declared auth='user' but no seller resolved"
        return self.seller


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/vnd.allegro.public.v1+json"


Handler = Callable[[Call], "Reply | Any"]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as written in the spec, e.g. "/sale/offers/{offerId}"
    handler: Handler
    auth: Auth
    host: Host
    spec_checked: bool  # validate request/response against the spec (False for OAuth/control)


ENDPOINTS: list[Endpoint] = []


def endpoint(
    method: str,
    path: str,
    *,
    auth: Auth = "user",
    host: Host = "api",
    spec_checked: bool = True,
) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``method path`` (path exactly as the spec spells it)."""

    def register(handler: Handler) -> Handler:
        ENDPOINTS.append(Endpoint(method.upper(), path, handler, auth, host, spec_checked))
        return handler

    return register
