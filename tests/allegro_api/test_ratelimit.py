"""The shared rate budget: in memory, in Redis, and a 429 storm against the emulator."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from allegro_api import (
    InMemoryRateBudget,
    InMemoryTokenStore,
    RateBudget,
    RedisRateBudget,
    TokenSet,
)
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit, make_client
from tests.allegro_api.test_errors import add_fault

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


class Clock:
    def __init__(self, now: float = 1_800_000_010.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def redis_client() -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    yield client
    client.close()


def in_memory(clock: Clock, limit: int) -> RateBudget:
    return InMemoryRateBudget(limit=limit, clock=clock)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def budget_factory(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield lambda clock, limit: InMemoryRateBudget(limit=limit, clock=clock)
        return
    client = request.getfixturevalue("redis_client")
    prefix = f"test-allegro-rate:{uuid.uuid4().hex}"
    yield lambda clock, limit: RedisRateBudget(client, key_prefix=prefix, limit=limit, clock=clock)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_window_limit(budget_factory: Any) -> None:
    clock = Clock(1_800_000_010.0)  # 10 s into a minute window
    budget = budget_factory(clock, 3)
    assert [budget.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget.acquire() == pytest.approx(50.0)
    clock.now += 50
    assert budget.acquire() == 0.0


def test_block_pauses_everyone_and_is_never_shortened(budget_factory: Any) -> None:
    clock = Clock()
    first = budget_factory(clock, 100)
    # Another worker on the same budget (a second instance only shares state through Redis).
    second = first if isinstance(first, InMemoryRateBudget) else budget_factory(clock, 100)
    first.block_until(clock.now + 30)
    assert second.acquire() == pytest.approx(30.0)
    second.block_until(clock.now + 5)  # an earlier end does not shorten the block
    assert first.acquire() == pytest.approx(30.0)
    assert first.blocked_until() == pytest.approx(clock.now + 30)
    clock.now += 30
    assert second.acquire() == 0.0


@pytest.mark.redis
def test_redis_budget_is_shared_between_threads(redis_client: Any) -> None:
    clock = Clock()
    prefix = f"test-allegro-rate:{uuid.uuid4().hex}"
    budgets = [
        RedisRateBudget(redis_client, key_prefix=prefix, limit=50, clock=clock) for _ in range(4)
    ]
    granted: list[int] = []
    lock = threading.Lock()

    def work(budget: RedisRateBudget) -> None:
        count = sum(1 for _ in range(30) if budget.acquire() == 0.0)
        with lock:
            granted.append(count)

    threads = [threading.Thread(target=work, args=(b,)) for b in budgets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 50
    for key in redis_client.scan_iter(f"{prefix}:*"):
        redis_client.delete(key)


def test_invalid_budget_settings() -> None:
    with pytest.raises(ValueError, match="limit"):
        InMemoryRateBudget(limit=0)


@pytest.mark.parametrize("retry_after", [True, False])
def test_429_storm_with_ten_workers(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit, retry_after: bool
) -> None:
    """Ten workers, an application limit of 20 requests per minute: all the work gets done,
    and after a 429 no worker sends anything until the announced block is over."""
    add_fault(
        emulator,
        pathRegex="^/(me|sale/categories)",
        throttle={"limit": 20, "windowSeconds": 60, "blockSeconds": 30, "retryAfter": retry_after},
    )
    events: list[tuple[str, float]] = []

    class RecordingBudget(InMemoryRateBudget):
        """Records, under the budget's own lock, every slot granted and every block stored."""

        def acquire(self) -> float:
            with self._lock:
                wait = super().acquire()
                if wait == 0.0:
                    events.append(("grant", self._clock()))
                return wait

        def block_until(self, until: float) -> None:
            with self._lock:
                self._blocked_until = max(self._blocked_until, until)
                events.append(("block", self._blocked_until))

    budget = RecordingBudget(clock=fake_time.clock)
    store = InMemoryTokenStore(
        TokenSet.from_response(emulator.issue_tokens(), now=fake_time.datetime())
    )
    client = make_client(emulator, fake_time, token_store=store, rate_budget=budget)
    done: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(6):
                client.me.get()
                client.categories.list()
            with lock:
                done.append(1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(done) == 10
    ok = [e for e in audit.entries() if e["status"] == 200 and e["path"] != "/auth/oauth/token"]
    assert len(ok) == 120
    blocks = [e for e in events if e[0] == "block"]
    assert blocks, "the throttle never triggered"
    # Once a block is stored, no slot is granted before it ends.
    block_end = 0.0
    for kind, at in events:
        if kind == "block":
            block_end = max(block_end, at)
        else:
            assert at >= block_end, (at, block_end)
    # 429s come only from requests already in flight when a block began (≤ one per worker).
    too_many = [e for e in audit.entries() if e["status"] == 429]
    assert len(too_many) == len(blocks)
    assert len(too_many) <= 10 * (len(ok) // 20 + 1)
