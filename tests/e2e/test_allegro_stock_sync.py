# mypy: allow-untyped-defs
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from shop.catalog.models import Product
from tests.e2e.conftest import screenshot
from tests.factories import emulator_offer_linked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stock_change_in_the_shop_reaches_the_allegro_offer(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    state = live_emulator.emulator.world.sale
    product = Product.objects.create(
        name="Kubek termiczny", sku="KUBEK-SYNC", price=Decimal("39.00"), stock=5
    )
    _mirror, remote = emulator_offer_linked(
        state, linked_live_account, product, price="39.00", available=5
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
