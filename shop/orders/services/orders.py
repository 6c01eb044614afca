from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.core.errors import ApplicationError
from shop.core.money import quantize
from shop.core.users import acting_user
from shop.orders.models import Address, Channel, Order, OrderEvent, OrderItem, OrderStatus
from shop.orders.signals import order_status_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from shop.catalog.models import Product


class InvalidTransition(ApplicationError):
    pass


@dataclass(frozen=True)
class ItemData:
    name: str
    quantity: int
    unit_price: Decimal
    product: Product | None = None
    sku: str = ""
    ean: str = ""
    vat_rate: str = ""
    external_id: str = ""


NUMBER_PREFIX = {Channel.SHOP: "S", Channel.ALLEGRO: "A"}


def order_number_for(order: Order) -> str:
    prefix = NUMBER_PREFIX.get(Channel(order.channel), "Z")
    return f"{prefix}/{order.placed_at:%Y}/{order.pk:06d}"


def address_create(data: dict[str, Any] | None) -> Address | None:
    return Address.objects.create(**data) if data else None


def order_totals_recalculate(*, order: Order) -> None:
    items_total = sum((item.line_total for item in order.items.all()), Decimal(0))
    order.items_total = quantize(items_total)
    order.total = quantize(items_total + order.delivery_cost)
    order.save(update_fields=["items_total", "total", "updated_at"])


@transaction.atomic
def order_create(
    *,
    channel: str = Channel.SHOP,
    items: Iterable[ItemData],
    placed_at: datetime | None = None,
    billing_address: dict[str, Any] | None = None,
    shipping_address: dict[str, Any] | None = None,
    **fields: Any,
) -> Order:
    """Create an order with its items and computed totals; the number comes from the id."""
    order = Order.objects.create(
        channel=channel,
        number=f"tmp-{uuid.uuid4().hex[:27]}",  # unique until the id-based number replaces it
        placed_at=placed_at or timezone.now(),
        billing_address=address_create(billing_address),
        shipping_address=address_create(shipping_address),
        **fields,
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            product=item.product,
            name=item.name,
            quantity=item.quantity,
            unit_price=quantize(item.unit_price),
            sku=item.sku or (item.product.sku if item.product else ""),
            ean=item.ean or (item.product.ean if item.product else ""),
            vat_rate=item.vat_rate or (item.product.vat_rate if item.product else ""),
            external_id=item.external_id,
        )
        for item in items
    )
    order.number = order_number_for(order)
    order.save(update_fields=["number"])
    order_totals_recalculate(order=order)
    OrderEvent.objects.create(order=order, from_status="", to_status=order.status)
    return order


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
