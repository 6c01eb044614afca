from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from shop.catalog.models import Product, StockMovement, StockReason
from shop.catalog.services.stock import (
    InsufficientStock,
    StockChange,
    stock_adjust,
    stock_adjust_many,
    stock_level_from_ledger,
)
from shop.catalog.signals import stock_changed
from tests.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_every_change_is_a_ledger_row_and_the_level_is_their_sum(staff_user):
    product = ProductFactory()
    stock_adjust(product=product, delta=10, reason=StockReason.DELIVERY, user=staff_user)
    stock_adjust(product=product, delta=-3, reason=StockReason.DAMAGE, note="zalane")
    order = OrderFactory()
    stock_adjust(product=product, delta=-2, reason=StockReason.ORDER, order=order)

    product.refresh_from_db()
    assert product.stock == 5
    assert stock_level_from_ledger(product=product) == 5
    rows = list(StockMovement.objects.filter(product=product).order_by("id"))
    assert [(r.delta, r.level_after, r.reason) for r in rows] == [
        (10, 10, "delivery"),
        (-3, 7, "damage"),
        (-2, 5, "order"),
    ]
    assert rows[0].user == staff_user
    assert rows[2].order == order


def test_stock_never_goes_below_zero_without_backorders():
    product = ProductFactory()
    stock_adjust(product=product, delta=2, reason=StockReason.DELIVERY)
    with pytest.raises(InsufficientStock, match=product.sku):
        stock_adjust(product=product, delta=-3, reason=StockReason.ORDER)
    product.refresh_from_db()
    assert product.stock == 2
    assert StockMovement.objects.filter(product=product).count() == 1


def test_backorder_products_may_go_negative():
    product = ProductFactory(allow_backorder=True)
    stock_adjust(product=product, delta=-4, reason=StockReason.ORDER)
    product.refresh_from_db()
    assert product.stock == -4


def test_zero_change_is_refused():
    from shop.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        stock_adjust(product=ProductFactory(), delta=0, reason=StockReason.CORRECTION)


def test_a_change_sends_stock_changed():
    product = ProductFactory()
    received = []

    def receiver(sender, product_ids, **kwargs):  # type: ignore[no-untyped-def]
        received.append(product_ids)

    stock_changed.connect(receiver)
    try:
        stock_adjust(product=product, delta=1, reason=StockReason.DELIVERY)
    finally:
        stock_changed.disconnect(receiver)
    assert received == [[product.pk]]


def test_many_products_change_in_constant_queries_and_one_signal(django_assert_max_num_queries):
    products = [ProductFactory(stock=10) for _ in range(12)]
    order = OrderFactory()
    received = []

    def receiver(sender, product_ids, **kwargs):  # type: ignore[no-untyped-def]
        received.append(sorted(product_ids))

    stock_changed.connect(receiver)
    try:
        # Savepoint, lock in key order, level update, movement insert, the Allegro app's
        # receiver, release: the same for 12 products as for 2.
        with django_assert_max_num_queries(6):
            movements = stock_adjust_many(
                changes=[
                    StockChange(p.pk, -(i % 3 + 1), order, "Allegro")
                    for i, p in enumerate(products)
                ]
                + [StockChange(products[0].pk, -2)],
                reason=StockReason.ORDER,
            )
    finally:
        stock_changed.disconnect(receiver)
    assert received == [sorted(p.pk for p in products)]
    assert all(m.pk for m in movements)
    levels = dict(
        Product.objects.filter(pk__in=[p.pk for p in products]).values_list("id", "stock")
    )
    assert levels[products[0].pk] == 10 - 1 - 2
    assert levels[products[1].pk] == 8 and levels[products[2].pk] == 7
    for product in products:
        assert stock_level_from_ledger(product=product) == levels[product.pk] - 10
    rows = list(StockMovement.objects.filter(product=products[0]).order_by("id"))
    assert [(r.delta, r.level_after, r.order_id) for r in rows] == [
        (-1, 9, order.pk),
        (-2, 7, None),
    ]


def test_one_refused_change_leaves_every_product_as_it_was():
    plenty, scarce = ProductFactory(stock=10), ProductFactory(stock=1)
    with pytest.raises(InsufficientStock, match=scarce.sku):
        stock_adjust_many(
            changes=[StockChange(plenty.pk, -5), StockChange(scarce.pk, -2)],
            reason=StockReason.ORDER,
        )
    assert dict(Product.objects.values_list("id", "stock")) == {plenty.pk: 10, scarce.pk: 1}
    assert not StockMovement.objects.exists()


def test_one_sale_costs_two_statements(django_assert_num_queries):
    """A sale is the hottest write of the shop: the level moves in the UPDATE that returns it
    (no separate lock read) and the movement is one INSERT that returns its key. The Allegro
    sync adds none: it reads the ledger after the commit."""
    product = ProductFactory(stock=3)
    # The savepoint and its release (the test's transaction stands in for BEGIN and COMMIT),
    # the UPDATE and the INSERT.
    with django_assert_num_queries(4):
        movement = stock_adjust(product=product.pk, delta=-1, reason=StockReason.ORDER)
    assert (movement.pk, movement.level_after) == (
        StockMovement.objects.get(product=product).pk,
        2,
    )


def test_a_refused_change_inside_a_larger_transaction_undoes_only_itself():
    product = ProductFactory(stock=1)
    with transaction.atomic():
        stock_adjust(product=product, delta=4, reason=StockReason.DELIVERY)
        with pytest.raises(InsufficientStock):
            stock_adjust(product=product, delta=-9, reason=StockReason.ORDER)
        stock_adjust(product=product, delta=-2, reason=StockReason.ORDER)
    product.refresh_from_db()
    assert product.stock == 3
    assert list(
        StockMovement.objects.filter(product=product).order_by("id").values_list("level_after")
    ) == [(5,), (3,)]


def test_an_unknown_product_is_refused_and_nothing_is_written():
    product = ProductFactory(stock=5)
    with pytest.raises(Product.DoesNotExist):
        stock_adjust_many(
            changes=[StockChange(product.pk, -1), StockChange(product.pk + 1000, -1)],
            reason=StockReason.ORDER,
        )
    product.refresh_from_db()
    assert product.stock == 5 and not StockMovement.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decrements_lose_nothing_on_postgres():
    assert connection.vendor == "postgresql"
    product = ProductFactory()
    stock_adjust(product=product, delta=100, reason=StockReason.DELIVERY)
    workers, per_worker = 8, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(per_worker):
                stock_adjust(product=product.pk, delta=-1, reason=StockReason.ORDER)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    product.refresh_from_db()
    assert product.stock == 100 - workers * per_worker
    assert stock_level_from_ledger(product=product) == product.stock
    assert StockMovement.objects.filter(product=product).count() == 1 + workers * per_worker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decrements_stop_at_zero_on_postgres():
    product = ProductFactory()
    stock_adjust(product=product, delta=5, reason=StockReason.DELIVERY)
    outcomes: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            stock_adjust(product=product.pk, delta=-1, reason=StockReason.ORDER)
            result = "ok"
        except InsufficientStock:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    product.refresh_from_db()
    assert outcomes.count("ok") == 5
    assert outcomes.count("refused") == 7
    assert Product.objects.get(pk=product.pk).stock == 0
