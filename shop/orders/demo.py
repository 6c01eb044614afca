"""A few shop orders so that the start page has something to show."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shop.catalog.models import Product
from shop.orders.drafts import AddressDraft, ItemDraft, OrderDraft
from shop.orders.models import Channel, Order, PaymentStatus
from shop.orders.services.orders import orders_create_many

DEMO_CUSTOMERS = [
    ("Anna Kowalska", "anna.kowalska@example.pl", "ul. Długa 5/3", "31-147", "Kraków"),
    ("Piotr Wiśniewski", "piotr.wisniewski@example.pl", "ul. Żeromskiego 12", "90-001", "Łódź"),
    ("Małgorzata Zając", "m.zajac@example.pl", "al. Grunwaldzka 44", "80-241", "Gdańsk"),
    ("Łukasz Nowak", "lukasz.nowak@example.pl", "ul. Świętojańska 9", "81-368", "Gdynia"),
]


def demo_orders_load() -> int:
    products = list(Product.objects.order_by("sku")[:8])
    if not products:
        return 0
    drafts: list[OrderDraft] = []
    now = timezone.now()
    for i, (name, email, street, code, city) in enumerate(DEMO_CUSTOMERS):
        external_id = f"demo-{i + 1}"
        if Order.objects.filter(channel=Channel.SHOP, external_id=external_id).exists():
            continue
        first, last = name.split(" ", 1)
        address = AddressDraft(
            first_name=first, last_name=last, street=street, postal_code=code, city=city
        )
        picked = products[i * 2 : i * 2 + 2]
        drafts.append(
            OrderDraft(
                external_id=external_id,
                placed_at=now - timedelta(hours=i * 3),
                customer_name=name,
                customer_email=email,
                billing_address=address,
                shipping_address=address,
                delivery_method="Kurier InPost",
                delivery_cost=Decimal("14.99"),
                payment_method="przelew",
                payment_status=PaymentStatus.PAID if i % 2 == 0 else PaymentStatus.PENDING,
                items=[
                    ItemDraft(name=p.name, quantity=1 + (i % 2), unit_price=p.price, product=p)
                    for p in picked
                ],
            )
        )
    return len(orders_create_many(channel=Channel.SHOP, drafts=drafts))
