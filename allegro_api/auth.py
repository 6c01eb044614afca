"""OAuth 2 with Allegro: authorisation code (+PKCE), refresh, device flow, client credentials.

Tokens live in a :class:`TokenStore` owned by the application. The client never keeps its own
copy: before each call it reads the store, and when the access token is within ``leeway``
seconds of expiry it asks the store to refresh. The store decides how refreshes are
serialised, which matters because Allegro rotates refresh tokens — every refresh returns a new
pair and invalidates the old refresh token, so two workers refreshing in parallel break the
chain (``invalid_grant``). :meth:`TokenStore.refresh` therefore has the shape

    lock → re-read → if still stale: new = refresher(current); save(new) → unlock → return

and a database-backed store implements it with a row lock (``SELECT … FOR UPDATE``).
:class:`InMemoryTokenStore` does it with a ``threading.Lock``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode

import httpx

from allegro_api._exceptions import (
    AllegroTimeout,
    AllegroTransportError,
    NotAuthenticated,
    OAuthError,
)
from allegro_api.environments import Environment, EnvironmentName, resolve_environment

__all__ = [
    "DeviceAuthorization",
    "InMemoryTokenStore",
    "OAuthClient",
    "TokenSet",
    "TokenStore",
    "make_code_challenge",
    "make_code_verifier",
    "make_pkce_pair",
    "make_state",
]

logger = logging.getLogger("allegro_api")

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def make_state() -> str:
    """A random ``state`` value for CSRF protection of the authorisation redirect."""
    return secrets.token_urlsafe(32)


def make_code_verifier() -> str:
    """A PKCE code verifier: 64 URL-safe characters (RFC 7636 allows 43–128)."""
    return secrets.token_urlsafe(48)


def make_code_challenge(verifier: str) -> str:
    """The S256 code challenge: ``BASE64URL(SHA256(verifier))`` without padding."""
    if not 43 <= len(verifier) <= 128:
        raise ValueError("a PKCE code verifier must be 43-128 characters long")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_pkce_pair() -> tuple[str, str]:
    """Return ``(verifier, challenge)``."""
    verifier = make_code_verifier()
    return verifier, make_code_challenge(verifier)


@dataclass(frozen=True)
class TokenSet:
    """An access token with its refresh token and expiry. Token values never appear in repr."""

    access_token: str = field(repr=False)
    expires_at: datetime
    refresh_token: str | None = field(default=None, repr=False)
    scope: str = ""
    token_type: str = "bearer"  # noqa: S105 - a token type name, not a secret

    def __post_init__(self) -> None:
        if self.expires_at.tzinfo is None:
            raise ValueError("TokenSet.expires_at must be timezone-aware")

    @classmethod
    def from_response(cls, data: Mapping[str, Any], *, now: datetime) -> TokenSet:
        """Build from a token endpoint answer (``expires_in`` is relative to ``now``)."""
        expires_in = float(data.get("expires_in") or 0)
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=(str(data["refresh_token"]) if data.get("refresh_token") else None),
            expires_at=now + timedelta(seconds=expires_in),
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "bearer"),
        )

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())

    def expires_within(self, seconds: float, *, now: datetime) -> bool:
        """True when the token expires in less than ``seconds`` from ``now``."""
        return self.expires_at - now < timedelta(seconds=seconds)


@runtime_checkable
class TokenStore(Protocol):
    """Where one seller's (or the application's) tokens are kept. See the module docstring."""

    def load(self) -> TokenSet | None:
        """The current token set, or None when the account is not linked."""
        ...

    def refresh(
        self,
        refresher: Callable[[TokenSet], TokenSet],
        *,
        is_stale: Callable[[TokenSet], bool],
    ) -> TokenSet:
        """Under the store's lock: re-read; if ``is_stale(current)``, replace it with
        ``refresher(current)`` and save it *before* returning; return the token to use.

        Exceptions from ``refresher`` (e.g. :class:`~allegro_api.InvalidGrant`) propagate and
        leave the stored token unchanged.
        """
        ...


class InMemoryTokenStore:
    """A :class:`TokenStore` in process memory, serialising refreshes with a lock.

    ``on_update`` is called (under the lock) with every new token set, e.g. to persist it.
    """

    def __init__(
        self,
        token: TokenSet | None = None,
        *,
        on_update: Callable[[TokenSet], None] | None = None,
    ) -> None:
        self._token = token
        self._lock = threading.Lock()
        self._on_update = on_update

    def load(self) -> TokenSet | None:
        with self._lock:
            return self._token

    def save(self, token: TokenSet) -> None:
        with self._lock:
            self._token = token

    def refresh(
        self,
        refresher: Callable[[TokenSet], TokenSet],
        *,
        is_stale: Callable[[TokenSet], bool],
    ) -> TokenSet:
        with self._lock:
            current = self._token
            if current is None:
                raise NotAuthenticated("the token store holds no token")
            if not is_stale(current):
                return current
            new = refresher(current)
            if self._on_update is not None:
                self._on_update(new)
            self._token = new
            return new


@dataclass(frozen=True)
class DeviceAuthorization:
    """The answer of ``POST /auth/oauth/device``: show ``user_code``/``verification_uri``."""

    device_code: str = field(repr=False)
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_at: datetime
    interval: float


class OAuthClient:
    """Calls to Allegro's OAuth host (``/auth/oauth/{authorize,token,device}``).

    All grants authenticate the application with HTTP Basic (Client ID and secret). The
    ``redirect_uri`` given to :meth:`authorization_url` must be sent unchanged to
    :meth:`exchange_code` — Allegro compares them character by character.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        user_agent: str,
        environment: Environment | EnvironmentName | None = None,
        oauth_url: str | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float = 30.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from allegro_api._transport import validate_user_agent

        self.client_id = client_id
        self._client_secret = client_secret
        self.user_agent = validate_user_agent(user_agent)
        self.environment = resolve_environment(environment, oauth_url=oauth_url)
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            transport=transport, timeout=self._timeout, follow_redirects=False
        )
        self._clock = clock
        self._sleep = sleep

    def __repr__(self) -> str:
        url = self.environment.oauth_url
        return f"OAuthClient(client_id={self.client_id!r}, oauth_url={url!r})"

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    # -- authorisation code -------------------------------------------------------------

    def authorization_url(
        self,
        *,
        redirect_uri: str,
        state: str,
        code_challenge: str | None = None,
        scope: str | list[str] | None = None,
        prompt: str | None = None,
    ) -> str:
        """The URL to redirect the seller's browser to (PKCE S256 when ``code_challenge``)."""
        params: dict[str, str] = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
        if code_challenge is not None:
            params["code_challenge"] = code_challenge
            params["code_challenge_method"] = "S256"
        if scope:
            params["scope"] = scope if isinstance(scope, str) else " ".join(scope)
        if prompt:
            params["prompt"] = prompt
        return f"{self.environment.oauth_url}/auth/oauth/authorize?{urlencode(params)}"

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str | None = None
    ) -> TokenSet:
        """Trade the callback's ``code`` for a token pair."""
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier is not None:
            data["code_verifier"] = code_verifier
        return self._token_request(data)

    def refresh(self, token: TokenSet | str, *, redirect_uri: str | None = None) -> TokenSet:
        """Refresh: returns a new pair; the old refresh token stops working (rotation)."""
        refresh_token = token if isinstance(token, str) else token.refresh_token
        if not refresh_token:
            raise OAuthError("no refresh token to refresh with", status=0, error="invalid_request")
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if redirect_uri is not None:
            data["redirect_uri"] = redirect_uri
        return self._token_request(data)

    def client_credentials(self) -> TokenSet:
        """An application token (no refresh token) for public dictionaries."""
        return self._token_request({"grant_type": "client_credentials"})

    # -- device flow ----------------------------------------------------------------------

    def start_device_flow(self) -> DeviceAuthorization:
        """Start the device flow; show the user ``verification_uri_complete``."""
        response = self._post("/auth/oauth/device", {"client_id": self.client_id})
        body = response.json()
        now = self._now()
        return DeviceAuthorization(
            device_code=str(body["device_code"]),
            user_code=str(body.get("user_code") or ""),
            verification_uri=str(body.get("verification_uri") or ""),
            verification_uri_complete=body.get("verification_uri_complete"),
            expires_at=now + timedelta(seconds=float(body.get("expires_in") or 3600)),
            interval=float(body.get("interval") or 5),
        )

    def poll_device_token(self, device: DeviceAuthorization) -> TokenSet | None:
        """One poll: the token pair, or None while the user has not yet confirmed."""
        try:
            return self._token_request(
                {"grant_type": DEVICE_CODE_GRANT, "device_code": device.device_code}
            )
        except OAuthError as exc:
            if exc.error in ("authorization_pending", "slow_down"):
                return None
            raise

    def wait_for_device_token(
        self, device: DeviceAuthorization, *, timeout: float | None = None
    ) -> TokenSet:
        """Poll every ``device.interval`` seconds until confirmed, refused or expired."""
        deadline = device.expires_at.timestamp()
        if timeout is not None:
            deadline = min(deadline, self._clock() + timeout)
        interval = device.interval
        while True:
            try:
                token = self._token_request(
                    {"grant_type": DEVICE_CODE_GRANT, "device_code": device.device_code}
                )
            except OAuthError as exc:
                if exc.error == "slow_down":
                    interval += 5
                elif exc.error != "authorization_pending":
                    raise
            else:
                return token
            if self._clock() + interval > deadline:
                raise OAuthError(
                    "the device authorisation expired before the user confirmed it",
                    status=0,
                    error="expired_token",
                )
            self._sleep(interval)

    # -- plumbing -------------------------------------------------------------------------

    def _token_request(self, data: dict[str, str]) -> TokenSet:
        response = self._post("/auth/oauth/token", data)
        try:
            body = response.json()
        except ValueError as exc:
            raise OAuthError(
                "the token endpoint answered with no JSON", status=response.status_code, error=None
            ) from exc
        if not isinstance(body, dict) or "access_token" not in body:
            raise OAuthError(
                "the token endpoint answered without access_token",
                status=response.status_code,
                error=None,
            )
        return TokenSet.from_response(body, now=self._now())

    def _post(self, path: str, data: dict[str, str]) -> httpx.Response:
        url = f"{self.environment.oauth_url}{path}"
        started = time.monotonic()
        try:
            response = self._http.post(
                url,
                data=data,
                auth=(self.client_id, self._client_secret),
                headers={"User-Agent": self.user_agent, "Accept": "application/json"},
                timeout=self._timeout,
                follow_redirects=False,
            )
        except httpx.TimeoutException as exc:
            logger.warning("POST %s failed: %s", path, type(exc).__name__)
            raise AllegroTimeout(f"POST {path} timed out") from exc
        except httpx.TransportError as exc:
            logger.warning("POST %s failed: %s", path, type(exc).__name__)
            raise AllegroTransportError(f"POST {path} failed: {type(exc).__name__}") from exc
        logger.info(
            "POST %s -> %s in %.0f ms trace-id=%s retries=0",
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
            response.headers.get("trace-id", "-"),
        )
        if response.status_code >= 400:
            raise OAuthError.from_response(response)
        return response


def token_with(token: TokenSet, **changes: Any) -> TokenSet:
    """A copy of ``token`` with fields replaced (e.g. ``expires_at``)."""
    return replace(token, **changes)
