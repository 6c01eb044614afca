# mypy: allow-untyped-defs
"""Helpers shared by the offer-edit tests (in-process and in the browser)."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.db import transaction

from fake_allegro.sale.state import Offer
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import stock_adjust
from shop.catalog.signals import price_changed


def remote_active_offer(state, seller_id: str, product: Product) -> Offer:
    """An ACTIVE Kup teraz offer on the emulator showing the product's price and stock."""
    template = next(
        o
        for o in state.seller_offers(seller_id)
        if o.status == "ACTIVE" and o.selling_format == "BUY_NOW"
    )
    now = state.now()
    price = str(product.price)
    remote = Offer(
        id=state.new_offer_id(),
        seller_id=seller_id,
        name=product.name,
        category_id=template.category_id,
        price=price,
        currency="PLN",
        available=product.stock,
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
        "price": {"amount": price, "currency": "PLN"},
    }
    remote.data["external"] = {"id": product.sku}
    state.offers[remote.id] = remote
    return remote


def product_change(product: Product, *, stock_delta: int, price: str) -> None:
    """What the catalog does on a delivery and a price edit (the sync marks on both)."""
    with transaction.atomic():
        stock_adjust(product=product, delta=stock_delta, reason=StockReason.CORRECTION)
        Product.objects.filter(pk=product.pk).update(price=Decimal(price))
        price_changed.send(sender=Product, product_ids=[product.pk])
    product.refresh_from_db()
