"""What a channel hands the shop to create orders: plain values, no database.

A channel (the shop's checkout, a marketplace import) maps its own data into ``OrderDraft``s and
gives them to ``shop.orders.services.orders.orders_create_many``, which writes the rows, numbers
the orders and records their first status. Strings are expected already cut to their columns;
``draft_problems`` names what would not fit instead of letting the database refuse a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from shop.orders.models import ChargeKind, FundedBy, OrderStatus, PaymentStatus

if TYPE_CHECKING:
    from shop.catalog.models import Product

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class AddressDraft:
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country_code: str = "PL"
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """One line; SKU, EAN and VAT rate fall back to the product's when left empty."""

    name: str
    quantity: int
    unit_price: Decimal
    product: Product | None = None
    sku: str = ""
    ean: str = ""
    vat_rate: str = ""
    external_id: str = ""  # the channel's line id
    list_unit_price: Decimal | None = None  # before discounts; None: no discount
    deposit: Decimal = ZERO  # a returnable deposit per unit, on top of the price


@dataclass(frozen=True, slots=True)
class ChargeDraft:
    """A money line beside the items and delivery (see ``OrderCharge``)."""

    kind: str
    name: str
    amount: Decimal  # the line's total
    quantity: int = 1
    in_total: bool = True  # adds to what the buyer pays
    funded_by: str = ""
    external_id: str = ""
    item_index: int | None = None  # the item (index in ``OrderDraft.items``) it belongs to


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """One order; totals left as None are computed from its lines (``lines_total``)."""

    items: Sequence[ItemDraft]
    charges: Sequence[ChargeDraft] = ()
    external_id: str = ""  # the channel's order id, unique per channel when given
    status: str = OrderStatus.NEW
    placed_at: datetime | None = None  # None: now
    shipping_address: AddressDraft | None = None
    billing_address: AddressDraft | None = None
    customer_email: str = ""
    customer_name: str = ""
    customer_company: str = ""
    customer_login: str = ""
    customer_phone: str = ""
    pickup_point_id: str = ""
    pickup_point_name: str = ""
    pickup_point_address: str = ""
    invoice_required: bool = False
    invoice_company_name: str = ""
    invoice_nip: str = ""
    invoice_due_date: date | None = None
    invoice_flags: Sequence[str] = ()
    delivery_method: str = ""
    delivery_cost: Decimal = ZERO
    delivery_free_by_programme: bool = False
    payment_method: str = ""
    payment_status: str = PaymentStatus.PENDING
    paid_amount: Decimal = ZERO
    items_total: Decimal | None = None
    total: Decimal | None = None
    refunded_amount: Decimal = ZERO
    currency: str = "PLN"
    customer_note: str = ""
    seller_note: str = ""
    internal_note: str = ""
    needs_attention: bool = False
    attention_reason: str = ""


# Column lengths of the strings a draft carries (``shop.orders.models``).
ORDER_LIMITS = {
    "external_id": 64,
    "customer_name": 200,
    "customer_company": 200,
    "customer_login": 100,
    "customer_phone": 32,
    "customer_email": 254,
    "pickup_point_id": 64,
    "pickup_point_name": 200,
    "pickup_point_address": 255,
    "invoice_company_name": 200,
    "invoice_nip": 20,
    "delivery_method": 200,
    "payment_method": 64,
    "attention_reason": 255,
}
CHARGE_LIMITS = {"name": 255, "external_id": 64}
ITEM_LIMITS = {"name": 255, "sku": 64, "ean": 14, "vat_rate": 3, "external_id": 64}
ADDRESS_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "company_name": 200,
    "street": 200,
    "postal_code": 16,
    "city": 100,
    "country_code": 2,
    "phone": 32,
}


ORDER_STATUSES = frozenset(OrderStatus.values)
PAYMENT_STATUSES = frozenset(PaymentStatus.values)
CHARGE_KINDS = frozenset(ChargeKind.values)
FUNDERS = frozenset(FundedBy.values) | {""}


def lines_total(draft: OrderDraft) -> Decimal:
    """What the draft's lines add up to: items, their deposits, charges counted in, delivery."""
    items = sum((i.unit_price * i.quantity for i in draft.items), ZERO)
    deposits = sum((i.deposit * i.quantity for i in draft.items), ZERO)
    charges = sum((c.amount for c in draft.charges if c.in_total), ZERO)
    return items + deposits + charges + draft.delivery_cost


def _too_long(obj: object, limits: dict[str, int], where: str) -> list[str]:
    return [
        f"{where}{name}: longer than {limit} characters"
        for name, limit in limits.items()
        if len(getattr(obj, name)) > limit
    ]


def _finite(amount: object) -> bool:
    return isinstance(amount, Decimal) and amount.is_finite()


def draft_problems(draft: OrderDraft) -> list[str]:
    """Why ``draft`` cannot become an order (empty when it can)."""
    problems = _too_long(draft, ORDER_LIMITS, "")
    if draft.status not in ORDER_STATUSES:
        problems.append(f"status: unknown {draft.status!r}")
    if draft.payment_status not in PAYMENT_STATUSES:
        problems.append(f"payment_status: unknown {draft.payment_status!r}")
    if len(draft.currency) != 3:
        problems.append(f"currency: not a 3-letter code {draft.currency!r}")
    if draft.placed_at is not None and draft.placed_at.tzinfo is None:
        problems.append("placed_at: without a time zone")
    amounts = (draft.delivery_cost, draft.paid_amount, draft.refunded_amount)
    if not all(_finite(amount) for amount in amounts):
        problems.append("delivery_cost, paid_amount, refunded_amount: not finite Decimals")
    for name, total in (("items_total", draft.items_total), ("total", draft.total)):
        if total is not None and not _finite(total):
            problems.append(f"{name}: not a finite Decimal")
    if draft.shipping_address is not None:
        problems += _too_long(draft.shipping_address, ADDRESS_LIMITS, "shipping_address.")
    if draft.billing_address is not None:
        problems += _too_long(draft.billing_address, ADDRESS_LIMITS, "billing_address.")
    for index, item in enumerate(draft.items):
        where = f"items[{index}]."
        problems += _too_long(item, ITEM_LIMITS, where)
        if not item.name:
            problems.append(f"{where}name: empty")
        if type(item.quantity) is not int:
            problems.append(f"{where}quantity: not a whole number")
        elif item.quantity < 0:
            problems.append(f"{where}quantity: negative")
        if not _finite(item.unit_price):
            problems.append(f"{where}unit_price: not a finite Decimal")
        if not _finite(item.deposit):
            problems.append(f"{where}deposit: not a finite Decimal")
        if item.list_unit_price is not None and not _finite(item.list_unit_price):
            problems.append(f"{where}list_unit_price: not a finite Decimal")
    for index, charge in enumerate(draft.charges):
        where = f"charges[{index}]."
        problems += _too_long(charge, CHARGE_LIMITS, where)
        if charge.kind not in CHARGE_KINDS:
            problems.append(f"{where}kind: unknown {charge.kind!r}")
        if charge.funded_by not in FUNDERS:
            problems.append(f"{where}funded_by: unknown {charge.funded_by!r}")
        if not _finite(charge.amount):
            problems.append(f"{where}amount: not a finite Decimal")
        if charge.item_index is not None and not 0 <= charge.item_index < len(draft.items):
            problems.append(f"{where}item_index: no such item")
    return problems
