"""An order's money as people read it: every line of what the buyer pays, and beside it what
is already inside the prices or paid by someone else.

Pages and printouts of every channel show these rows; the labels are Polish in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shop.orders.models import ChargeKind, FundedBy, Order, OrderCharge, OrderItem

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MoneyRow:
    kind: str  # items, deposit, service, surcharge, delivery, total, discount, paid, ...
    label: str
    amount: Decimal
    note: str = ""
    # Part of what the buyer pays (False: shown for the record, e.g. a discount in the price).
    counted: bool = True


def _discount_row(charge: OrderCharge) -> MoneyRow:
    if charge.funded_by == FundedBy.MARKETPLACE:
        return MoneyRow(
            "marketplace_discount",
            _("Rabat Allegro"),
            charge.amount,
            _("kupujący zapłacił mniej, różnicę zwraca sprzedającemu Allegro"),
            counted=False,
        )
    return MoneyRow(
        "discount",
        charge.name or _("Kupon / rabat"),
        -charge.amount,
        _("już w cenie produktu, finansuje sprzedawca"),
        counted=False,
    )


def item_rows(item: OrderItem, charges: list[OrderCharge]) -> list[MoneyRow]:
    """What one item carries besides its price: its deposit, services and discounts."""
    rows: list[MoneyRow] = []
    if item.deposit:
        rows.append(
            MoneyRow(
                "deposit",
                _("Kaucja"),
                item.deposit_total,
                _("%(quantity)s × %(deposit)s, zwrotna")
                % {"quantity": item.quantity, "deposit": number_format(item.deposit, 2)},
            )
        )
    for charge in charges:
        if charge.kind == ChargeKind.SERVICE:
            rows.append(MoneyRow("service", _("Usługi dodatkowe"), charge.amount, charge.name))
        elif charge.kind == ChargeKind.DISCOUNT:
            rows.append(_discount_row(charge))
    return rows


def item_rows_by_item(order: Order) -> dict[int, list[MoneyRow]]:
    """Item id → its extra rows (prefetch ``items`` and ``charges`` to keep it to no queries)."""
    charges: dict[int | None, list[OrderCharge]] = defaultdict(list)
    for charge in order.charges.all():
        charges[charge.item_id].append(charge)
    return {item.pk: item_rows(item, charges[item.pk]) for item in order.items.all()}


def order_money_rows(order: Order) -> list[MoneyRow]:
    """The order's totals, line by line, ending with what was paid and refunded."""
    items = list(order.items.all())
    charges = list(order.charges.all())
    rows = [MoneyRow("items", _("Produkty"), order.items_total)]
    deposits = sum((item.deposit_total for item in items), ZERO)
    if deposits:
        rows.append(MoneyRow("deposit", _("Kaucja"), deposits, _("zwrotna")))
    for charge in charges:
        if charge.kind == ChargeKind.SERVICE:
            rows.append(MoneyRow("service", _("Usługi dodatkowe"), charge.amount, charge.name))
        elif charge.kind == ChargeKind.SURCHARGE and charge.in_total:
            rows.append(MoneyRow("surcharge", _("Dopłata"), charge.amount))
        elif charge.kind == ChargeKind.DISCOUNT and charge.item_id is None:
            rows.append(_discount_row(charge))
    smart = _("Smart! — dostawa darmowa dla kupującego")
    rows.append(
        MoneyRow(
            "delivery",
            _("Dostawa"),
            order.delivery_cost,
            smart if order.delivery_free_by_programme else order.delivery_method,
        )
    )
    rows.append(MoneyRow("total", _("Razem do zapłaty"), order.total))
    discounts = [c for c in charges if c.kind == ChargeKind.DISCOUNT and c.item_id is not None]
    rows += [_discount_row(c) for c in discounts]
    rows.append(MoneyRow("paid", _("Zapłacono"), order.paid_amount, counted=False))
    for charge in charges:
        if charge.kind == ChargeKind.SURCHARGE and not charge.in_total:
            rows.append(MoneyRow("surcharge", _("w tym dopłata"), charge.amount, counted=False))
    if order.refunded_amount:
        rows.append(MoneyRow("refunded", _("Zwrócono"), order.refunded_amount, counted=False))
    return rows
