from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from shop.catalog.demo import with_check_digit
from shop.catalog.models import Product
from shop.orders.models import Order


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Produkt testowy {n}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    ean = factory.Sequence(lambda n: with_check_digit(f"5901234{n:05d}"))
    price = Decimal("49.99")
    vat_rate = "23"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"T/{n:06d}")
    placed_at = factory.LazyFunction(timezone.now)
    customer_name = "Zofia Żółć"
    customer_email = "zofia@example.pl"
