"""The database rate budget: its window and block, and one budget for several processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.allegro.common.client import rate_budget_for
from shop.allegro.common.rate_budget import DatabaseRateBudget
from shop.allegro.models import AllegroAccount, RateBudgetWindow
from tests.shop.scheduler.test_worker import ROOT, database_url

NOW = 1_800_000_010.0  # 10 s into a minute window
KEY = "allegro:rate:test:app"


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_window_limit_and_next_window() -> None:
    clock = Clock()
    budget = DatabaseRateBudget(key=KEY, limit=3, clock=clock)
    assert [budget.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget.acquire() == pytest.approx(50.0)
    clock.now += 50
    assert budget.acquire() == 0.0
    assert RateBudgetWindow.objects.get(key=KEY).used == 1


@pytest.mark.django_db
def test_block_pauses_every_instance_and_is_never_shortened() -> None:
    clock = Clock()
    first = DatabaseRateBudget(key=KEY, limit=100, clock=clock)
    second = DatabaseRateBudget(key=KEY, limit=100, clock=clock)
    other_app = DatabaseRateBudget(key=f"{KEY}-2", limit=100, clock=clock)
    assert second.blocked_until() == 0.0
    first.block_until(clock.now + 30)
    assert second.acquire() == pytest.approx(30.0)
    second.block_until(clock.now + 5)
    assert first.acquire() == pytest.approx(30.0)
    assert first.blocked_until() == pytest.approx(clock.now + 30)
    assert other_app.acquire() == 0.0
    clock.now += 30
    assert second.acquire() == 0.0


@pytest.mark.django_db
def test_a_machine_whose_clock_is_behind_waits_for_its_window() -> None:
    ahead = DatabaseRateBudget(key=KEY, limit=5, clock=Clock(NOW + 60))
    behind = DatabaseRateBudget(key=KEY, limit=5, clock=Clock(NOW))
    assert ahead.acquire() == 0.0
    assert behind.acquire() == pytest.approx(50.0)
    assert RateBudgetWindow.objects.get(key=KEY).used == 1


@pytest.mark.django_db
def test_accounts_of_one_application_share_the_budget(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    settings.ALLEGRO_RATE_LIMIT_PER_MINUTE = 2
    one, two = (
        AllegroAccount.objects.create(client_id="app-1", client_secret="s") for _ in range(2)
    )
    elsewhere = AllegroAccount.objects.create(client_id="app-2", client_secret="s")
    assert rate_budget_for(one).acquire() == 0.0
    assert rate_budget_for(two).acquire() == 0.0
    assert rate_budget_for(one).acquire() > 0
    assert rate_budget_for(elsewhere).acquire() == 0.0


def child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.test"}
    env["DATABASE_URL"] = database_url()
    return subprocess.Popen(
        [sys.executable, "-m", "tests.shop.allegro.common.rate_budget_child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def answer(process: subprocess.Popen[str]) -> float:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return float(out.strip().splitlines()[-1])


def processes_share(tmp_path: Path, *, processes: int, limit: int) -> list[int]:
    go = tmp_path / "go"
    children = [child("take", KEY, str(limit), str(NOW), str(go)) for _ in range(processes)]
    go.touch()
    return [int(answer(c)) for c in children]


@pytest.mark.django_db(transaction=True)
def test_two_processes_take_exactly_the_budget_between_them(tmp_path: Path) -> None:
    """Each process alone would take the whole budget; together they take it once."""
    taken = processes_share(tmp_path, processes=2, limit=300)
    assert sum(taken) == 300
    assert RateBudgetWindow.objects.get(key=KEY).used == 300


@pytest.mark.django_db(transaction=True)
def test_a_block_recorded_by_one_process_pauses_another() -> None:
    assert answer(child("ask", KEY, "100", str(NOW))) == 0.0
    assert answer(child("block", KEY, "100", str(NOW))) == pytest.approx(NOW + 30)
    assert answer(child("ask", KEY, "100", str(NOW + 10))) == pytest.approx(20.0)
    assert DatabaseRateBudget(key=KEY, limit=100, clock=Clock(NOW)).acquire() == pytest.approx(30)
    assert RateBudgetWindow.objects.get(key=KEY).used == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_processes_share_one_budget_on_postgresql(tmp_path: Path) -> None:
    """Row locks instead of SQLite's single writer: the conditional UPDATE still holds."""
    taken = processes_share(tmp_path, processes=4, limit=1000)
    assert sum(taken) == 1000
    assert RateBudgetWindow.objects.get(key=KEY).used == 1000
