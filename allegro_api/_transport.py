"""One place where requests are sent: headers, auth, rate budget, retries, logging, errors."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from allegro_api._exceptions import (
    AllegroAPIError,
    AllegroTimeout,
    AllegroTransportError,
    NotAuthenticated,
    Unauthorized,
)
from allegro_api._retry import RetryPolicy, parse_retry_after
from allegro_api._serialize import encode_params, to_jsonable
from allegro_api.auth import OAuthClient, TokenSet, TokenStore
from allegro_api.environments import Environment
from allegro_api.ratelimit import RateBudget

__all__ = [
    "BETA_MEDIA_TYPE",
    "MEDIA_TYPE",
    "Authenticator",
    "Host",
    "Requester",
    "validate_user_agent",
]

logger = logging.getLogger("allegro_api")

MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
#: Resources Allegro serves only in beta (``/sale/issues``) answer 406 to the public type.
BETA_MEDIA_TYPE = "application/vnd.allegro.beta.v1+json"

M = TypeVar("M", bound=BaseModel)
Host = Literal["api", "upload"]

# "AppName/1.2.3 (+https://link-to-app-description)", as Allegro requires from July 2026.
_USER_AGENT_RE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*/\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.-]+)? \(\+https?://[^\s()]+\)$"
)


def validate_user_agent(value: str) -> str:
    """Check the ``AppName/1.2.3 (+https://…)`` form and return the value."""
    if not _USER_AGENT_RE.match(value):
        raise ValueError(
            "Allegro requires a User-Agent of the form 'AppName/1.2.3 (+https://app-url)' "
            f"naming the registered application; got {value!r}"
        )
    return value


@dataclass
class Authenticator:
    """Reads the current token from the store and refreshes it through the OAuth client."""

    store: TokenStore
    oauth: OAuthClient | None
    leeway: float
    clock: Callable[[], float]

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _refresher(self, current: TokenSet) -> TokenSet:
        if self.oauth is None:
            raise NotAuthenticated("the access token expired and no OAuth client can refresh it")
        if current.refresh_token:
            return self.oauth.refresh(current)
        return self.oauth.client_credentials()

    def token(self) -> str:
        current = self.store.load()
        if current is None:
            raise NotAuthenticated("the token store holds no token")
        if self.oauth is not None and current.expires_within(self.leeway, now=self._now()):
            current = self.store.refresh(
                self._refresher,
                is_stale=lambda t: t.expires_within(self.leeway, now=self._now()),
            )
        return current.access_token

    def force_refresh(self, rejected: str) -> str | None:
        """After a 401 for ``rejected``: refresh unless another thread already did."""
        if self.oauth is None:
            return None
        current = self.store.refresh(self._refresher, is_stale=lambda t: t.access_token == rejected)
        return current.access_token


class Requester:
    """Sends one logical API call, with every attempt it takes."""

    def __init__(
        self,
        *,
        http: httpx.Client,
        environment: Environment,
        user_agent: str,
        accept_language: str | None,
        timeout: httpx.Timeout,
        retry: RetryPolicy,
        budget: RateBudget | None,
        authenticator: Authenticator | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        rate_limit_pause: float,
    ) -> None:
        self.http = http
        self.environment = environment
        self.user_agent = user_agent
        self.accept_language = accept_language
        self.timeout = timeout
        self.retry = retry
        self.budget = budget
        self.authenticator = authenticator
        self.clock = clock
        self.sleep = sleep
        self.rate_limit_pause = rate_limit_pause

    def base_url(self, host: Host) -> str:
        return self.environment.upload_url if host == "upload" else self.environment.api_url

    def path_from_location(self, location: str, *, host: Host = "api") -> str:
        """The path of a ``Location`` header, relative to the configured base URL.

        Allegro has sent absolute locations with unexpected ports; only the path is trusted.
        """
        path = urlsplit(location).path
        base_path = urlsplit(self.base_url(host)).path.rstrip("/")
        if base_path and path.startswith(base_path + "/"):
            path = path[len(base_path) :]
        return path

    def _headers(
        self,
        token: str | None,
        content_type: str | None,
        languages: Collection[str] | None,
        media_type: str = MEDIA_TYPE,
        accept: str | None = None,
    ) -> dict[str, str]:
        headers = {"Accept": accept or media_type, "User-Agent": self.user_agent}
        if self.accept_language and (languages is None or self.accept_language in languages):
            headers["Accept-Language"] = self.accept_language
        if content_type is not None:
            headers["Content-Type"] = content_type
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _wait_for_budget(self) -> None:
        if self.budget is None:
            return
        while (wait := self.budget.acquire()) > 0:
            self.sleep(wait)

    def request(
        self,
        method: str,
        path: str,
        *,
        host: Host = "api",
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
        authenticated: bool = True,
        retry_safe: bool | None = None,
        languages: Collection[str] | None = None,
        media_type: str = MEDIA_TYPE,
        accept: str | None = None,
    ) -> httpx.Response:
        """Send the call and return a 2xx/3xx response; raise for everything else.

        ``languages``: the ``Accept-Language`` values the operation accepts (a few accept only
        ``en-US``); the configured language is left out when it is not among them.
        ``media_type``: the ``Accept`` (and JSON body) type, :data:`BETA_MEDIA_TYPE` for beta
        resources. ``accept``: the ``Accept`` header for operations that answer with a file
        (labels).
        """
        method = method.upper()
        url = self.base_url(host) + path
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(to_jsonable(json_body), ensure_ascii=False).encode("utf-8")
            content_type = media_type
        elif content is not None:
            body = content
            if content_type is None:
                raise ValueError("binary content needs a content_type")
        query = encode_params(params)
        idempotent = self.retry.is_idempotent(method, retry_safe=retry_safe)
        refreshed_after_401 = False
        attempt = 0
        while True:
            attempt += 1
            token: str | None = None
            if authenticated:
                if self.authenticator is None:
                    raise NotAuthenticated("this client was created without a token store")
                token = self.authenticator.token()
            self._wait_for_budget()
            started = time.monotonic()
            try:
                response = self.http.request(
                    method,
                    url,
                    params=query,
                    content=body,
                    headers=self._headers(
                        token,
                        content_type if body is not None else None,
                        languages,
                        media_type,
                        accept,
                    ),
                    timeout=self.timeout,
                    follow_redirects=False,
                )
            except httpx.TransportError as exc:
                logger.warning(
                    "%s %s failed after %.0f ms: %s retries=%d",
                    method,
                    path,
                    (time.monotonic() - started) * 1000,
                    type(exc).__name__,
                    attempt - 1,
                )
                delay = (
                    self.retry.delay(attempt)
                    if self.retry.should_retry_exception(exc, idempotent=idempotent)
                    else None
                )
                if delay is None:
                    if isinstance(exc, httpx.TimeoutException):
                        raise AllegroTimeout(f"{method} {path} timed out") from exc
                    raise AllegroTransportError(
                        f"{method} {path} failed: {type(exc).__name__}"
                    ) from exc
                self.sleep(delay)
                continue
            response.read()
            logger.info(
                "%s %s -> %s in %.0f ms trace-id=%s retries=%d",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                response.headers.get("trace-id", "-"),
                attempt - 1,
            )
            status = response.status_code
            if status < 400:
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self.clock())
            if status == 401 and token is not None and not refreshed_after_401:
                error = AllegroAPIError.from_response(response, attempts=attempt)
                if self._is_invalid_token(error) and self.authenticator is not None:
                    refreshed_after_401 = True
                    if self.authenticator.force_refresh(token) is not None:
                        attempt -= 1  # the refreshed retry is not a failure of the policy
                        continue
                raise error
            if status == 429 and self.budget is not None:
                pause = retry_after if retry_after is not None else self.rate_limit_pause
                self.budget.block_until(self.clock() + pause)
            delay = None
            if self.retry.should_retry_status(status, idempotent=idempotent):
                delay = self.retry.delay(attempt, retry_after=retry_after)
                if status == 429 and self.budget is not None and delay is not None:
                    delay = 0.0 if retry_after is not None else delay  # the budget waits
            if delay is None:
                raise AllegroAPIError.from_response(
                    response, attempts=attempt, retry_after=retry_after
                )
            if delay > 0:
                self.sleep(delay)

    @staticmethod
    def _is_invalid_token(error: AllegroAPIError) -> bool:
        if not isinstance(error, Unauthorized):
            return False
        codes = error.codes
        return not codes or "invalid_token" in codes or "unauthorized" in codes

    # Convenience wrappers -------------------------------------------------------------------

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return _json(self.request("GET", path, params=params, **kw))

    def send_json(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        return _json(self.request(method, path, json_body=body, **kw))

    def get_model(
        self, model: type[M], path: str, *, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> M:
        """A GET whose JSON body pydantic reads straight from the bytes.

        For large responses (pages of checkout forms): skipping the intermediate dicts makes
        validation about a third cheaper than ``get_json`` followed by ``model_validate``.
        """
        response = self.request("GET", path, params=params, **kw)
        if not response.content:
            return model()
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            if any(error["type"] == "json_invalid" for error in exc.errors()):
                raise _not_json(response) from exc
            raise


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise _not_json(response) from exc


def _not_json(response: httpx.Response) -> AllegroTransportError:
    return AllegroTransportError(
        f"{response.request.method} {response.request.url.path} answered "
        f"{response.status_code} with a body that is not JSON"
    )
