"""Shared set-up of the benchmarks: throwaway databases and a Django in this process."""

from __future__ import annotations

import os
import socket
import statistics
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 1):
            return True
    except OSError:
        return False


def fresh_postgres(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def fresh_sqlite(name: str) -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def django_setup(database_url: str) -> None:
    """Django on ``database_url`` with the test settings (eager tasks, local cache), migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.test"
    # DEBUG keeps every query's SQL in memory, which is not what production pays.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("VAR_DIR", str(BENCH_DIR / "var"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def linked_account(
    *,
    tokens: dict[str, Any],
    seller_id: str,
    login: str,
    client_id: str,
    client_secret: str,
    **fields: Any,
) -> Any:
    """A shop account linked to the emulator's seller with the tokens it just issued."""
    from datetime import timedelta

    from django.utils import timezone

    from shop.allegro.models import AllegroAccount, LinkStatus

    now = timezone.now()
    return AllegroAccount.objects.create(
        enabled=True,
        client_id=client_id,
        client_secret=client_secret,
        status=LinkStatus.LINKED,
        seller_id=seller_id,
        login=login,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        token_expires_at=now + timedelta(seconds=int(tokens["expires_in"])),
        linked_at=now,
        **fields,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
