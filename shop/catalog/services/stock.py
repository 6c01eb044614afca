"""The stock ledger: every change is a StockMovement; the level is their sum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from shop.catalog.models import Product, StockMovement, StockReason
from shop.catalog.signals import stock_changed
from shop.core.errors import ApplicationError
from shop.core.users import acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from shop.orders.models import Order


class InsufficientStock(ApplicationError):
    pass


def stock_adjust(
    *,
    product: Product | int,
    delta: int,
    reason: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    order: Order | None = None,
    note: str = "",
    allow_negative: bool = False,
) -> StockMovement:
    """Apply ``delta`` to a product's stock under a row lock and record the movement.

    The row lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers itself) makes
    concurrent decrements add up instead of overwriting each other. Going below zero is refused
    unless the product allows back-orders or the caller explicitly allows it (an order that
    already happened on a marketplace must be recorded even if it oversold).
    """
    if delta == 0:
        raise ApplicationError(_("Zmiana stanu nie może być zerowa."))
    product_id = product.pk if isinstance(product, Product) else product
    with transaction.atomic():
        locked = Product.objects.select_for_update().only("id", "stock", "allow_backorder", "sku")
        row = locked.get(pk=product_id)
        new_level = row.stock + delta
        if new_level < 0 and not (row.allow_backorder or allow_negative):
            raise InsufficientStock(
                _("Za mały stan produktu %(sku)s: jest %(stock)d, zmiana %(delta)d.")
                % {"sku": row.sku, "stock": row.stock, "delta": delta}
            )
        Product.objects.filter(pk=product_id).update(stock=new_level)
        movement = StockMovement.objects.create(
            product_id=product_id,
            delta=delta,
            level_after=new_level,
            reason=reason,
            note=note,
            user=acting_user(user),
            order=order,
        )
        stock_changed.send(sender=Product, product_ids=[product_id])
    if isinstance(product, Product):
        product.stock = new_level
    return movement


def stock_level_from_ledger(*, product: Product) -> int:
    """The level recomputed from the ledger, for audits of the cached column."""
    from django.db.models import Sum

    total = product.stock_movements.aggregate(total=Sum("delta"))["total"]
    return int(total or 0)


__all__ = ["InsufficientStock", "StockReason", "stock_adjust", "stock_level_from_ledger"]
