from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from fake_allegro import Emulator
from shop.allegro.models import AllegroAccount, LinkStatus, Province

EMULATOR_URL = "http://fake-allegro.test"
SITE = "127.0.0.1:8000"


@pytest.fixture
def allegro(emulator: Emulator, settings) -> Emulator:  # type: ignore[no-untyped-def]
    """The back office talks to this in-process emulator (no sockets)."""
    settings.ALLEGRO_EMULATOR_URL = EMULATOR_URL
    settings.SITE_URL = f"http://{SITE}"
    settings.ALLEGRO_TRANSPORT_FACTORY = lambda: httpx.WSGITransport(app=emulator.wsgi)
    # Operations finish on the next poll without a real wait.
    emulator.world.sale.retry_after = 0
    cache.clear()
    return emulator


@pytest.fixture
def site_client(staff_user) -> Client:  # type: ignore[no-untyped-def]
    """A staff browser at the shop's registered address."""
    client = Client(HTTP_HOST=SITE)
    client.force_login(staff_user)
    return client


@pytest.fixture
def configured_account(allegro: Emulator) -> AllegroAccount:
    app = allegro.demo_application
    return AllegroAccount.objects.create(
        enabled=True,
        client_id=app.client_id,
        client_secret=app.client_secret,
        province=Province.WIELKOPOLSKIE,
        city="Poznań",
        post_code="61-001",
    )


@pytest.fixture
def linked_account(allegro: Emulator, configured_account: AllegroAccount) -> AllegroAccount:
    tokens = allegro.issue_tokens()
    seller = allegro.demo_seller
    account = configured_account
    account.access_token = tokens["access_token"]
    account.refresh_token = tokens["refresh_token"]
    account.token_expires_at = timezone.now() + timedelta(seconds=int(tokens["expires_in"]))
    account.status = LinkStatus.LINKED
    account.seller_id = seller.id
    account.login = seller.login
    account.linked_at = timezone.now()
    account.save()
    return account


@pytest.fixture
def synced_offer_factory(allegro: Emulator, linked_account: AllegroAccount):  # type: ignore[no-untyped-def]
    """Make a product, an ACTIVE offer on the emulator and its linked mirror in one call."""
    import copy
    from decimal import Decimal

    from fake_allegro.sale.state import Offer
    from shop.allegro.models import AllegroOffer, OfferLinkStatus, OfferStatus
    from shop.catalog.models import Product

    state = allegro.world.sale
    counter = iter(range(1, 100_000))
    template = next(
        o
        for o in state.seller_offers(linked_account.seller_id)
        if o.status == "ACTIVE" and o.selling_format == "BUY_NOW"
    )

    def make(*, stock: int = 10, price: str = "50.00", offer_stock: int | None = None):  # type: ignore[no-untyped-def]
        n = next(counter)
        product = Product.objects.create(
            name=f"Produkt sync {n}", sku=f"SYNC-{n}", price=Decimal(price), stock=stock
        )
        now = state.now()
        remote = Offer(
            id=state.new_offer_id(),
            seller_id=linked_account.seller_id,
            name=product.name,
            category_id=template.category_id,
            price=price,
            currency="PLN",
            available=stock if offer_stock is None else offer_stock,
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
        mirror = AllegroOffer.objects.create(
            account=linked_account,
            product=product,
            link_status=OfferLinkStatus.CONFIRMED,
            allegro_id=remote.id,
            external_id=product.sku,
            status=OfferStatus.ACTIVE,
            name=product.name,
            price=Decimal(price),
            stock_available=remote.available,
        )
        return product, mirror, remote

    return make
