"""Helpers shared by the client tests (a fake clock, the request audit, client factory)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from allegro_api import AllegroClient, InMemoryTokenStore, RetryPolicy, TokenSet
from allegro_api.ratelimit import InMemoryRateBudget
from fake_allegro import Emulator

BASE_URL = "http://fake-allegro.test"
USER_AGENT = "SklepTest/1.0.0 (+https://sklep.example/allegro)"
MALFORMED_STATUSES = frozenset({400, 405, 406, 415, 422})


class FakeTime:
    """The client's clock and sleep: sleeping moves both this clock and the emulator's."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self._now = time.time()
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        self.emulator = emulator

    def clock(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Return at once, as if ``seconds`` had passed (threads add up: time only overshoots)."""
        with self._lock:
            self.sleeps.append(seconds)
            self._set(self._now + seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._set(self._now + seconds)

    def _set(self, new_now: float) -> None:
        delta = new_now - self._now
        self._now = new_now
        if self.emulator is not None and delta:
            self.emulator.world.clock.advance(delta)

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


class RequestAudit:
    """Checks the emulator's request log after a test."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.allowed: set[int] = set()

    def allow(self, *statuses: int) -> None:
        self.allowed.update(statuses)

    def entries(self, **match: Any) -> list[dict[str, Any]]:
        return [
            e
            for e in self.emulator.requests.entries()
            if all(e.get(k) == v for k, v in match.items())
        ]

    def refused(self) -> list[dict[str, Any]]:
        return [
            e
            for e in self.emulator.requests.entries()
            if e["status"] in MALFORMED_STATUSES and e["status"] not in self.allowed
        ]


def make_token_store(tokens: dict[str, Any], fake_time: FakeTime) -> InMemoryTokenStore:
    return InMemoryTokenStore(TokenSet.from_response(tokens, now=fake_time.datetime()))


def make_client(
    emulator: Emulator,
    fake_time: FakeTime,
    *,
    token_store: InMemoryTokenStore | None = None,
    **kwargs: Any,
) -> AllegroClient:
    app = emulator.demo_application
    kwargs.setdefault("retry", RetryPolicy(jitter=lambda delay: delay))
    kwargs.setdefault("rate_budget", InMemoryRateBudget(clock=fake_time.clock))
    return AllegroClient(
        user_agent=USER_AGENT,
        api_url=BASE_URL,
        upload_url=BASE_URL,
        oauth_url=BASE_URL,
        client_id=app.client_id,
        client_secret=app.client_secret,
        token_store=token_store,
        transport=httpx.WSGITransport(app=emulator.wsgi),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        **kwargs,
    )
