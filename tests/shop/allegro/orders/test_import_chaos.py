"""The order import on PostgreSQL: two workers at once, and a chaotic Allegro with kills."""

from __future__ import annotations

import random
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from allegro_api import InMemoryRateBudget
from fake_allegro import Emulator
from shop.allegro.models import AllegroLineItem
from shop.allegro.orders.services.importer import OrderImportFailed, orders_import
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import stock_adjust
from shop.orders.models import Channel, Order, OrderStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def purchase(emulator: Emulator, **payload: Any) -> dict[str, Any]:
    result: dict[str, Any] = control(emulator, "/purchases", {"synthetic": True, **payload})
    return result


def allegro_orders() -> list[Order]:
    return list(Order.objects.filter(channel=Channel.ALLEGRO).prefetch_related("items"))


def _products() -> dict[str, Product]:
    return {
        f"SKU-{1000 + i}": Product.objects.create(name=f"P{i}", sku=f"SKU-{1000 + i}", price=10)
        for i in range(15)
    }


class Killed(BaseException):
    pass


def assert_mirror_equals_emulator(emulator: Emulator, account) -> None:  # type: ignore[no-untyped-def]
    state = emulator.world.orders
    forms = {f.id: f for f in state.forms.values() if f.seller_id == account.seller_id}  # type: ignore[union-attr]
    orders = {o.external_id: o for o in allegro_orders()}
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == len(orders)
    assert set(orders) == set(forms)
    for form_id, stored in forms.items():
        order = orders[form_id]
        assert order.total == Decimal(stored.data["summary"]["totalToPay"]["amount"])
        lines = sorted(str(li["id"]) for li in stored.data["lineItems"])
        assert sorted(i.external_id for i in order.items.all()) == lines
        cancelled = stored.data["status"] == "CANCELLED"
        assert (order.status == OrderStatus.CANCELLED) == cancelled
    # Stock: every line that is not cancelled took what it could exactly once, and the oversell
    # guard never let a product go below zero.
    taken = AllegroLineItem.objects.filter(stock_taken=True, stock_returned=False)
    expected: dict[int, int] = {}
    for line in taken.select_related("order_item"):
        if line.order_item and line.order_item.product_id:
            expected[line.order_item.product_id] = (
                expected.get(line.order_item.product_id, 0) + line.stock_quantity_taken
            )
    for product in Product.objects.all():
        moved = sum(
            m.delta
            for m in product.stock_movements.filter(
                reason__in=[StockReason.ORDER, StockReason.ORDER_CANCELLED]
            )
        )
        assert -moved == expected.get(product.pk, 0)
        assert product.stock >= 0


def test_two_workers_importing_at_once_create_no_duplicates(allegro, linked_account):  # type: ignore[no-untyped-def]
    _products()
    purchase(allegro, count=150, spreadDays=5)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                orders_import(account=linked_account, sweep=True)
                purchase(allegro, count=10, chaos={"duplicateRate": 0.5, "cancelRate": 0.2})
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    orders_import(account=linked_account, sweep=True)
    assert_mirror_equals_emulator(allegro, linked_account)


class FakeTime:
    """Client sleeps advance this clock and the emulator's, so nothing waits for real."""

    def __init__(self, emulator: Any):
        import time

        self.now = time.time()
        self.emulator = emulator

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.emulator.world.clock.advance(seconds)


def test_chaos_every_form_arrives_exactly_once(allegro, linked_account):  # type: ignore[no-untyped-def]
    products = _products()
    for product in products.values():
        stock_adjust(product=product, delta=10_000, reason=StockReason.DELIVERY)
    chaos = {"duplicateRate": 0.2, "dropRate": 0.02, "mergeRate": 0.05, "cancelRate": 0.05}
    purchase(allegro, count=100, spreadDays=3, chaos=chaos)
    control(allegro, "/faults", {"pathRegex": "^/order", "status": 503, "rate": 0.1})
    control(
        allegro,
        "/faults",
        {
            "pathRegex": "^/order",
            "throttle": {
                "limit": 25,
                "windowSeconds": 10,
                "blockSeconds": 3,
                "extendSeconds": 1,
                "retryAfter": True,
            },
        },
    )
    fake = FakeTime(allegro)
    overrides = {
        "clock": fake.clock,
        "sleep": fake.sleep,
        "rate_budget": InMemoryRateBudget(clock=fake.clock),
    }
    rng = random.Random(7)
    kills = {"n": 0}

    def hook(name: str) -> None:
        if kills["n"] < 20 and rng.random() < 0.1:
            kills["n"] += 1
            raise Killed(name)

    failures = 0
    for round_ in range(80):
        if round_ % 8 == 0:
            purchase(allegro, count=25, chaos=chaos)
        try:
            orders_import(
                account=linked_account,
                client_overrides=overrides,
                sweep=round_ % 5 == 4,
                fault=hook,
            )
        except (Killed, OrderImportFailed):
            failures += 1
        if kills["n"] >= 20 and round_ >= 40:
            break
    assert kills["n"] == 20
    # The last runs (faults still on) until one succeeds with a sweep.
    for _ in range(30):
        try:
            orders_import(account=linked_account, client_overrides=overrides, sweep=True)
            break
        except OrderImportFailed:
            failures += 1
    else:
        pytest.fail("the import never succeeded")
    assert failures > 0
    assert_mirror_equals_emulator(allegro, linked_account)
    assert Product.objects.filter(stock__lt=10_000).exists()
