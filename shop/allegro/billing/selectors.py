"""Reads of the fees: per order (with the margin left), per day or month, unmatched entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone

from shop.allegro.models import AllegroAccount, AllegroBillingEntry, AllegroCheckoutForm, FeeGroup

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class OrderFees:
    """Fees of one order as costs (a charge positive, a refund of a fee negative)."""

    by_group: dict[str, Decimal]
    total: Decimal
    entries: int
    paid: Decimal  # what the buyer paid, net of refunds
    purchase_cost: Decimal | None  # None: a line has no product or no purchase price
    currency: str

    @property
    def margin(self) -> Decimal | None:
        if self.purchase_cost is None:
            return None
        return self.paid - self.total - self.purchase_cost

    def rows(self) -> list[tuple[str, str, Decimal]]:
        return [(g.value, str(g.label), self.by_group.get(g.value, ZERO)) for g in FeeGroup]


def fees_by_group(entries: Iterable[AllegroBillingEntry]) -> dict[str, Decimal]:
    totals = {g.value: ZERO for g in FeeGroup}
    for entry in entries:
        totals[entry.group] = totals.get(entry.group, ZERO) + entry.fee
    return totals


def purchase_cost_of(form: AllegroCheckoutForm) -> Decimal | None:
    """Purchase price × quantity over the lines; None when any line's cost is unknown."""
    cost = ZERO
    for line in form.items.select_related("order_item__product"):
        item = line.order_item
        product = item.product if item is not None else None
        price = product.purchase_price if product is not None else None
        if price is None:
            return None
        cost += price * line.quantity
    return cost


def order_fees(*, form: AllegroCheckoutForm) -> OrderFees:
    entries = list(form.billing_entries.all())
    by_group = fees_by_group(entries)
    order = form.order
    paid = (order.paid_amount - order.refunded_amount) if order is not None else form.total
    return OrderFees(
        by_group=by_group,
        total=sum(by_group.values(), ZERO),
        entries=len(entries),
        paid=paid,
        purchase_cost=purchase_cost_of(form),
        currency=form.currency,
    )


def entries_between(
    *, account: AllegroAccount, start: date, end: date
) -> QuerySet[AllegroBillingEntry]:
    """Entries from ``start`` to ``end`` inclusive, by Warsaw calendar days, newest first."""
    zone = timezone.get_current_timezone()
    low = datetime.combine(start, time.min, tzinfo=zone)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return AllegroBillingEntry.objects.filter(
        account=account, occurred_at__gte=low, occurred_at__lt=high
    ).select_related("form")


@dataclass
class PeriodRow:
    start: date
    by_group: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_group.values(), ZERO)


def period_starts(start: date, end: date, period: str) -> list[date]:
    days: list[date] = []
    cursor = start.replace(day=1) if period == "month" else start
    while cursor <= end:
        days.append(cursor)
        if period == "month":
            cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            cursor += timedelta(days=1)
    return days


def fees_per_period(
    *, account: AllegroAccount, start: date, end: date, period: str
) -> list[PeriodRow]:
    """Fees (as costs) per day or per month and fee group, every period listed, oldest first."""
    trunc = TruncMonth if period == "month" else TruncDay
    rows = {
        d: PeriodRow(d, {g.value: ZERO for g in FeeGroup})
        for d in period_starts(start, end, period)
    }
    sums = (
        entries_between(account=account, start=start, end=end)
        .order_by()
        .annotate(bucket=trunc("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("bucket", "group")
        .annotate(amount=Sum("amount"))
    )
    for item in sums:
        bucket = item["bucket"]
        day = bucket.date() if isinstance(bucket, datetime) else bucket
        row = rows.get(day)
        if row is not None:
            # SQLite sums decimals as floats: back to cents.
            cost = -Decimal(str(item["amount"])).quantize(CENT)
            row.by_group[item["group"]] = row.by_group.get(item["group"], ZERO) + cost
    return list(rows.values())


def unmatched_entries(
    *, account: AllegroAccount, start: date, end: date
) -> QuerySet[AllegroBillingEntry]:
    """Entries tied to no imported order (no order id, or an order not in the shop)."""
    return entries_between(account=account, start=start, end=end).filter(form__isnull=True)
