from __future__ import annotations

import pytest

from shop.allegro.models import AllegroOffer, OfferStatus
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_offer_form(page, product: Product) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/backend/catalog/product/{product.pk}/change/")
    page.locator("#extra-options a", has_text="Dodaj").click()
    page.wait_for_url("**/backend/allegro/offers/new/**")


def choose(page, selector: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a parameter value and wait for the live refresh of the parameters."""
    page.evaluate(
        "window.__settled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.__settled = true; }, {once: true})"
    )
    page.select_option(selector, value)
    page.wait_for_function("window.__settled === true")


def choose_category(page, phrase: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#category-search", phrase)
    page.locator("button.choose-category", has_text=name).first.click()
    page.wait_for_selector("#offer-parameters [data-parameter]")


def test_list_a_book_where_new_condition_makes_isbn_required(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    demo_catalog_load(images=True)
    book = Product.objects.get(sku="KS-0001")
    open_offer_form(page, book)
    assert page.input_value("#id_name") == book.name
    page.fill("#id_name", "Lalka Bolesław Prus powieść wydanie kieszonkowe")

    choose_category(page, "powieść", "Literatura piękna")
    isbn = page.locator("#field-param_245669")
    choose(page, "#id_param_11323", "11323_2")
    assert "bo-required" not in (isbn.get_attribute("class") or "")
    choose(page, "#id_param_11323", "11323_1")
    assert "bo-required" in (isbn.get_attribute("class") or "")
    weight = page.eval_on_selector(
        "#field-param_245669 label", "el => getComputedStyle(el).fontWeight"
    )
    assert int(weight) >= 700
    assert page.input_value("#id_param_245669") == book.ean
    page.fill("#id_param_223489", "Bolesław Prus")

    page.select_option("#id_shipping_rates_id", index=1)
    page.select_option("#id_return_policy_id", index=1)
    page.select_option("#id_implied_warranty_id", index=1)
    page.fill("#id_safety_text", "Produkt bezpieczny, nie zawiera małych elementów.")
    screenshot(page, "offer-form-book")
    page.click("#publish")
    page.wait_for_url("**/backend/allegro/offers/*/edit/")
    page.wait_for_selector('#offer-status[data-status="active"]', timeout=30_000)
    number = page.inner_text("#offer-number")
    screenshot(page, "offer-book-active")

    offer = AllegroOffer.objects.get()
    assert offer.status == OfferStatus.ACTIVE and offer.allegro_id == number
    remote = live_emulator.emulator.world.sale.offers[number]
    assert remote.status == "ACTIVE"


def test_gold_fineness_appears_only_after_choosing_gold(staff_page, linked_live_account):
    page = staff_page
    demo_catalog_load(images=True)
    ring = Product.objects.get(sku="BZ-0001")
    open_offer_form(page, ring)
    choose_category(page, "Pierścionki", "Pierścionki")
    assert page.locator("#field-param_3771").count() == 0
    choose(page, "#id_param_3770", "3770_2")
    assert page.locator("#field-param_3772").count() == 1
    assert page.locator("#field-param_3771").count() == 0
    choose(page, "#id_param_3770", "3770_1")
    assert page.locator("#field-param_3771.bo-required").count() == 1
    assert page.locator("#field-param_3772").count() == 0
    screenshot(page, "offer-form-ring-gold")
