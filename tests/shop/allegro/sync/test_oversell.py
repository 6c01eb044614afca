# mypy: allow-untyped-defs
"""The last unit sold by two channels at once: one sale wins, stock never goes below zero."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from shop.allegro.sync.services.push import stock_sync_flush
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import InsufficientStock, stock_adjust


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_unit_race_on_postgres(allegro, synced_offer_factory, linked_account):
    product, _mirror, remote = synced_offer_factory(stock=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sell() -> None:
        try:
            barrier.wait()
            stock_adjust(product=product.pk, delta=-1, reason=StockReason.ORDER)
            outcomes.append("sold")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sell) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sold"]
    assert Product.objects.get(pk=product.pk).stock == 0
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    # Zero stock ends the offer on Allegro: no third buyer.
    assert remote.status == "ENDED"
