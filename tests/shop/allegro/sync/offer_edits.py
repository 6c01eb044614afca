# mypy: allow-untyped-defs
"""Helpers shared by the offer-edit tests (in-process and in the browser)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fake_allegro.sale.state import Offer
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import stock_adjust
from shop.catalog.signals import price_changed
from tests.factories import emulator_offer


def remote_active_offer(state, seller_id: str, product: Product) -> Offer:
    """An ACTIVE Kup teraz offer on the emulator showing the product's price and stock."""
    return emulator_offer(
        state, seller_id, product, price=str(product.price), available=product.stock
    )


def product_change(product: Product, *, stock_delta: int, price: str) -> None:
    """What the catalog does on a delivery and a price edit (the sync marks on both)."""
    with transaction.atomic():
        stock_adjust(product=product, delta=stock_delta, reason=StockReason.CORRECTION)
        Product.objects.filter(pk=product.pk).update(price=Decimal(price))
        price_changed.send(sender=Product, product_ids=[product.pk])
    product.refresh_from_db()
