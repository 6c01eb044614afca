from __future__ import annotations

import pytest

from shop.catalog.models import Product, StockMovement
from tests.e2e.conftest import login, screenshot
from tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_changes_stock_with_a_reason_and_sees_the_new_level(page, django_user_model):
    django_user_model.objects.create_user(
        "magazyn", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    product = ProductFactory(name="Kubek ceramiczny z logo")

    login(page, "magazyn", "Haslo-1234")
    assert page.locator("#dashboard").is_visible()
    page.goto(page.base_url + "/backend/catalog/product/")
    page.locator(f'a.stock-adjust-link[href$="/{product.pk}/stock/"]:visible').click()

    page.fill("input[name=delta]", "12")
    page.select_option("select[name=reason]", "delivery")
    page.fill("input[name=note]", "Dostawa od producenta")
    page.click("form.bo-form button[type=submit]")

    page.wait_for_url("**/backend/catalog/product/")
    assert page.locator(f'[data-stock="{product.pk}"]:visible').inner_text() == "12"
    assert "Nowy stan produktu Kubek ceramiczny z logo: 12." in page.content()
    screenshot(page, "product-stock-changed")

    product.refresh_from_db()
    assert product.stock == 12
    movement = StockMovement.objects.get(product=product)
    assert (movement.reason, movement.note, movement.user.username) == (
        "delivery",
        "Dostawa od producenta",
        "magazyn",
    )
    assert Product.objects.count() == 1
