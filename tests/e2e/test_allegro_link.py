from __future__ import annotations

import pytest

from shop.allegro.models import AllegroAccount, LinkStatus
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_configure_link_through_the_emulator_then_see_the_relink_banner(
    page, live_emulator, django_user_model
):
    django_user_model.objects.create_user(
        "szef", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    login(page, "szef", "Haslo-1234")
    page.click("a[href='/backend/allegro/config/']")
    page.wait_for_url("**/backend/allegro/config/")

    page.check("input[name=enabled]")
    page.fill("input[name=client_id]", "e2e-client")
    page.fill("input[name=client_secret]", "e2e-secret")
    page.select_option("select[name=province]", "MAZOWIECKIE")
    page.fill("input[name=city]", "Warszawa")
    page.fill("input[name=post_code]", "00950")
    page.click("#config-form button[name=save]")
    assert "Podaj kod pocztowy w formacie NN-NNN" in page.content()
    page.fill("input[name=client_secret]", "e2e-secret")
    page.fill("input[name=post_code]", "00-950")
    page.click("#config-form button[name=save]")
    assert "Zapisano konfigurację Allegro." in page.content()

    page.click("#link-account")
    page.wait_for_url(f"{live_emulator.url}/auth/oauth/authorize**")
    assert "Zaloguj się i zezwól aplikacji na dostęp" in page.content()
    page.fill("#login", "demo-sprzedawca")
    page.fill("#password", "demo1234")
    page.click("button.allow")
    page.wait_for_url("**/backend/allegro/config/")
    assert page.locator("#linked-login").inner_text() == "demo-sprzedawca"
    screenshot(page, "allegro-linked")

    account = AllegroAccount.objects.get()
    assert account.status == LinkStatus.LINKED and account.city == "Warszawa"

    live_emulator.control("/revoke", {"clientId": "e2e-client", "login": "demo-sprzedawca"})
    page.click("#check-connection")
    page.wait_for_url("**/backend/allegro/config/")
    assert page.locator("#relink-banner").is_visible()
    assert "Połącz ponownie" in page.locator("#relink-banner").inner_text()
    screenshot(page, "allegro-relink-banner")
    assert AllegroAccount.objects.get().status == LinkStatus.RELINK_REQUIRED
