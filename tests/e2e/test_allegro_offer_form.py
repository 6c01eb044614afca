from __future__ import annotations

import pytest

from shop.allegro.models import AllegroOffer, OfferStatus
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from tests.e2e.conftest import ARTIFACTS, hold_requests, screenshot, wait_until_held

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


def test_typing_while_the_parameters_refresh_keeps_the_value_and_the_caret(
    staff_page, linked_live_account
):
    page = staff_page
    demo_catalog_load(images=True)
    book = Product.objects.get(sku="KS-0001")
    open_offer_form(page, book)
    choose_category(page, "powieść", "Literatura piękna")
    author = "#id_param_223489"
    assert "bo-required" not in (page.get_attribute("#field-param_245669", "class") or "")

    held = hold_requests(page, "**/allegro/offers/form/parameters/")
    page.select_option("#id_param_11323", "11323_1")  # "nowy": a refresh of the block starts
    wait_until_held(page, held)
    page.click(author)
    page.keyboard.type("Prus")
    page.keyboard.press("Home")
    page.evaluate(
        "window.__settled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.__settled = true; }, {once: true})"
    )
    held[0].continue_()
    page.wait_for_function("window.__settled === true")

    # The refresh did its work (a new book needs its ISBN) and left the author as typed,
    # with the field still focused and the caret where it was.
    assert "bo-required" in (page.get_attribute("#field-param_245669", "class") or "")
    assert page.evaluate("document.activeElement.id") == author[1:]
    page.keyboard.type("Bolesław ")
    assert page.input_value(author) == "Bolesław Prus"
    # A value nobody touched while the request ran is the server's to render.
    assert page.input_value("#id_param_11323") == "11323_1"
    screenshot(page, "offer-form-typed-during-refresh")


def test_a_rejected_form_scrolls_to_and_focuses_its_first_wrong_field(
    staff_page, linked_live_account
):
    page = staff_page
    demo_catalog_load(images=True)
    book = Product.objects.get(sku="KS-0001")
    open_offer_form(page, book)
    page.fill("#id_name", "Lalka Bolesław Prus powieść wydanie kieszonkowe")
    choose_category(page, "powieść", "Literatura piękna")
    choose(page, "#id_param_11323", "11323_1")
    page.fill("#id_param_245669", "")  # ISBN, required for a new book
    page.fill("#id_param_223489", "Bolesław Prus")
    page.select_option("#id_shipping_rates_id", index=1)
    page.select_option("#id_return_policy_id", index=1)
    page.select_option("#id_implied_warranty_id", index=1)
    page.fill("#id_safety_text", "Produkt bezpieczny, nie zawiera małych elementów.")
    page.evaluate("window.scrollTo(0, 0)")
    page.click("#publish")
    page.wait_for_selector("#form-errors")

    first_wrong = page.evaluate(
        "document.querySelector('form .bo-field-error :is(input, select, textarea)').id"
    )
    assert first_wrong == "id_param_245669"
    assert page.evaluate("document.activeElement.id") == first_wrong
    box = page.locator(f"#{first_wrong}").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert page.evaluate("window.scrollY") > 0  # the field is far down the form
    page.screenshot(path=str(ARTIFACTS / "offer-form-first-error.png"))  # the viewport only
    assert not AllegroOffer.objects.filter(status=OfferStatus.ACTIVE).exists()
