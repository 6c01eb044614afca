"""The stock ledger: every change is a StockMovement; the level is their sum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from shop.catalog.models import Product, StockMovement, StockReason
from shop.catalog.signals import stock_changed
from shop.core.bulk import rows_insert
from shop.core.errors import ApplicationError
from shop.core.users import acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from shop.orders.models import Order


class InsufficientStock(ApplicationError):
    pass


@dataclass(frozen=True)
class StockChange:
    """One product's change within ``stock_adjust_many``."""

    product_id: int
    delta: int
    order: Order | None = None
    note: str = ""


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
    product_id = product.pk if isinstance(product, Product) else product
    (movement,) = stock_adjust_many(
        changes=[StockChange(product_id, delta, order, note)],
        reason=reason,
        user=user,
        allow_negative=allow_negative,
    )
    if isinstance(product, Product):
        product.stock = movement.level_after
    return movement


def stock_adjust_many(
    *,
    changes: Sequence[StockChange],
    reason: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    allow_negative: bool = False,
) -> list[StockMovement]:
    """``stock_adjust`` for several products at once: one lock query, one movement insert and
    one ``stock_changed`` signal, whatever the number of products (an order import's batch)."""
    if any(change.delta == 0 for change in changes):
        raise ApplicationError(_("Zmiana stanu nie może być zerowa."))
    if not changes:
        return []
    acting = acting_user(user)
    with transaction.atomic():
        ids = sorted({change.product_id for change in changes})  # one lock order for everyone
        locked = Product.objects.select_for_update().only("id", "stock", "allow_backorder", "sku")
        rows = {row.pk: row for row in locked.filter(pk__in=ids).order_by("pk")}
        movements: list[StockMovement] = []
        for change in changes:
            row = rows[change.product_id]
            new_level = row.stock + change.delta
            if new_level < 0 and not (row.allow_backorder or allow_negative):
                raise InsufficientStock(
                    _("Za mały stan produktu %(sku)s: jest %(stock)d, zmiana %(delta)d.")
                    % {"sku": row.sku, "stock": row.stock, "delta": change.delta}
                )
            row.stock = new_level
            movements.append(
                StockMovement(
                    product_id=change.product_id,
                    delta=change.delta,
                    level_after=new_level,
                    reason=reason,
                    note=change.note,
                    user=acting,
                    order=change.order,
                )
            )
        Product.objects.bulk_update(list(rows.values()), ["stock"])
        rows_insert(StockMovement, movements)
        stock_changed.send(sender=Product, product_ids=ids)
    return movements


def stock_level_from_ledger(*, product: Product) -> int:
    """The level recomputed from the ledger, for audits of the cached column."""
    from django.db.models import Sum

    total = product.stock_movements.aggregate(total=Sum("delta"))["total"]
    return int(total or 0)


__all__ = [
    "InsufficientStock",
    "StockChange",
    "StockReason",
    "stock_adjust",
    "stock_adjust_many",
    "stock_level_from_ledger",
]
