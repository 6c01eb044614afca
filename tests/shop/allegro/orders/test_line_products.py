"""An order line takes its product from the offer's confirmed link; an offer waiting for the
merchant's review does not get one from its sygnatura (the key the review refused)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fake_allegro import Emulator
from shop.allegro.models import AllegroCheckoutForm, AllegroOffer, OfferLinkStatus, OfferStatus
from shop.allegro.orders.services.importer import orders_import
from shop.catalog.models import Product
from tests.factories import emulator_offer

pytestmark = pytest.mark.django_db


def _bought(emulator: Emulator, remote: Any) -> str:
    with emulator.http_client() as http:
        response = http.post(
            "/_emulator/purchases",
            json={
                "offers": [
                    {
                        "id": remote.id,
                        "name": remote.name,
                        "quantity": 1,
                        "price": remote.price,
                        "externalId": remote.external_id,
                    }
                ],
                "paymentType": "ONLINE",
                "items": 1,
                "extras": {},
            },
        )
    assert response.status_code == 201, response.text
    return str(response.json()["checkoutFormIds"][0])


@pytest.mark.parametrize(
    "link_status", [OfferLinkStatus.TO_REVIEW, OfferLinkStatus.REJECTED, OfferLinkStatus.NONE]
)
def test_an_offer_without_a_confirmed_link_takes_no_stock_by_its_sygnatura(
    allegro: Emulator, linked_account: Any, link_status: str
) -> None:
    book = Product.objects.create(name="Solaris", sku="KS-0004", price=Decimal("34.99"), stock=5)
    remote = emulator_offer(
        allegro.world.sale, linked_account.seller_id, book, price="3499.00", available=2
    )
    remote.name = "Smartfon Samsung Galaxy S24"
    AllegroOffer.objects.create(
        account=linked_account,
        link_status=link_status,
        proposed_product=book if link_status == OfferLinkStatus.TO_REVIEW else None,
        allegro_id=remote.id,
        external_id=book.sku,
        status=OfferStatus.ACTIVE,
        name=remote.name,
        price=Decimal("3499.00"),
        stock_available=2,
    )
    form_id = _bought(allegro, remote)
    orders_import(account=linked_account, sweep=False)

    line = AllegroCheckoutForm.objects.get(form_id=form_id).items.select_related("order_item").get()
    assert line.order_item is not None and line.order_item.product is None
    book.refresh_from_db()
    assert book.stock == 5


def test_an_offer_the_shop_does_not_know_yet_is_matched_by_its_sygnatura(
    allegro: Emulator, linked_account: Any
) -> None:
    book = Product.objects.create(name="Solaris", sku="KS-0004", price=Decimal("34.99"), stock=5)
    remote = emulator_offer(
        allegro.world.sale, linked_account.seller_id, book, price="34.99", available=2
    )
    form_id = _bought(allegro, remote)
    orders_import(account=linked_account, sweep=False)

    line = AllegroCheckoutForm.objects.get(form_id=form_id).items.select_related("order_item").get()
    assert line.order_item is not None and line.order_item.product == book
