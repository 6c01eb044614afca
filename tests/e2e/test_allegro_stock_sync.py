# mypy: allow-untyped-defs
from __future__ import annotations

import copy
import time
from decimal import Decimal

import pytest

from fake_allegro.sale.state import Offer
from shop.allegro.models import AllegroOffer, OfferLinkStatus, OfferStatus
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stock_change_in_the_shop_reaches_the_allegro_offer(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    state = live_emulator.emulator.world.sale
    seller_id = linked_live_account.seller_id
    template = next(o for o in state.seller_offers(seller_id) if o.status == "ACTIVE")
    product = Product.objects.create(
        name="Kubek termiczny", sku="KUBEK-SYNC", price=Decimal("39.00"), stock=5
    )
    now = state.now()
    remote = Offer(
        id=state.new_offer_id(),
        seller_id=seller_id,
        name=product.name,
        category_id=template.category_id,
        price="39.00",
        currency="PLN",
        available=5,
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
        "price": {"amount": "39.00", "currency": "PLN"},
    }
    state.offers[remote.id] = remote
    AllegroOffer.objects.create(
        account=linked_live_account,
        product=product,
        link_status=OfferLinkStatus.CONFIRMED,
        allegro_id=remote.id,
        status=OfferStatus.ACTIVE,
        name=product.name,
        price=Decimal("39.00"),
        stock_available=5,
    )

    page.goto(page.base_url + "/backend/catalog/product/")
    page.locator(f'a.stock-adjust-link[href$="/{product.pk}/stock/"]:visible').click()
    page.fill("input[name=delta]", "7")
    page.select_option("select[name=reason]", "delivery")
    page.click("form.bo-form button[type=submit]")
    page.wait_for_url("**/backend/catalog/product/")

    deadline = time.time() + 10
    while remote.available != 12 and time.time() < deadline:
        time.sleep(0.1)
    assert remote.available == 12

    page.goto(page.base_url + "/backend/allegro/sync/")
    commands = page.locator("#sync-commands")
    assert "12" in commands.inner_text()
    screenshot(page, "allegro-stock-sync")
