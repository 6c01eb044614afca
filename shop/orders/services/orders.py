from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.core.bulk import ids_reserve, rows_insert
from shop.core.errors import ApplicationError
from shop.core.money import quantize
from shop.core.users import acting_user
from shop.orders.drafts import (
    AddressDraft,
    ChargeDraft,
    ItemDraft,
    OrderDraft,
    draft_problems,
    lines_total,
)
from shop.orders.models import (
    Address,
    Channel,
    Order,
    OrderCharge,
    OrderEvent,
    OrderItem,
    OrderStatus,
)
from shop.orders.signals import order_status_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class InvalidTransition(ApplicationError):
    pass


class InvalidDraft(ApplicationError):
    """A draft that cannot become an order; the message names the draft and its problems."""


NUMBER_PREFIX = {Channel.SHOP: "S", Channel.ALLEGRO: "A"}


def order_number_for(order: Order) -> str:
    prefix = NUMBER_PREFIX.get(Channel(order.channel), "Z")
    return f"{prefix}/{order.placed_at:%Y}/{order.pk:06d}"


def address_build(draft: AddressDraft) -> Address:
    return Address(
        first_name=draft.first_name,
        last_name=draft.last_name,
        company_name=draft.company_name,
        street=draft.street,
        postal_code=draft.postal_code,
        city=draft.city,
        country_code=draft.country_code,
        phone=draft.phone,
    )


def address_values(draft: AddressDraft) -> dict[str, str]:
    """The ``Address`` columns of a draft (to compare with and update a stored address)."""
    return {name: getattr(draft, name) for name in AddressDraft.__slots__}


def order_item_build(order: Order, draft: ItemDraft) -> OrderItem:
    """An unsaved item of ``order``: a snapshot of the line, the product filling the gaps."""
    product = draft.product
    return OrderItem(
        order=order,
        product=product,
        external_id=draft.external_id,
        name=draft.name,
        sku=draft.sku or (product.sku[:64] if product else ""),
        ean=draft.ean or (product.ean[:14] if product else ""),
        quantity=draft.quantity,
        unit_price=quantize(draft.unit_price),
        list_unit_price=(
            quantize(draft.list_unit_price) if draft.list_unit_price is not None else None
        ),
        deposit=quantize(draft.deposit),
        vat_rate=draft.vat_rate or (product.vat_rate[:3] if product else ""),
    )


def order_charge_build(
    order: Order, draft: ChargeDraft, items: Sequence[OrderItem | None] = ()
) -> OrderCharge:
    """An unsaved money line of ``order``; ``items`` are the order's items, in draft order."""
    item = items[draft.item_index] if draft.item_index is not None and items else None
    return OrderCharge(
        order=order,
        item=item,
        kind=draft.kind,
        name=draft.name,
        quantity=draft.quantity,
        amount=quantize(draft.amount),
        in_total=draft.in_total,
        funded_by=draft.funded_by,
        external_id=draft.external_id,
    )


def _drafts_check(channel: str, drafts: Sequence[OrderDraft]) -> None:
    if channel not in Channel.values:
        raise InvalidDraft(f"unknown channel {channel!r}")
    errors: list[str] = []
    seen: set[str] = set()
    for index, draft in enumerate(drafts):
        problems = draft_problems(draft)
        if draft.external_id:
            if draft.external_id in seen:
                problems.append("external_id: twice in one batch")
            seen.add(draft.external_id)
        if problems:
            name = f"draft {index}" + (f" ({draft.external_id})" if draft.external_id else "")
            errors.append(f"{name}: {'; '.join(problems)}")
    if errors:
        raise InvalidDraft("; ".join(errors[:10]) + (" …" if len(errors) > 10 else ""))


def total_difference(draft: OrderDraft, total: Decimal) -> Decimal | None:
    """The channel's total minus what the lines add up to; None when they agree."""
    difference = quantize(total - lines_total(draft))
    return difference or None


def _order_build(channel: str, draft: OrderDraft, now: datetime) -> Order:
    items_total = draft.items_total
    if items_total is None:
        items_total = sum((quantize(i.unit_price) * i.quantity for i in draft.items), Decimal(0))
    total = draft.total if draft.total is not None else lines_total(draft)
    shipping, billing = draft.shipping_address, draft.billing_address
    return Order(
        channel=channel,
        external_id=draft.external_id,
        status=draft.status,
        placed_at=draft.placed_at or now,
        shipping_address=address_build(shipping) if shipping is not None else None,
        billing_address=address_build(billing) if billing is not None else None,
        customer_email=draft.customer_email,
        customer_name=draft.customer_name,
        customer_company=draft.customer_company,
        customer_login=draft.customer_login,
        customer_phone=draft.customer_phone,
        pickup_point_id=draft.pickup_point_id,
        pickup_point_name=draft.pickup_point_name,
        pickup_point_address=draft.pickup_point_address,
        invoice_required=draft.invoice_required,
        invoice_company_name=draft.invoice_company_name,
        invoice_nip=draft.invoice_nip,
        invoice_due_date=draft.invoice_due_date,
        invoice_flags=list(draft.invoice_flags),
        delivery_method=draft.delivery_method,
        delivery_cost=quantize(draft.delivery_cost),
        delivery_free_by_programme=draft.delivery_free_by_programme,
        payment_method=draft.payment_method,
        payment_status=draft.payment_status,
        paid_amount=quantize(draft.paid_amount),
        items_total=quantize(items_total),
        total=quantize(total),
        refunded_amount=quantize(draft.refunded_amount),
        total_difference=total_difference(draft, total),
        currency=draft.currency,
        customer_note=draft.customer_note,
        seller_note=draft.seller_note,
        internal_note=draft.internal_note,
        needs_attention=draft.needs_attention,
        attention_reason=draft.attention_reason,
    )


