"""Benchmark of the Allegro order import: back-fill 10,000 orders, then a run with nothing new.

Run from the repository root: ``python bench/order_import.py``. Each measurement runs in its own
subprocess with a throwaway database (SQLite under var/bench/, and PostgreSQL when it answers):

* speed: the emulator in-process (no latency, no response validation), 10,000 synthetic orders
  of one to three items, bought over the last 20 days, against 15 shop products;
* memory: the emulator in a separate process, so the importer's own peak RSS is measured for
  1,000 and 10,000 orders.

Targets: ≥ 500 orders/s on both databases, ≤ 0.05 requests per order, exactly 1 request for the
run with nothing new, peak RSS at 10k ≤ 1.5× the one at 1k. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    PG_URL,
    ROOT,
    answers,
    fresh_sqlite,
    linked_account,
)
from _common import fresh_postgres as _fresh_postgres

PG_DB = "bench_order_import"


def fresh_postgres() -> str:
    return _fresh_postgres(PG_DB)


ORDERS = 10_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the measured process ---------------------------------------------------------------------


def child(orders: int, emulator_url: str | None) -> dict[str, Any]:
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    # DEBUG keeps every query's SQL in memory: measure the importer, not Django's query log.
    os.environ["DEBUG"] = "false"
    os.environ["ALLEGRO_EMULATOR_URL"] = emulator_url or "http://fake-allegro.bench"
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "5tK0J0cHqQ8o2s2m2o5g0g4Zz7vVJ7sM8n6fQ1bY2kE=")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("allegro_api").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    import httpx
    from django.conf import settings
    from django.core.management import call_command

    from shop.allegro.orders.services.importer import orders_import
    from shop.catalog.models import Product
    from shop.orders.models import Order

    call_command("migrate", verbosity=0)
    if emulator_url is None:
        from fake_allegro import Emulator

        # The importer is measured: the in-process emulator skips checking our requests
        # against the spec (the test suite does that on every request).
        emulator = Emulator(seed=0, validate_responses=False, validate_requests=False)
        settings.ALLEGRO_TRANSPORT_FACTORY = lambda: httpx.WSGITransport(app=emulator.wsgi)
        control = emulator.http_client()
        control.base_url = httpx.URL(os.environ["ALLEGRO_EMULATOR_URL"])
    else:
        control = httpx.Client(base_url=emulator_url, timeout=300)
    app = control.get("/_emulator/state").json()
    tokens = control.post("/_emulator/tokens", json={}).json()
    seller_login = "demo-sprzedawca"
    seller_id = next(
        (s["id"] for s in app.get("sellers", []) if s.get("login") == seller_login), ""
    )
    account = linked_account(
        tokens=tokens,
        seller_id=seller_id,
        login=seller_login,
        client_id="demo-client-id",
        client_secret="demo-client-secret",
    )
    Product.objects.bulk_create(
        Product(name=f"Produkt {i}", sku=f"SKU-{1000 + i}", price=10, stock=100_000)
        for i in range(15)
    )
    made = control.post(
        "/_emulator/purchases",
        json={"count": orders, "synthetic": True, "spreadDays": 20},
    )
    made.raise_for_status()
    # Warm up: the emulator parses the spec for request validation on its first API call.
    control.get(
        "/me",
        headers={
            "Authorization": f"Bearer {tokens['access_token']}",
            "Accept": "application/vnd.allegro.public.v1+json",
        },
    )

    # The in-process emulator's world (every form as JSON) is long-lived: keep it out of the
    # garbage collector's full passes, as a separate emulator process would.
    import gc

    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        stats = profiler.runcall(orders_import, account=account)
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    else:
        stats = orders_import(account=account)
    elapsed = time.perf_counter() - started
    imported = Order.objects.count()
    noop = orders_import(account=account)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "orders": imported,
        "seconds": round(elapsed, 3),
        "orders_per_s": round(imported / elapsed, 1),
        "requests": stats.requests,
        "requests_per_order": round(stats.requests / max(imported, 1), 4),
        "noop_requests": noop.requests,
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def run_child(database_url: str, orders: int, emulator_url: str | None = None) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.django.test",
    }
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--orders", str(orders)]
    if emulator_url:
        cmd += ["--emulator-url", emulator_url]
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit(f"benchmark child failed ({database_url}, {orders})")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def memory_run(orders: int) -> float:
    """Peak RSS of the importer alone: the emulator runs in its own process."""
    port = free_port()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "fake_allegro", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), 0.5):
                    break
            except OSError:
                time.sleep(0.2)
        result = run_child(fresh_sqlite(f"memory-{orders}"), orders, f"http://127.0.0.1:{port}")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    print(f"memory {orders:>6} orders: peak RSS {result['peak_rss_mb']} MB")
    return float(result["peak_rss_mb"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--emulator-url")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.orders, args.emulator_url)))
        return

    sqlite = run_child(fresh_sqlite("speed"), ORDERS)
    print(
        f"SQLite:     {sqlite['orders']} orders in {sqlite['seconds']} s = "
        f"{sqlite['orders_per_s']} orders/s (target ≥ 500); {sqlite['requests']} requests = "
        f"{sqlite['requests_per_order']} per order (≤ 0.05); no-op run: "
        f"{sqlite['noop_requests']} request(s) (= 1)"
    )
    postgres: dict[str, Any] | None = None
    if answers(PG_URL):
        postgres = run_child(fresh_postgres(), ORDERS)
        print(
            f"PostgreSQL: {postgres['orders']} orders in {postgres['seconds']} s = "
            f"{postgres['orders_per_s']} orders/s (target ≥ 500); no-op run: "
            f"{postgres['noop_requests']} request(s)"
        )
    else:
        print("PostgreSQL: not answering, skipped")
    rss_1k = memory_run(1_000)
    rss_10k = memory_run(ORDERS)
    print(f"memory ratio 10k/1k: {rss_10k / rss_1k:.2f} (target ≤ 1.5)")
    print(
        json.dumps(
            {
                "orders": sqlite["orders"],
                "orders_per_s_sqlite": sqlite["orders_per_s"],
                "orders_per_s_postgres": postgres["orders_per_s"] if postgres else None,
                "requests_per_order": sqlite["requests_per_order"],
                "noop_requests": sqlite["noop_requests"],
                "peak_rss_mb_1k": rss_1k,
                "peak_rss_mb_10k": rss_10k,
            }
        )
    )


if __name__ == "__main__":
    main()
