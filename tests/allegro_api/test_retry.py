"""The retry policy: what is retried, backoff, Retry-After, bounded attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from allegro_api import (
    AllegroClient,
    AllegroTimeout,
    AllegroTransportError,
    InMemoryTokenStore,
    RetryPolicy,
    ServerError,
    TokenSet,
)
from allegro_api._retry import parse_retry_after
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import USER_AGENT, FakeTime, RequestAudit, make_client
from tests.allegro_api.test_errors import add_fault


def mock_client(
    handler: Callable[[httpx.Request], httpx.Response],
    fake_time: FakeTime,
    **kwargs: object,
) -> AllegroClient:
    token = TokenSet(access_token="t", expires_at=datetime.now(UTC) + timedelta(hours=1))
    return AllegroClient(
        user_agent=USER_AGENT,
        transport=httpx.MockTransport(handler),
        token_store=InMemoryTokenStore(token),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        retry=RetryPolicy(jitter=lambda d: d),
        **kwargs,  # type: ignore[arg-type]
    )


def test_get_is_retried_on_5xx_with_exponential_backoff(
    emulator: Emulator, fake_time: FakeTime, token_store: InMemoryTokenStore, audit: RequestAudit
) -> None:
    add_fault(emulator, pathRegex="^/me$", status=503, remaining=2)
    client = make_client(emulator, fake_time, token_store=token_store)
    assert client.me.get().login == "demo-sprzedawca"
    assert [e["status"] for e in audit.entries(path="/me")] == [503, 503, 200]
    assert fake_time.sleeps == [0.5, 1.0]


def test_attempts_are_bounded(
    emulator: Emulator, fake_time: FakeTime, token_store: InMemoryTokenStore, audit: RequestAudit
) -> None:
    add_fault(emulator, pathRegex="^/me$", status=500)
    client = make_client(emulator, fake_time, token_store=token_store)
    with pytest.raises(ServerError) as caught:
        client.me.get()
    assert caught.value.attempts == 4
    assert len(audit.entries(path="/me")) == 4
    assert fake_time.sleeps == [0.5, 1.0, 2.0]


def test_408_is_retried(fake_time: FakeTime) -> None:
    statuses = iter([408, 200])

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses), json={"id": "1"})

    assert mock_client(app, fake_time).me.get().id == "1"


def test_retry_after_is_honoured(fake_time: FakeTime) -> None:
    statuses = iter([503, 200])

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses), json={}, headers={"Retry-After": "7"})

    mock_client(app, fake_time).me.get()
    assert fake_time.sleeps == [7.0]


def test_retry_after_above_the_cap_raises_at_once(fake_time: FakeTime) -> None:
    calls: list[int] = []

    def app(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503, json={}, headers={"Retry-After": "3600"})

    with pytest.raises(ServerError) as caught:
        mock_client(app, fake_time).me.get()
    assert caught.value.retry_after == 3600
    assert calls == [1]
    assert fake_time.sleeps == []


def test_post_is_not_retried_on_5xx_or_read_timeout(fake_time: FakeTime) -> None:
    calls: list[str] = []

    def server_error(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(500, json={"errors": []})

    with pytest.raises(ServerError):
        mock_client(server_error, fake_time).offers.create({"name": "x"})
    assert calls == ["POST"]

    def read_timeout(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.ReadTimeout("slow", request=request)

    calls.clear()
    with pytest.raises(AllegroTimeout):
        mock_client(read_timeout, fake_time).offers.create({"name": "x"})
    assert calls == ["POST"]


def test_post_is_retried_when_nothing_was_sent(fake_time: FakeTime) -> None:
    calls: list[str] = []

    def app(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(429, json={"errors": []}, headers={"Retry-After": "2"})
        return httpx.Response(201, json={"id": "777"})

    result = mock_client(app, fake_time).offers.create({"name": "x"})
    assert result.offer.id == "777"
    assert calls == ["POST", "POST", "POST"]


def test_connection_errors_are_retried_then_raised(fake_time: FakeTime) -> None:
    def app(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(AllegroTransportError):
        mock_client(app, fake_time).me.get()
    assert fake_time.sleeps == [0.5, 1.0, 2.0]


def test_policy_delay_and_jitter() -> None:
    policy = RetryPolicy(max_attempts=6, backoff_base=0.5, backoff_max=3.0, jitter=lambda d: d)
    assert [policy.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0, None]
    jittered = RetryPolicy()
    for _ in range(50):
        delay = jittered.delay(3)
        assert delay is not None
        assert 1.0 <= delay <= 2.0
    assert policy.delay(1, retry_after=150) is None
    assert policy.delay(1, retry_after=10) == 10
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_parse_retry_after() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("12", now=now.timestamp()) == 12
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after("soon", now=0) is None
    date = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(date, now=now.timestamp()) == 30
