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


def test_the_price_rule_preview_says_which_prices_stay_and_which_wait(
    staff_page, linked_live_account, live_emulator
):
    """A new rule's preview in the browser: an offer priced by hand stays as it is, a price
    below the purchase price waits for the merchant; "Zastosuj i wyślij" then does just that."""
    from shop.allegro.models.sync import HeldChange, HeldReason, OfferSync

    page = staff_page
    state = live_emulator.emulator.world.sale
    made = []
    for n, purchase in enumerate((None, None, Decimal("120.00")), start=1):
        product = Product.objects.create(
            name=f"Termos stalowy {n}",
            sku=f"TERMOS-{n}",
            price=Decimal("100.00"),
            purchase_price=purchase,
            stock=4,
        )
        made.append(
            emulator_offer_linked(state, linked_live_account, product, price="100.00", available=4)
        )
    (_m1, plain), (own_mirror, own), (_m3, guarded) = made
    OfferSync.objects.update_or_create(
        offer=own_mirror, defaults={"price_override": Decimal("100.00")}
    )

    page.goto(page.base_url + "/backend/allegro/sync/")
    page.fill("input[name=markup]", "1.10")
    page.click("#price-preview")
    summary = page.locator("#preview-summary").inner_text()
    assert "Zmiana ceny w 2 z 3 ofert." in summary
    assert "1 z nich zostanie wstrzymana" in summary
    notes = {
        row.get_attribute("data-offer"): row.locator(".preview-note").inner_text()
        for row in page.locator("#preview-table tbody tr").all()
    }
    assert notes[plain.id] == ""
    assert notes[own.id] == "cena ustawiona ręcznie — reguła jej nie zmieni"
    assert notes[guarded.id] == "zostanie wstrzymana: cena poniżej ceny zakupu"
    screenshot(page, "allegro-price-rule-preview")

    page.click("#price-apply")
    page.wait_for_url("**/backend/allegro/sync/")
    deadline = time.time() + 10
    while plain.price != "110.00" and time.time() < deadline:
        time.sleep(0.1)
    assert (plain.price, own.price, guarded.price) == ("110.00", "100.00", "100.00")
    assert HeldChange.objects.get(offer__allegro_id=guarded.id).reason == HeldReason.BELOW_PURCHASE
