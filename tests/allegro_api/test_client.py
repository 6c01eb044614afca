"""Client configuration: environments, required headers, User-Agent, timeouts, redirects."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from allegro_api import PRODUCTION, SANDBOX, AllegroClient, NotAuthenticated
from allegro_api._transport import MEDIA_TYPE, validate_user_agent
from tests.allegro_api.allegro_client_support import USER_AGENT, FakeTime, RequestAudit, make_client


def test_environments_and_overrides() -> None:
    production = AllegroClient(user_agent=USER_AGENT)
    assert production.environment == PRODUCTION
    assert production.environment.api_url == "https://api.allegro.pl"
    sandbox = AllegroClient(user_agent=USER_AGENT, environment="sandbox")
    assert sandbox.environment.upload_url == SANDBOX.upload_url
    custom = AllegroClient(user_agent=USER_AGENT, api_url="http://localhost:8765/")
    assert custom.environment.api_url == "http://localhost:8765"
    assert custom.environment.oauth_url == PRODUCTION.oauth_url
    with pytest.raises(ValueError, match="unknown Allegro environment"):
        AllegroClient(user_agent=USER_AGENT, environment="staging")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "SklepTest/1.0.0 (+https://sklep.example/allegro)",
        "My-App_2/12.3 (+http://localhost:8000)",
        "App/1.2.3-beta.1 (+https://x.pl/a?b=c)",
    ],
)
def test_user_agent_accepted(value: str) -> None:
    assert validate_user_agent(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "python-httpx/0.28.1",
        "SklepTest/1.0.0",
        "SklepTest (+https://sklep.example)",
        "Sklep Test/1.0 (+https://sklep.example)",
        "SklepTest/1.0 (https://sklep.example)",
        "",
    ],
)
def test_user_agent_refused(value: str) -> None:
    with pytest.raises(ValueError, match="User-Agent"):
        AllegroClient(user_agent=value)


def test_every_call_sends_required_headers(
    emulator: Any, fake_time: FakeTime, token_store: Any, audit: RequestAudit
) -> None:
    seen: list[httpx.Request] = []
    wsgi = httpx.WSGITransport(app=emulator.wsgi)

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return wsgi.handle_request(request)

    client = make_client(emulator, fake_time, token_store=token_store)
    client._http._transport = httpx.MockTransport(spy)  # type: ignore[attr-defined]
    me = client.me.get()
    assert me.login == "demo-sprzedawca"
    get = seen[0]
    assert get.headers["Accept"] == MEDIA_TYPE
    assert get.headers["Accept-Language"] == "pl-PL"
    assert get.headers["User-Agent"] == USER_AGENT
    assert get.headers["Authorization"].startswith("Bearer ")
    assert "Content-Type" not in get.headers


def test_timeout_is_always_set() -> None:
    client = AllegroClient(user_agent=USER_AGENT)
    assert client.timeout.read == 30.0
    assert client.timeout.connect == 5.0
    shared = httpx.Client(timeout=None)
    derived = AllegroClient(user_agent=USER_AGENT, http_client=shared, timeout=7)
    assert derived._requester.timeout.read == 7.0


def test_redirects_are_not_followed(fake_time: FakeTime) -> None:
    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(303, headers={"Location": "https://elsewhere.example/x"})

    client = AllegroClient(
        user_agent=USER_AGENT,
        transport=httpx.MockTransport(app),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    response = client._requester.request("GET", "/sale/offers", authenticated=False)
    assert response.status_code == 303


def test_no_token_store_raises_not_authenticated() -> None:
    client = AllegroClient(user_agent=USER_AGENT)
    with pytest.raises(NotAuthenticated):
        client.me.get()
