"""The stock ledger: every change is a StockMovement; the level is their sum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
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

    The level moves in the database (``stock = stock + delta`` under the UPDATE's row lock on
    PostgreSQL; SQLite serialises writers itself), so concurrent decrements add up instead of
    overwriting each other. Going below zero is refused
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
    """``stock_adjust`` for several products at once: one level update (after one lock query),
    one movement insert and one ``stock_changed`` signal, whatever the number of products (an
    order import's batch)."""
    if any(change.delta == 0 for change in changes):
        raise ApplicationError(_("Zmiana stanu nie może być zerowa."))
    if not changes:
        return []
    acting = acting_user(user)
    totals: dict[int, int] = {}
    for change in changes:
        totals[change.product_id] = totals.get(change.product_id, 0) + change.delta
    with transaction.atomic():
        rows = _stock_add(totals)
        movements: list[StockMovement] = []
        level = {pk: row.stock - totals[pk] for pk, row in rows.items()}  # before this call
        for change in changes:
            row = rows[change.product_id]
            new_level = level[change.product_id] + change.delta
            if new_level < 0 and not (row.allow_backorder or allow_negative):
                # Raising rolls the whole call back, the UPDATE above included.
                raise InsufficientStock(
                    _("Za mały stan produktu %(sku)s: jest %(stock)d, zmiana %(delta)d.")
                    % {"sku": row.sku, "stock": level[change.product_id], "delta": change.delta}
                )
            level[change.product_id] = new_level
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
        rows_insert(StockMovement, movements)
        stock_changed.send(sender=Product, product_ids=sorted(totals))
    return movements


@dataclass(frozen=True)
class _Level:
    stock: int  # after the change
    allow_backorder: bool
    sku: str


def _stock_add(totals: dict[int, int]) -> dict[int, _Level]:
    """Add each product's total to its stock in one statement and return the new levels.

    ``stock = stock + n`` is computed under the row lock the UPDATE takes, so concurrent changes
    add up. Several products are first locked in key order (one order for every writer, so two
    batches never deadlock); one product needs no separate lock. This is the only statement a
    stock change adds besides its movement: it runs inside every sale, and a separate lock read
    plus Django's ``bulk_update`` made a sale's write on SQLite almost twice as slow
    (bench/stock_sync.py).
    """
    ids = sorted(totals)
    if len(ids) > 1 and connection.features.has_select_for_update:
        locked = Product.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        list(locked.values_list("pk"))
    quote = connection.ops.quote_name
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {quote(Product._meta.db_table)} SET stock = stock + CASE id {cases} END"  # noqa: S608
        f" WHERE id IN ({marks}) RETURNING id, stock, allow_backorder, sku"
    )
    params: list[int] = [value for pk in ids for value in (pk, totals[pk])] + ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {pk: _Level(stock, bool(backorder), sku) for pk, stock, backorder, sku in cursor}
    missing = set(ids) - set(found)
    if missing:
        raise Product.DoesNotExist(f"No product with id {sorted(missing)}")
    return found


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
