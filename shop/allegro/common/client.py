"""The one place the back office builds Allegro clients for an account.

``client_for(account)`` wires ``allegro_api.AllegroClient`` to the account's database token
store, the shared rate budget of its application, and the environment (production, sandbox or
the emulator when ``ALLEGRO_EMULATOR_URL`` is set). ``ALLEGRO_TRANSPORT_FACTORY`` may name an
httpx transport to send through instead of the network (tests and benchmarks mount the
emulator in-process with it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from allegro_api import AllegroClient, OAuthClient, RateBudget, RedisRateBudget
from shop.allegro.common.rate_budget import DatabaseRateBudget
from shop.allegro.common.token_store import DatabaseTokenStore
from shop.allegro.models import AllegroAccount


def environment_kwargs(account: AllegroAccount) -> dict[str, Any]:
    if settings.ALLEGRO_EMULATOR_URL:
        url = settings.ALLEGRO_EMULATOR_URL
        return {"environment": None, "api_url": url, "upload_url": url, "oauth_url": url}
    return {"environment": "sandbox" if account.sandbox else "production"}


def environment_name(account: AllegroAccount) -> str:
    if settings.ALLEGRO_EMULATOR_URL:
        return "emulator"
    return "sandbox" if account.sandbox else "production"


def oauth_base_url(account: AllegroAccount) -> str:
    return oauth_client_for(account).environment.oauth_url


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def rate_budget_for(account: AllegroAccount) -> RateBudget:
    """One budget per Allegro application (Client ID), shared by every process using it.

    Both kinds keep their state outside the process (Redis, or a database row), so a budget
    object is cheap and every client gets its own.
    """
    key = f"allegro:rate:{environment_name(account)}:{account.client_id}"
    limit = settings.ALLEGRO_RATE_LIMIT_PER_MINUTE
    if settings.REDIS_URL:
        return RedisRateBudget(_redis(settings.REDIS_URL), key_prefix=key, limit=limit)
    return DatabaseRateBudget(key=key, limit=limit)


def _transport() -> httpx.BaseTransport | None:
    configured = settings.ALLEGRO_TRANSPORT_FACTORY
    factory: Callable[[], httpx.BaseTransport] | None = (
        import_string(configured) if isinstance(configured, str) else configured
    )
    return factory() if factory is not None else None


def oauth_client_for(account: AllegroAccount) -> OAuthClient:
    env = environment_kwargs(account)
    return OAuthClient(
        client_id=account.client_id,
        client_secret=account.client_secret,
        user_agent=settings.ALLEGRO_USER_AGENT,
        environment=env.get("environment"),
        oauth_url=env.get("oauth_url"),
        transport=_transport(),
    )


def client_for(account: AllegroAccount, **overrides: Any) -> AllegroClient:
    kwargs: dict[str, Any] = {
        **environment_kwargs(account),
        "user_agent": settings.ALLEGRO_USER_AGENT,
        "client_id": account.client_id,
        "client_secret": account.client_secret,
        "token_store": DatabaseTokenStore(account.pk),
        "transport": _transport(),
        "rate_budget": rate_budget_for(account),
        "refresh_leeway": settings.ALLEGRO_TOKEN_REFRESH_LEEWAY,
    }
    kwargs.update(overrides)
    return AllegroClient(**kwargs)
