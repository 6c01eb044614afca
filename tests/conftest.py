"""Suite-wide fixtures and the rules for tests that need PostgreSQL, Redis or a browser.

Tests marked ``postgres`` run only when the database is PostgreSQL (``make test`` runs them in a
second pass when PostgreSQL answers); ``redis`` tests run when Redis answers at REDIS_URL
(default redis://127.0.0.1:6379/0); ``browser`` tests run when /usr/bin/chromium exists.
Otherwise each group is skipped and summarised in one line; with REQUIRE_SERVICES=1 (CI) a
missing service is an error instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

pytest_plugins = ["fake_allegro.pytest_plugin"]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
_skipped: Counter[str] = Counter()


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def _database_is_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if settings.SETTINGS_MODULE != "config.django.test":
        raise pytest.UsageError(
            f"the tests need DJANGO_SETTINGS_MODULE=config.django.test, not {settings.SETTINGS_MODULE}"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = {
        "postgres": None if _database_is_postgres() else "PostgreSQL",
        "redis": None if _answers(REDIS_URL, 6379) else "Redis",
        "browser": None if shutil.which(CHROMIUM) else "Chromium",
    }
    required = os.environ.get("REQUIRE_SERVICES") == "1"
    for item in items:
        for marker, missing in reasons.items():
            if missing and item.get_closest_marker(marker):
                if required:
                    raise pytest.UsageError(
                        f"REQUIRE_SERVICES=1 but {missing} is missing for {item.nodeid}"
                    )
                _skipped[missing] += 1
                item.add_marker(pytest.mark.skip(reason=f"needs {missing}"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = {
        "PostgreSQL": "PostgreSQL tests need DATABASE_URL=postgres://… (make test runs them when "
        "PostgreSQL answers at 127.0.0.1:5432)",
        "Redis": f"Redis does not answer at {REDIS_URL}",
        "Chromium": f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    }
    for missing, count in sorted(_skipped.items()):
        terminalreporter.write_line(f"SKIPPED {count} test(s): {lines[missing]}")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's language: a request with another Accept-Language leaves
    that language active in the thread (LocaleMiddleware does not reset it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def queued_tasks(settings, monkeypatch) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """Celery as in production: tasks are queued, not run inline; this list is the queue.

    Each entry is ``(task name, *args)``; a test plays the worker by calling the task.
    """
    from celery import current_app

    # Celery reads the Django settings once, on first use: change its own copy first, so the
    # value put back afterwards is the suite's and not this fixture's.
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list[tuple[Any, ...]] = []

    def send_task(name: str, args: tuple[Any, ...] = (), *_a: Any, **_kw: Any) -> None:
        queued.append((name, *args))

    monkeypatch.setattr(current_app, "send_task", send_task)
    return queued


@pytest.fixture
def staff_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user(
        "kierownik", "kierownik@example.pl", "haslo-testowe-1", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _close_leftover_postgres_sessions(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Threads of live servers and workers may keep a PostgreSQL connection open after their
    test; end them before pytest-django drops the test database, which it cannot do while
    another session is connected. (Set up after the database, so torn down before it.)"""
    yield
    if not _database_is_postgres():
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
