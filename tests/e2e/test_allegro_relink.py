from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from shop.allegro.models import AllegroAccount, LinkStatus
from shop.core import crypto
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def allegro_login(page, emulator_url: str, seller: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_url(f"{emulator_url}/auth/oauth/authorize**")
    page.fill("#login", seller)
    page.fill("#password", "demo1234")
    page.click("button.allow")
    page.wait_for_url("**/backend/allegro/config/")


def test_relinking_as_another_seller_asks_before_anything_is_merged(
    page, live_emulator, linked_live_account, django_user_model
):
    django_user_model.objects.create_user(
        "szef", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    AllegroAccount.objects.filter(pk=linked_live_account.pk).update(
        status=LinkStatus.RELINK_REQUIRED, relink_reason="Allegro odrzuciło token odświeżania."
    )
    login(page, "szef", "Haslo-1234")
    page.goto(page.url.split("/backend/")[0] + "/backend/allegro/config/")
    page.click("#relink-banner button")
    allegro_login(page, live_emulator.url, "demo-hurtownia")
    assert page.is_visible("#other-seller")
    assert "Niczego nie połączono" in page.content()
    screenshot(page, "allegro-relink-other-seller")
    account = AllegroAccount.objects.get(pk=linked_live_account.pk)
    assert (account.login, account.status) == ("demo-sprzedawca", LinkStatus.RELINK_REQUIRED)

    page.click("#add-other-seller")
    allegro_login(page, live_emulator.url, "demo-hurtownia")
    assert sorted(AllegroAccount.objects.values_list("login", flat=True)) == [
        "demo-hurtownia",
        "demo-sprzedawca",
    ]
    screenshot(page, "allegro-relink-added-as-new-account")


def test_a_changed_encryption_key_shows_what_to_do(
    page, live_emulator, linked_live_account, django_user_model, settings
):
    django_user_model.objects.create_user(
        "szef", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    crypto._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    try:
        login(page, "szef", "Haslo-1234")
        page.goto(page.url.split("/backend/")[0] + "/backend/allegro/config/")
        assert page.is_visible("#secrets-unreadable")
        screenshot(page, "allegro-secrets-unreadable")
    finally:
        crypto._fernet.cache_clear()
