"""Benchmark of the Allegro stock sync: 1,000 stock changes over 500 linked offers.

Run from the repository root: ``python bench/stock_sync.py``. The measurement runs in a
subprocess with a throwaway SQLite database under var/bench/ (and again on PostgreSQL when it
answers). The emulator runs in-process; a real Celery worker (in-memory broker polled every
20 ms, solo pool, in a thread) consumes the flush tasks, with the default debounce settings.

The 1,000 changes are two sales of one unit for each of 500 products (in random order), each a
committed ``stock_adjust``. A watcher polls the emulator's offers every 20 ms; a change counts as
delivered when the emulator shows its quantity (or a later change's quantity of that offer).

Figures: p50/p95 of commit → visible on the emulator, and API requests for every 1,000 changed
offer quantities. Targets: p95 ≤ 2 s, ≤ 2 requests per 1,000 changed offers.

The last line is JSON: the SQLite figures, plus ``p95_s_postgres`` and
``requests_per_1000_offers_postgres`` when PostgreSQL answers. ``BENCH_STOCK_SYNC_DB`` names the
PostgreSQL database (dropped and created again), so that two runs at once never share one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
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
    percentile,
)
from _common import fresh_postgres as _fresh_postgres

SYNC_RECEIVER = "allegro_stock_sync_stock"
PG_DB = os.environ.get("BENCH_STOCK_SYNC_DB", "bench_stock_sync")


def fresh_postgres() -> str:
    return _fresh_postgres(PG_DB)


OFFERS = 500
CHANGES = 1000
START_STOCK = 50


# -- the measured process ---------------------------------------------------------------------


def child() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    os.environ["DEBUG"] = "false"  # no query log kept in memory
    os.environ["ALLEGRO_EMULATOR_URL"] = "http://fake-allegro.bench"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "5tK0J0cHqQ8o2s2m2o5g0g4Zz7vVJ7sM8n6fQ1bY2kE=")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("allegro_api").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)
    import copy
    from decimal import Decimal

    import httpx
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from django.core.management import call_command

    from config.celery import app as celery_app
    from fake_allegro import Emulator
    from fake_allegro.sale.state import Offer
    from shop.allegro.models import AllegroOffer, OfferStatus
    from shop.allegro.models.sync import SyncCommand
    from shop.allegro.sync.receivers import _stock_changed as product_changed
    from shop.allegro.sync.services.held import offers_link_accept
    from shop.catalog.models import Product, StockReason
    from shop.catalog.services.stock import stock_adjust
    from shop.catalog.signals import stock_changed

    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    # kombu polls an in-memory queue once a second when it is empty; production's Redis hands a
    # task over at once (a blocking pop), so poll often enough not to measure the harness.
    celery_app.conf.broker_transport_options = {"polling_interval": 0.02}
    call_command("migrate", verbosity=0)

    emulator = Emulator(seed=0, validate_responses=False)
    # Build the emulator's request validator before measuring, as its pytest plugin does: its
    # first request otherwise checks the whole OpenAPI document (~2-3 s), a cost of the emulator
    # standing in for Allegro, not of the sync. Requests are still validated, and counted.
    _ = emulator.spec.request_openapi
    settings.ALLEGRO_TRANSPORT_FACTORY = lambda: httpx.WSGITransport(app=emulator.wsgi)
    emulator.world.sale.retry_after = 0
    tokens = emulator.issue_tokens()
    seller = emulator.demo_seller
    app = emulator.demo_application
    account = linked_account(
        tokens=tokens,
        seller_id=seller.id,
        login=seller.login,
        client_id=app.client_id,
        client_secret=app.client_secret,
    )
    state = emulator.world.sale
    template = next(o for o in state.seller_offers(seller.id) if o.status == "ACTIVE")
    products = Product.objects.bulk_create(
        Product(name=f"Produkt {i}", sku=f"BENCH-{i}", price=Decimal("40.00"), stock=START_STOCK)
        for i in range(OFFERS)
    )
    remotes: dict[int, Any] = {}
    mirrors: list[AllegroOffer] = []
    now = state.now()
    for product in products:
        remote = Offer(
            id=state.new_offer_id(),
            seller_id=seller.id,
            name=product.name,
            category_id=template.category_id,
            price="40.00",
            currency="PLN",
            available=START_STOCK,
            stock_unit="UNIT",
            external_id=product.sku,
            selling_format="BUY_NOW",
            status="ACTIVE",
            created_at=now,
            updated_at=now,
            started_at=now,
        )
        remote.data = copy.deepcopy(template.data)
        remote.data["sellingMode"] = {
            "format": "BUY_NOW",
            "price": {"amount": "40.00", "currency": "PLN"},
        }
        state.offers[remote.id] = remote
        remotes[product.pk] = remote
        mirrors.append(
            AllegroOffer(
                account=account,
                product=product,
                link_status="confirmed",
                allegro_id=remote.id,
                status=OfferStatus.ACTIVE,
                name=product.name,
                price=Decimal("40.00"),
                stock_available=START_STOCK,
            )
        )
    AllegroOffer.objects.bulk_create(mirrors)
    # The links are the bench's own, already checked: no first-sync preview (the guard stays on).
    offers_link_accept(offers=AllegroOffer.objects.filter(account=account))

    rng = random.Random(7)

    def sales(pks: list[int]) -> list[int]:
        first, second = list(pks), list(pks)
        rng.shuffle(first)
        rng.shuffle(second)
        return (first + second)[:CHANGES]

    sequence = sales([p.pk for p in products])
    # The database's own cost of the same writes, with the sync not listening: a floor under
    # ``write_seconds`` that no change to the sync can go below.
    unlinked = Product.objects.bulk_create(
        Product(name=f"Bez oferty {i}", sku=f"BENCH-X-{i}", price=Decimal("40.00"), stock=50)
        for i in range(OFFERS)
    )
    stock_changed.disconnect(dispatch_uid=SYNC_RECEIVER)
    started = time.perf_counter()
    for pk in sales([p.pk for p in unlinked]):
        stock_adjust(product=pk, delta=-1, reason=StockReason.ORDER)
    bare_written = time.perf_counter() - started
    stock_changed.connect(product_changed, dispatch_uid=SYNC_RECEIVER)

    # product id -> list of [commit time, quantity after, delivered time or None]
    history: dict[int, list[list[Any]]] = {pk: [] for pk in remotes}
    lock = threading.Lock()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            moment = time.perf_counter()
            with lock:
                for pk, entries in history.items():
                    if not entries or entries[-1][2] is not None:
                        continue
                    shown = remotes[pk].available
                    hit = next(
                        (i for i in range(len(entries) - 1, -1, -1) if entries[i][1] == shown), None
                    )
                    if hit is None:
                        continue
                    for entry in entries[: hit + 1]:
                        if entry[2] is None:
                            entry[2] = moment
            time.sleep(0.02)

    emulator.requests.clear()
    watcher = threading.Thread(target=watch, daemon=True)
    with start_worker(
        celery_app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ):
        watcher.start()
        started = time.perf_counter()
        level = dict.fromkeys(remotes, START_STOCK)
        for pk in sequence:
            stock_adjust(product=pk, delta=-1, reason=StockReason.ORDER)
            level[pk] -= 1
            with lock:
                history[pk].append([time.perf_counter(), level[pk], None])
        written = time.perf_counter() - started
        deadline = time.time() + 120
        while time.time() < deadline:
            with lock:
                pending = sum(1 for es in history.values() for e in es if e[2] is None)
            if not pending:
                break
            time.sleep(0.1)
        done.set()
        watcher.join()
    latencies = [e[2] - e[0] for es in history.values() for e in es if e[2] is not None]
    undelivered = sum(1 for es in history.values() for e in es if e[2] is None)
    api = [
        e
        for e in emulator.requests.entries()
        if not str(e.get("path", "")).startswith("/_emulator")
    ]
    commands = list(SyncCommand.objects.values_list("offer_ids", flat=True))
    offer_changes = sum(len(ids) for ids in commands)
    return {
        "changes": len(sequence),
        "delivered": len(latencies),
        "undelivered": undelivered,
        "write_seconds": round(written, 2),
        "write_seconds_without_sync": round(bare_written, 2),
        "p50_s": round(percentile(latencies, 0.50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "requests": len(api),
        "commands": len(commands),
        "offer_changes_sent": offer_changes,
        "requests_per_1000_offers": round(len(api) * 1000 / len(sequence), 2),
    }


def run_child(database_url: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.django.test",
    }
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child"]
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit(f"benchmark child failed ({database_url})")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def describe(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name}: {r['changes']} changes written in {r['write_seconds']} s "
        f"({r['write_seconds_without_sync']} s with the sync not listening); delivered "
        f"{r['delivered']} (missing {r['undelivered']}); p50 {r['p50_s']} s, p95 {r['p95_s']} s "
        f"(target ≤ 2), max {r['max_s']} s; {r['requests']} requests in {r['commands']} commands "
        f"carrying {r['offer_changes_sent']} offer changes = {r['requests_per_1000_offers']} "
        f"per 1000 changed offers (target ≤ 2)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child()))
        return
    sqlite = run_child(fresh_sqlite("stock-sync"))
    print(describe("SQLite", sqlite))
    summary = {
        "changes": sqlite["changes"],
        "p50_s": sqlite["p50_s"],
        "p95_s": sqlite["p95_s"],
        "requests_per_1000_offers": sqlite["requests_per_1000_offers"],
    }
    if answers(PG_URL):
        postgres = run_child(fresh_postgres())
        print(describe("PostgreSQL", postgres))
        summary["p95_s_postgres"] = postgres["p95_s"]
        summary["requests_per_1000_offers_postgres"] = postgres["requests_per_1000_offers"]
    else:
        print("PostgreSQL: not answering, skipped")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
