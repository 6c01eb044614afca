"""Allegro fees in the browser: the Rozliczenia page (chart, month view, CSV) and an order's
fees block with the margin left."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from fake_allegro.world import iso
from shop.allegro.billing.services import billing_import
from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.services.importer import orders_import
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.factories import ProductFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_settlements_page_and_order_fees(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    created = live_emulator.control("/purchases", {"synthetic": True, "count": 2, "items": 1})
    orders_import(account=linked_live_account, sweep=False)
    now = iso(timezone.now())
    live_emulator.control(
        "/billing/entries",
        {
            "type": "FEA",
            "amount": "-4.90",
            "offerId": "1234",
            "offerName": "Kubek",
            "occurredAt": now,
        },
    )
    live_emulator.control("/clock", {"advance_seconds": 300})
    stats = billing_import(account=linked_live_account)
    assert stats.entries_created >= 5

    page.goto(f"{page.base_url}/backend/allegro/orders/")
    page.get_by_role("link", name="Rozliczenia").first.click()
    page.wait_for_url("**/allegro/settlements/**")
    assert page.locator("#chart-fees rect.bar").count() >= 2
    sums = page.locator("#settlement-sum").inner_text()
    assert "zł" in sums
    assert "Kubek" in page.locator("#unmatched").inner_text()
    assert "FEA" not in page.locator("body").inner_text()
    screenshot(page, "allegro_settlements_days")

    page.check("input[name=period][value=month]")
    page.click("#settlement-filter")
    page.wait_for_url("**period=month**")
    assert page.locator("#settlement-totals th").first.inner_text() == "Miesiąc"
    with page.expect_download() as info:
        page.click("#settlement-csv")
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("\ufeffData;Rodzaj operacji;")
    assert "Opłata za wyróżnienie;Promowanie;-4,90;PLN" in csv_text

    form = AllegroCheckoutForm.objects.get(form_id=created["checkoutFormIds"][0])
    line = form.items.get()
    item = line.order_item
    item.product = ProductFactory(purchase_price=Decimal("3.00"))
    item.save()
    page.goto(f"{page.base_url}/backend/allegro/orders/{form.pk}/")
    fees = page.locator("#order-fees")
    text = fees.inner_text()
    for label in ("Prowizje", "Opłaty za dostawę", "Promowanie", "Opłaty razem", "Zostaje (marża)"):
        assert label in text, label
    assert "brak ceny zakupu" not in text
    assert page.locator("#order-margin").inner_text().endswith("PLN")
    fees.scroll_into_view_if_needed()
    fees.screenshot(path=str(ARTIFACTS / "allegro_order_fees_block.png"))
    screenshot(page, "allegro_order_fees")

    other = AllegroCheckoutForm.objects.get(form_id=created["checkoutFormIds"][1])
    page.goto(f"{page.base_url}/backend/allegro/orders/{other.pk}/")
    assert "brak ceny zakupu" in page.locator("#order-fees").inner_text()
