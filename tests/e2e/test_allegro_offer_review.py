"""Do potwierdzenia: the demo's colliding offer is held, shown beside its product, confirmed."""

from __future__ import annotations

import pytest

from shop.allegro.models import AllegroOffer, LinkSource, OfferLinkStatus
from shop.catalog.demo import demo_catalog_load
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_held_offer_is_confirmed_from_the_review_page(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    demo_catalog_load(images=False)
    page.goto(page.base_url + "/backend/allegro/offers/")
    page.click("#import-offers")
    page.wait_for_selector("#offer-list tr[data-allegro-id]")
    # The seeded phone's sygnatura is a demo book's SKU: held, not linked.
    phone = AllegroOffer.objects.get(external_id="KS-0004")
    assert (phone.product, phone.link_status) == (None, OfferLinkStatus.TO_REVIEW)
    page.goto(page.base_url + "/backend/allegro/offers/")
    assert page.locator("#to-review-link .bo-badge").inner_text() == "1"
    screenshot(page, "allegro-offer-list-review-link")

    # The start page and the sidebar say something waits.
    page.goto(page.base_url + "/backend/")
    assert page.locator("#offers-to-review").is_visible()
    screenshot(page, "allegro-offer-review-dashboard")
    page.locator("#offers-to-review").click()
    page.wait_for_url("**/allegro/offers/review/")
    row = page.locator(f'#review-list tr[data-offer="{phone.pk}"]')
    assert "Smartfon Samsung" in row.inner_text() and "Solaris" in row.inner_text()
    assert "cena oferty daleka od ceny produktu" in row.inner_text()
    screenshot(page, "allegro-offer-review")

    row.locator("button", has_text="Potwierdź").click()
    page.wait_for_selector("#review-empty")
    assert "Potwierdzono powiązania: 1." in page.content()
    phone.refresh_from_db()
    assert (phone.product.sku, phone.link_status, phone.link_source) == (
        "KS-0004",
        OfferLinkStatus.CONFIRMED,
        LinkSource.SKU,
    )
    page.goto(page.base_url + "/backend/")
    assert page.locator("#offers-to-review").count() == 0
