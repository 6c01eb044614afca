from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

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


def emulator_offer(
    state: Any, seller_id: str, product: Product, *, price: str, available: int
) -> Any:
    """An ACTIVE BUY_NOW offer of ``product`` on the emulator (``state`` = its ``world.sale``),
    made like the seller's first active one."""
    from fake_allegro.sale.state import Offer

    template = next(
        o
        for o in state.seller_offers(seller_id)
        if o.status == "ACTIVE" and o.selling_format == "BUY_NOW"
    )
    now = state.now()
    remote = Offer(
        id=state.new_offer_id(),
        seller_id=seller_id,
        name=product.name,
        category_id=template.category_id,
        price=price,
        currency="PLN",
        available=available,
        stock_unit="UNIT",
        external_id=product.sku,
        selling_format="BUY_NOW",
        status="ACTIVE",
        created_at=now,
        updated_at=now,
        started_at=now,
    )
    remote.data = copy.deepcopy(template.data)
    remote.data["sellingMode"] = {
        "format": "BUY_NOW",
        "price": {"amount": price, "currency": "PLN"},
    }
    remote.data["external"] = {"id": product.sku}
    state.offers[remote.id] = remote
    return remote


def emulator_offer_linked(
    state: Any, account: Any, product: Product, *, price: str, available: int, accepted: bool = True
) -> tuple[Any, Any]:
    """An ACTIVE BUY_NOW offer on the emulator (``state`` = its ``world.sale``) and its mirror
    linked to ``product``; ``accepted``: the link counts as already synced (no first-sync
    preview). Returns (mirror, remote)."""
    from shop.allegro.models import AllegroOffer, OfferLinkStatus, OfferStatus
    from shop.allegro.sync.services.held import offers_link_accept

    remote = emulator_offer(state, account.seller_id, product, price=price, available=available)
    mirror = AllegroOffer.objects.create(
        account=account,
        product=product,
        link_status=OfferLinkStatus.CONFIRMED,
        allegro_id=remote.id,
        external_id=product.sku,
        status=OfferStatus.ACTIVE,
        name=product.name,
        price=Decimal(price),
        stock_available=available,
    )
    if accepted:
        offers_link_accept(offers=[mirror])
    return mirror, remote
