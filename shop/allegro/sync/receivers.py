"""The Allegro app listens to the catalog and orders apps (they never import it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from shop.allegro.sync.services.ledger import ledger_wake
from shop.allegro.sync.services.push import offers_mark
from shop.catalog.signals import price_changed, stock_changed


@receiver(stock_changed, dispatch_uid="allegro_stock_sync_stock")
def _stock_changed(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    """A sale costs the sync nothing in its transaction: the ledger is read after the commit."""
    transaction.on_commit(ledger_wake)


@receiver(price_changed, dispatch_uid="allegro_stock_sync_price")
def _price_changed(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    """Linked offers follow the product: mark them; the flush is queued on commit."""
    offers_mark(product_ids=product_ids)
