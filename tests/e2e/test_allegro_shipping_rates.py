from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from fake_allegro.emulator import USER_AGENT
from fake_allegro.sale.seed_delivery import method_id
from fake_allegro.spec import MEDIA_TYPE
from shop.allegro.models import AllegroAccount, AllegroShippingRates, LinkStatus, Province
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DPD = method_id("dpd", "IN_ADVANCE")
DPD_COD = method_id("dpd", "CASH_ON_DELIVERY")
LOCKERS = method_id("inpost-lockers", "IN_ADVANCE")


def linked_account(live_emulator) -> tuple[AllegroAccount, str]:  # type: ignore[no-untyped-def]
    tokens = live_emulator.emulator.issue_tokens(client_id="e2e-client")
    seller = live_emulator.emulator.demo_seller
    account = AllegroAccount.objects.create(
        enabled=True,
        client_id="e2e-client",
        client_secret="e2e-secret",
        province=Province.MAZOWIECKIE,
        city="Warszawa",
        post_code="00-950",
        status=LinkStatus.LINKED,
        seller_id=seller.id,
        login=seller.login,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        token_expires_at=timezone.now() + timedelta(hours=11),
        linked_at=timezone.now(),
    )
    return account, tokens["access_token"]


def test_create_a_price_list_with_two_methods_and_find_it_on_the_emulator(
    page, live_emulator, django_user_model
):
    _account, token = linked_account(live_emulator)
    django_user_model.objects.create_user(
        "szef", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    login(page, "szef", "Haslo-1234")
    page.click("text=Cenniki dostawy")
    page.wait_for_url("**/backend/allegro/shipping-rates/")
    page.click("#import-rates")
    page.wait_for_url("**/backend/allegro/shipping-rates/")
    assert "Cennik standardowy" in page.locator("#rates-table").inner_text()
    assert "Allegro (tylko podgląd)" in page.locator("#rates-table").inner_text()

    page.click("#add-rates")
    page.wait_for_url("**/shipping-rates/add/")
    page.fill("input[name=name]", "Cennik E2E, kurier")
    screenshot(page, "allegro-shipping-rates-form")
    for mid in (DPD, LOCKERS):
        page.locator(f"details.bo-carrier:has(input[name=m_{mid}_active]) > summary").click()
    page.check(f"input[name=m_{DPD}_active]")
    page.fill(f"input[name=m_{DPD}_first]", "17.99")
    page.fill(f"input[name=m_{DPD}_quantity]", "3")
    page.fill(f"input[name=m_{DPD}_next]", "2.00")
    page.check(f"input[name=m_{LOCKERS}_active]")
    page.fill(f"input[name=m_{LOCKERS}_first]", "31.00")
    page.fill(f"input[name=m_{LOCKERS}_quantity]", "5")
    # The buyer-cost table follows the input (htmx).
    page.wait_for_function(
        "document.querySelector('#buyer-costs')"
        " && document.querySelector('#buyer-costs').innerText.includes('35,98')"
    )
    page.click("#save-rates")
    page.wait_for_load_state()
    content = page.content()
    assert "Allegro nie przyjmuje już ceny za kolejną sztukę" in content
    assert "Cena pierwszej sztuki musi mieścić się w zakresie 0.00–30.00 PLN." in content
    assert not AllegroShippingRates.objects.filter(name="Cennik E2E, kurier").exists()
    screenshot(page, "allegro-shipping-rates-refused")

    page.fill(f"input[name=m_{DPD}_next]", "0")
    page.fill(f"input[name=m_{LOCKERS}_first]", "11.50")
    page.click("#save-rates")
    page.wait_for_url("**/backend/allegro/shipping-rates/")
    assert "Zapisano cennik „Cennik E2E, kurier” w Allegro." in page.content()
    assert "Cennik E2E, kurier" in page.locator("#rates-table").inner_text()
    screenshot(page, "allegro-shipping-rates-list")

    mirror = AllegroShippingRates.objects.get(name="Cennik E2E, kurier")
    response = httpx.get(
        f"{live_emulator.url}/sale/shipping-rates/{mirror.allegro_id}",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": MEDIA_TYPE,
            "User-Agent": USER_AGENT,
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    remote = response.json()
    assert remote["name"] == "Cennik E2E, kurier"
    rates = {r["deliveryMethod"]["id"]: r for r in remote["rates"]}
    assert set(rates) == {DPD, LOCKERS}
    assert rates[DPD]["firstItemRate"] == {"amount": "17.99", "currency": "PLN"}
    assert rates[DPD]["maxQuantityPerPackage"] == 3
    assert rates[LOCKERS]["firstItemRate"]["amount"] == "11.50"
    assert rates[LOCKERS]["maxQuantityPerPackage"] == 5
