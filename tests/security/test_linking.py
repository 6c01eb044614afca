"""The link flow cannot be broken from outside, and relinking never merges two sellers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from shop.allegro.models import AllegroAccount, LinkStatus
from shop.core.models import AuditLogEntry
from tests.shop.allegro.oauth_helpers import local_path, seller_approves

pytestmark = pytest.mark.django_db
CONFIG = "/backend/allegro/config/"


def start_link(site_client) -> str:  # type: ignore[no-untyped-def]
    response = site_client.post(reverse("allegro:link"))
    assert response.status_code == 302
    return response.headers["Location"]


def link_as(site_client, allegro, login: str):  # type: ignore[no-untyped-def]
    back = seller_approves(allegro, start_link(site_client), login=login)
    return site_client.get(local_path(back), follow=True)


def test_a_forged_callback_leaves_the_genuine_link_in_progress(
    site_client, allegro, configured_account
):
    authorize = start_link(site_client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    for forged in (
        "?code=x&state=forged",
        "?code=x",
        "",
        f"?error=access_denied&state={state[:-1]}X",
    ):
        response = site_client.get(reverse("allegro:callback") + forged, follow=True)
        assert response.status_code == 200
    genuine = seller_approves(allegro, authorize)
    site_client.get(local_path(genuine), follow=True)
    account = AllegroAccount.objects.get(pk=configured_account.pk)
    assert account.status == LinkStatus.LINKED
    assert account.login == "demo-sprzedawca"
    # Used once: the same answer again is refused.
    again = site_client.get(local_path(genuine), follow=True)
    assert "nie pasuje do rozpoczętego powiązania" in again.content.decode()


def test_relinking_as_another_seller_is_refused_and_offers_a_new_account(
    site_client, allegro, configured_account
):
    link_as(site_client, allegro, "demo-sprzedawca")
    first = AllegroAccount.objects.get(pk=configured_account.pk)
    tokens_before = (first.access_token, first.refresh_token, first.seller_id)

    page = link_as(site_client, allegro, "demo-hurtownia").content.decode()

    account = AllegroAccount.objects.get(pk=configured_account.pk)
    assert (account.access_token, account.refresh_token, account.seller_id) == tokens_before
    assert account.login == "demo-sprzedawca"
    assert AllegroAccount.objects.count() == 1
    assert "Niczego nie połączono" in page
    assert 'id="add-other-seller"' in page
    assert AuditLogEntry.objects.filter(action="allegro.link_refused_other_seller").count() == 1

    # The offered way: a new account, linked as the other seller; the first one is untouched.
    response = site_client.post(reverse("allegro:add_account"), {"link": "1"})
    assert response.status_code == 302
    back = seller_approves(allegro, response.headers["Location"], login="demo-hurtownia")
    site_client.get(local_path(back), follow=True)
    logins = sorted(AllegroAccount.objects.values_list("login", flat=True))
    assert logins == ["demo-hurtownia", "demo-sprzedawca"]
    assert AllegroAccount.objects.get(pk=configured_account.pk).seller_id == tokens_before[2]


def test_relinking_as_the_same_seller_renews_the_tokens(site_client, allegro, configured_account):
    link_as(site_client, allegro, "demo-sprzedawca")
    before = AllegroAccount.objects.get(pk=configured_account.pk).access_token
    page = link_as(site_client, allegro, "demo-sprzedawca").content.decode()
    assert "Powiązano konto Allegro demo-sprzedawca" in page
    assert AllegroAccount.objects.get(pk=configured_account.pk).access_token != before
