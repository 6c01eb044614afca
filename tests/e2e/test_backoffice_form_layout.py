# mypy: allow-untyped-defs
"""The shared form layout as the merchant sees it: checkboxes beside their labels, selects and
placeholders that fit, no unexplained badge in the header, Polish whatever the browser asks."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The room (px) an element leaves beyond its widest text: a select's longest option, an input's
# placeholder. Negative means the text is cut off.
SPARE_ROOM_JS = """el => {
  const style = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const texts = el.tagName === 'SELECT' ? [...el.options].map(o => o.text) : [el.placeholder];
  const needed = Math.max(...texts.map(t => ctx.measureText(t).width));
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const arrow = el.tagName === 'SELECT' ? 16 : 0;
  return el.clientWidth - padding - arrow - needed;
}"""


BOXES_JS = """el => {
  const rect = node => {
    const r = node.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  return {
    box: rect(el.querySelector('input[type=checkbox]')),
    text: rect(el.querySelector('label span')),
  };
}"""


def assert_checkbox_beside_label(page, field: str) -> None:
    """The box first, its label text right of it on the same line, a small gap between.

    Both are measured in one step, and again until two measurements agree: parts of a page that
    load after it (the order's shipments, the offer form's sections) move what is below them."""
    rects = page.eval_on_selector(f"#field-{field}", BOXES_JS)
    for _ in range(50):
        page.wait_for_timeout(200)
        again = page.eval_on_selector(f"#field-{field}", BOXES_JS)
        if again == rects:
            break
        rects = again
    box, text = rects["box"], rects["text"]
    gap = text["x"] - (box["x"] + box["width"])
    assert 0 <= gap <= 16, (field, gap)
    box_middle = box["y"] + box["height"] / 2
    assert text["y"] <= box_middle <= text["y"] + text["height"], field


def assert_no_header_badge(page) -> None:
    assert page.locator("#header-inner .ml-auto").inner_text().strip() == ""


def test_checkboxes_sit_beside_their_labels_everywhere(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    page.goto(page.base_url + "/backend/allegro/config/")
    assert_checkbox_beside_label(page, "enabled")
    assert_checkbox_beside_label(page, "sandbox")
    assert_no_header_badge(page)
    screenshot(page, "layout-allegro-config")

    page.goto(page.base_url + "/backend/allegro/sync/")
    checkboxes = page.locator("#sync-settings .bo-check")
    assert checkboxes.count() >= 1
    for i in range(checkboxes.count()):
        field = (checkboxes.nth(i).get_attribute("id") or "").removeprefix("field-")
        assert_checkbox_beside_label(page, field)
    screenshot(page, "layout-allegro-sync")

    created = live_emulator.control("/purchases", {"synthetic": True, "count": 1, "items": 1})
    form_id = created["checkoutFormIds"][0]
    page.goto(page.base_url + "/backend/allegro/orders/")
    page.click("#import-now")
    page.click(f'tr[data-form="{form_id}"] a:has-text("Edycja")')
    page.wait_for_selector("#tracking-form")
    assert_checkbox_beside_label(page, "mark_sent")
    assert_no_header_badge(page)
    screenshot(page, "layout-allegro-order-tracking")


def test_offer_form_fits_its_texts(staff_page, linked_live_account):
    page = staff_page
    demo_catalog_load(images=True)
    book = Product.objects.get(sku="KS-0001")
    page.goto(f"{page.base_url}/backend/catalog/product/{book.pk}/change/")
    page.locator("#extra-options a", has_text="Dodaj").click()
    page.wait_for_url("**/backend/allegro/offers/new/**")
    assert page.eval_on_selector("#id_duration", SPARE_ROOM_JS) >= 0
    assert_checkbox_beside_label(page, "republish")
    assert_no_header_badge(page)

    page.click("button:has-text('Przeglądaj')")
    page.click("#category-list a:has-text('Książki i Komiksy')")
    page.click("#category-list a:has-text('Książki ›')")
    page.wait_for_selector("#category-list button.choose-category")
    assert "()" not in page.inner_text("#category-list")

    # A click that lands while the picker is still being swapped in is lost with the old
    # element; the merchant would click again, and so does the test.
    for _attempt in range(3):
        page.click("#suggest-categories")
        try:
            page.wait_for_selector("#category-list >> text=Kategorie pasujące", timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_selector("#category-list >> text=Kategorie pasujące")
    assert page.locator("#category-list button.choose-category").first.inner_text() == (
        "Literatura piękna"
    )
    screenshot(page, "layout-offer-form")


def test_shipping_rate_placeholders_fit(staff_page, linked_live_account):
    page = staff_page
    page.goto(page.base_url + "/backend/allegro/shipping-rates/add/")
    inputs = page.locator("#rates-form input.bo-num[placeholder]")
    assert inputs.count() > 0
    for i in range(inputs.count()):
        spare = inputs.nth(i).evaluate(SPARE_ROOM_JS)
        assert spare >= 0, (inputs.nth(i).get_attribute("placeholder"), spare)
    screenshot(page, "layout-shipping-rates")


def test_an_english_browser_gets_polish(page, django_user_model):
    """The back office is Polish-first: Accept-Language alone never switches it to English."""
    english = page.context.browser.new_context(
        locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    try:
        en_page = english.new_page()
        en_page.base_url = page.base_url
        django_user_model.objects.create_user(
            "kierownik", password="Haslo-1234", is_staff=True, is_superuser=True
        )
        en_page.goto(page.base_url + "/backend/login/")
        assert en_page.locator("html").get_attribute("lang") == "pl"
        login(en_page, "kierownik", "Haslo-1234")
        assert "Produkty" in en_page.inner_text("#nav-sidebar")
        assert "Zamówienia dzisiaj" in en_page.inner_text("#dashboard")
        screenshot(en_page, "layout-english-browser")
    finally:
        english.close()
