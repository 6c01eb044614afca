# mypy: allow-untyped-defs
"""Edycja of an active linked offer: the price the merchant sets stays through the sync."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shop.allegro.models import AllegroOffer, OfferLinkStatus, OfferStatus
from shop.allegro.sync.services.held import offers_link_accept
from shop.allegro.sync.services.push import stock_sync_flush
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot
from tests.shop.allegro.sync.offer_edits import product_change, remote_active_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_price_set_in_the_offer_form_survives_ten_sync_rounds(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    state = live_emulator.emulator.world.sale
    product = Product.objects.create(
        name="Kubek termiczny stalowy", sku="KUBEK-EDIT", price=Decimal("39.00"), stock=6
    )
    remote = remote_active_offer(state, linked_live_account.seller_id, product)
    offer = AllegroOffer.objects.create(
        account=linked_live_account,
        product=product,
        link_status=OfferLinkStatus.CONFIRMED,
        allegro_id=remote.id,
        external_id=product.sku,
        status=OfferStatus.ACTIVE,
        name=product.name,
        price=Decimal("39.00"),
        stock_available=6,
    )
    offers_link_accept(offers=[offer])  # the merchant already confirmed this link

    page.goto(f"{page.base_url}/backend/allegro/offers/{offer.pk}/edit/")
    assert "z produktu wg reguły cenowej: 39,00 zł" in page.inner_text("#price-origin")
    assert "stan produktu minus rezerwa: 6" in page.inner_text("#quantity-origin")
    page.fill("#id_price", "44.00")
    page.click("button[name=save]")
    page.wait_for_url(f"**/offers/{offer.pk}/edit/")
    body = page.inner_text("body")
    assert "Zaktualizowano ofertę na Allegro." in body
    assert "Zapisano szkic oferty." not in body
    assert "Cena 44,00 zł jest odtąd ustawiona ręcznie" in body
    assert "ustawione ręcznie (nadpisanie): 44,00 zł" in page.inner_text("#price-origin")
    screenshot(page, "offer-edit-override")
    assert remote.price == "44.00"

    for round_ in range(1, 11):
        product_change(product, stock_delta=2 if round_ % 2 else -1, price=f"{40 + round_}.00")
        stock_sync_flush(account_id=linked_live_account.pk, debounce=False)
        assert remote.price == "44.00", round_
        assert remote.available == product.stock, round_

    page.goto(f"{page.base_url}/backend/allegro/offers/")
    row = page.locator(f'tr[data-offer="{offer.pk}"]')
    assert row.locator(".offer-override").inner_text() == "nadpisane ręcznie"
    screenshot(page, "offer-list-override")

    page.goto(f"{page.base_url}/backend/allegro/offers/{offer.pk}/edit/")
    page.click("#sync-restore")
    page.wait_for_url(f"**/offers/{offer.pk}/edit/")
    stock_sync_flush(account_id=linked_live_account.pk, debounce=False)
    assert remote.price == "50.00" == str(product.price)
    page.reload()
    assert "z produktu wg reguły cenowej: 50,00 zł" in page.inner_text("#price-origin")
    assert page.locator("#sync-restore").count() == 0
