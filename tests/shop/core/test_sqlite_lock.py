# mypy: allow-untyped-defs
"""SQLite: a write that finds the database locked is retried in short steps until it gets in."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from shop.catalog.models import Product
from shop.core.sqlite_lock import LockRetry

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


def lock_retry() -> LockRetry:
    connection.ensure_connection()
    (wrapper,) = [w for w in connection.execute_wrappers if isinstance(w, LockRetry)]
    return wrapper


@pytest.mark.django_db(transaction=True)
def test_a_write_waits_for_another_writer_and_then_gets_in():
    wrapper = lock_retry()
    other = sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    released = threading.Event()

    def release_when_retried() -> None:
        while wrapper.retries < 3:
            threading.Event().wait(0.001)
        other.execute("COMMIT")
        released.set()

    helper = threading.Thread(target=release_when_retried)
    helper.start()
    Product.objects.create(name="Czeka na zapis", sku="LOCK-1", price=Decimal("10.00"))
    helper.join()
    other.close()
    assert released.is_set()
    assert wrapper.retries >= 3
    assert Product.objects.filter(sku="LOCK-1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_write_gives_up_after_the_timeout():
    wrapper = lock_retry()
    other = sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    timeout = wrapper.timeout
    wrapper.timeout = 0.05
    try:
        with pytest.raises(OperationalError, match="locked"):
            Product.objects.create(name="Nie wejdzie", sku="LOCK-2", price=Decimal("10.00"))
    finally:
        wrapper.timeout = timeout
        other.execute("ROLLBACK")
        other.close()
    assert wrapper.retries >= 1
    assert Product.objects.filter(sku="LOCK-2").count() == 0