@dataclass(frozen=True)
class CreatedOrder:
    order: Order
    items: list[OrderItem]  # in the order of the draft's items


def orders_create_many(
    *, channel: str, drafts: Sequence[OrderDraft], note: str = ""
) -> list[CreatedOrder]:
    """Create orders with their addresses, items and first status event, numbered by id.

    The one way every channel creates shop orders. A constant number of queries whatever the
    number of drafts (bulk inserts; keys reserved first so the number goes in with the row).
    Runs inside the caller's transaction (or its own); invalid drafts raise ``InvalidDraft``
    before anything is written. Like ``bulk_create``, it sends no signals.
    """
    _drafts_check(channel, drafts)
    if not drafts:
        return []
    now = timezone.now()
    orders = [_order_build(channel, draft, now) for draft in drafts]
    with transaction.atomic(savepoint=False):
        rows_insert(
            Address,
            [a for o in orders for a in (o.shipping_address, o.billing_address) if a is not None],
        )
        for order in orders:
            # The addresses now have ids; refresh the cached *_id columns.
            order.shipping_address = order.shipping_address
            order.billing_address = order.billing_address
        for order, pk in zip(orders, ids_reserve(Order, len(orders)), strict=True):
            order.pk = pk
            order.number = order_number_for(order)
        rows_insert(Order, orders)
        created = [
            CreatedOrder(order, [order_item_build(order, item) for item in draft.items])
            for order, draft in zip(orders, drafts, strict=True)
        ]
        rows_insert(OrderItem, [item for c in created for item in c.items])
        rows_insert(
            OrderCharge,
            [
                order_charge_build(c.order, charge, c.items)
                for c, draft in zip(created, drafts, strict=True)
                for charge in draft.charges
            ],
        )
        rows_insert(
            OrderEvent,
            [OrderEvent(order=o, from_status="", to_status=o.status, note=note) for o in orders],
        )
    return created


def order_create(*, channel: str = Channel.SHOP, draft: OrderDraft, note: str = "") -> Order:
    """Create one order (see ``orders_create_many``)."""
    return orders_create_many(channel=channel, drafts=[draft], note=note)[0].order


def order_lines_total(order: Order) -> Decimal:
    """What a saved order's lines add up to (see ``drafts.lines_total``)."""
    items = list(order.items.all())
    charges = sum((c.amount for c in order.charges.all() if c.in_total), Decimal(0))
    deposits = sum((item.deposit_total for item in items), Decimal(0))
    items_total = sum((item.line_total for item in items), Decimal(0))
    return quantize(items_total + deposits + charges + order.delivery_cost)


def order_totals_recalculate(*, order: Order) -> None:
    """After a merchant edited a shop order's lines: its totals are its lines again."""
    items_total = sum((item.line_total for item in order.items.all()), Decimal(0))
    order.items_total = quantize(items_total)
    order.total = order_lines_total(order)
    order.total_difference = None
    order.save(update_fields=["items_total", "total", "total_difference", "updated_at"])


def order_set_status(
    *,
    order: Order,
    status: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    note: str = "",
    force: bool = False,
) -> Order:
    """Move an order along its pipeline; an invalid transition raises ``InvalidTransition``.

    ``force`` is for mirrors of a remote truth (a marketplace cancelled the order): the event is
    still recorded, but the pipeline is not consulted.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == status:
            return locked
        if not force and status not in locked.allowed_transitions():
            raise InvalidTransition(
                _("Nie można zmienić statusu zamówienia %(number)s z „%(old)s” na „%(new)s”.")
                % {
                    "number": locked.number,
                    "old": OrderStatus(locked.status).label,
                    "new": OrderStatus(status).label,
                }
            )
        previous = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=locked,
            from_status=previous,
            to_status=status,
            note=note,
            user=acting_user(user),
        )
        order_status_changed.send(
            sender=Order, order=locked, from_status=previous, to_status=status, user=user
        )
    order.status = status
    return locked
