from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shop.allegro.accounts.jobs import refresh_tokens
from shop.allegro.models import AllegroAccount, LinkStatus
from shop.core.models import AuditLogEntry
from tests.shop.allegro.oauth_helpers import local_path, seller_approves

pytestmark = pytest.mark.django_db
CONFIG = "/backend/allegro/config/"


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


def start_link(site_client) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    response = site_client.post(reverse("allegro:link"))
    assert response.status_code == 302
    url = response.headers["Location"]
    return url, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_configuration_form_validates_in_polish_and_keeps_the_secret(site_client, allegro):
    response = site_client.post(
        CONFIG, {"enabled": "on", "client_id": "abc def", "post_code": "61001", "city": "123"}
    )
    body = response.content.decode()
    assert "Podaj kod pocztowy w formacie NN-NNN" in body
    assert "Client ID może zawierać tylko litery" in body
    assert "Client Secret jest wymagany, gdy moduł jest włączony." in body
    assert "Wybierz region" in body
    assert AllegroAccount.objects.get().enabled is False

    data = {
        "enabled": "on",
        "client_id": "my-client-id",
        "client_secret": "s3cret-value",
        "province": "MAZOWIECKIE",
        "city": "Warszawa",
        "post_code": "00-950",
    }
    assert site_client.post(CONFIG, data).status_code == 302
    account = AllegroAccount.objects.get()
    assert (account.client_id, account.client_secret, account.city) == (
        "my-client-id",
        "s3cret-value",
        "Warszawa",
    )
    page = site_client.get(CONFIG).content.decode()
    assert "s3cret-value" not in page
    assert "Zostaw puste, aby zachować obecny." in page

    data["client_secret"] = ""
    data["city"] = "Kraków"
    assert site_client.post(CONFIG, data).status_code == 302
    account.refresh_from_db()
    assert account.client_secret == "s3cret-value"
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM allegro_allegroaccount")
        (stored,) = cursor.fetchone()
    assert "s3cret-value" not in stored
    entries = AuditLogEntry.objects.filter(action="allegro.configure")
    assert entries.count() == 2
    assert all("s3cret" not in str(e.changes) for e in entries)


def test_config_page_shows_the_redirect_uri_and_guide(site_client, allegro):
    body = site_client.get(CONFIG).content.decode()
    assert "http://127.0.0.1:8000/backend/allegro/callback/" in body
    assert "apps.developer.allegro.pl.allegrosandbox.pl" in body
    assert 'id="wrong-address"' not in body


def test_linking_end_to_end(site_client, allegro, configured_account, staff_user):
    url, params = start_link(site_client)
    assert url.startswith("http://fake-allegro.test/auth/oauth/authorize?")
    assert params["redirect_uri"] == "http://127.0.0.1:8000/backend/allegro/callback/"
    assert params["code_challenge_method"] == "S256" and params["state"]

    callback = seller_approves(allegro, url)
    assert callback.startswith("http://127.0.0.1:8000/backend/allegro/callback/?code=")
    response = site_client.get(local_path(callback), follow=True)
    assert "Powiązano konto Allegro demo-sprzedawca." in messages_of(response)
    body = response.content.decode()
    assert 'id="linked-login">demo-sprzedawca<' in body

    account = AllegroAccount.objects.get()
    assert account.status == LinkStatus.LINKED
    assert account.login == "demo-sprzedawca" and account.seller_id == allegro.demo_seller.id
    assert account.token_expires_at > timezone.now() + timedelta(hours=11)
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM allegro_allegroaccount")
        stored = cursor.fetchone()
    assert account.access_token not in stored[0] and account.refresh_token not in stored[1]
    assert AuditLogEntry.objects.filter(action="allegro.link", user=staff_user).exists()

    # The same callback again is a replay: refused, nothing changes.
    response = site_client.get(local_path(callback), follow=True)
    assert any("już użyty parametr state" in m for m in messages_of(response))

    response = site_client.post(reverse("allegro:unlink"), follow=True)
    account.refresh_from_db()
    assert account.status == LinkStatus.UNLINKED and account.access_token == ""
    assert AuditLogEntry.objects.filter(action="allegro.unlink").exists()


def test_state_mismatch_is_refused(site_client, allegro, configured_account):
    url, params = start_link(site_client)
    callback = seller_approves(allegro, url)
    tampered = local_path(callback).replace(params["state"], "forged-state")
    response = site_client.get(tampered, follow=True)
    assert any("nieprawidłowy lub już użyty parametr state" in m for m in messages_of(response))
    assert AllegroAccount.objects.get().status == LinkStatus.UNLINKED


def test_access_denied_is_explained(site_client, allegro, configured_account):
    url, _ = start_link(site_client)
    callback = seller_approves(allegro, url, decision="deny")
    assert "error=access_denied" in callback
    response = site_client.get(local_path(callback), follow=True)
    assert "Nie udzielono dostępu w Allegro — konto nie zostało powiązane." in messages_of(response)
    assert AllegroAccount.objects.get().status == LinkStatus.UNLINKED


def test_expired_code_is_explained_and_stores_nothing(site_client, allegro, configured_account):
    url, _ = start_link(site_client)
    callback = seller_approves(allegro, url)
    with allegro.http_client() as http:
        http.post("/_emulator/clock", json={"advance_seconds": 11 * 60})
    response = site_client.get(local_path(callback), follow=True)
    assert any("kod lub token wygasł" in m for m in messages_of(response))
    account = AllegroAccount.objects.get()
    assert account.status == LinkStatus.UNLINKED and account.access_token == ""
    assert AuditLogEntry.objects.filter(action="allegro.link_failed").exists()


def test_wrong_client_secret_is_explained(site_client, allegro, configured_account):
    configured_account.client_secret = "not-the-secret"
    configured_account.save()
    url, _ = start_link(site_client)
    response = site_client.get(local_path(seller_approves(allegro, url)), follow=True)
    assert any("odrzuciło Client ID lub Client Secret" in m for m in messages_of(response))
    assert AllegroAccount.objects.get().status == LinkStatus.UNLINKED


def test_allegro_down_is_explained_with_trace_id(site_client, allegro, configured_account):
    url, _ = start_link(site_client)
    callback = seller_approves(allegro, url)
    with allegro.http_client() as http:
        http.post("/_emulator/faults", json={"pathRegex": "^/auth/oauth/token", "status": 503})
    response = site_client.get(local_path(callback), follow=True)
    text = " ".join(messages_of(response))
    assert "Allegro nie odpowiada" in text
    assert AllegroAccount.objects.get().status == LinkStatus.UNLINKED


def test_link_from_a_mismatched_address_is_refused(staff_user, allegro, configured_account):
    from django.test import Client

    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(staff_user)
    page = client.get(CONFIG).content.decode()
    assert 'id="wrong-address"' in page and "http://127.0.0.1:8000/backend/allegro/config/" in page
    response = client.post(reverse("allegro:link"), follow=True)
    assert any("innym adresem niż zarejestrowany" in m for m in messages_of(response))
    assert not response.redirect_chain[0][0].startswith("http://fake-allegro.test")


def test_expired_access_token_is_refreshed_once_and_saved_before_use(linked_account, allegro):
    from shop.allegro.common.client import client_for

    AllegroAccount.objects.filter(pk=linked_account.pk).update(
        token_expires_at=timezone.now() + timedelta(seconds=10)
    )
    old_refresh = linked_account.refresh_token
    with client_for(AllegroAccount.objects.get(pk=linked_account.pk)) as client:
        assert client.me.get().login == "demo-sprzedawca"
        assert client.me.get().login == "demo-sprzedawca"
    account = AllegroAccount.objects.get(pk=linked_account.pk)
    assert account.refresh_token != old_refresh
    assert account.token_expires_at > timezone.now() + timedelta(hours=11)
    token_calls = [e for e in allegro.requests.entries() if e["path"] == "/auth/oauth/token"]
    assert len(token_calls) == 1


def test_revoked_grant_marks_relink_required_and_shows_the_banner(
    linked_account, allegro, site_client
):
    from allegro_api import AllegroError
    from shop.allegro.common.client import client_for

    with allegro.http_client() as http:
        http.post("/_emulator/revoke", json={})
    with client_for(linked_account) as client, pytest.raises(AllegroError):
        client.me.get()
    account = AllegroAccount.objects.get(pk=linked_account.pk)
    assert account.status == LinkStatus.RELINK_REQUIRED
    assert account.relink_reason
    body = site_client.get(CONFIG).content.decode()
    assert 'id="relink-banner"' in body and "Połącz ponownie" in body
    # Its jobs stop: the token guardian skips it.
    assert refresh_tokens()["accounts"] == 0


def test_refresh_job_keeps_tokens_alive(linked_account, allegro):
    AllegroAccount.objects.filter(pk=linked_account.pk).update(
        token_expires_at=timezone.now() + timedelta(minutes=30)
    )
    assert refresh_tokens() == {"accounts": 1, "refreshed": 1, "failed": 0}
    assert refresh_tokens() == {"accounts": 1, "refreshed": 0, "failed": 0}
    AllegroAccount.objects.filter(pk=linked_account.pk).update(
        token_refreshed_at=timezone.now() - timedelta(days=8)
    )
    assert refresh_tokens()["refreshed"] == 1


def test_account_switcher_appears_with_two_accounts(site_client, allegro, linked_account):
    assert 'id="account-switcher"' not in site_client.get(CONFIG).content.decode()
    site_client.post(reverse("allegro:add_account"))
    assert AllegroAccount.objects.count() == 2
    # The new account is enabled: once linked it imports without another setting.
    added = AllegroAccount.objects.exclude(pk=linked_account.pk).get()
    assert added.enabled and not added.is_usable
    body = site_client.get(CONFIG).content.decode()
    assert 'id="account-switcher"' in body
    site_client.post(reverse("allegro:switch"), {"account": linked_account.pk})
    assert 'id="linked-login">demo-sprzedawca<' in site_client.get(CONFIG).content.decode()


def test_emulator_with_debug_off_is_a_system_check_warning(settings):
    from shop.allegro.common.checks import emulator_in_production_check

    settings.ALLEGRO_EMULATOR_URL = "http://127.0.0.1:8001"
    settings.DEBUG = False
    assert [w.id for w in emulator_in_production_check(None)] == ["allegro.W001"]
    settings.DEBUG = True
    assert emulator_in_production_check(None) == []
    call_command("check")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_workers_with_an_expired_token_cause_one_refresh(linked_account, allegro):
    import threading

    from shop.allegro.common.client import client_for

    AllegroAccount.objects.filter(pk=linked_account.pk).update(
        token_expires_at=timezone.now() - timedelta(seconds=1)
    )
    barrier = threading.Barrier(10)
    logins: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            account = AllegroAccount.objects.get(pk=linked_account.pk)
            with client_for(account) as client:
                barrier.wait()
                logins.append(str(client.me.get().login))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert logins == ["demo-sprzedawca"] * 10
    token_calls = [e for e in allegro.requests.entries() if e["path"] == "/auth/oauth/token"]
    assert len(token_calls) == 1
    account = AllegroAccount.objects.get(pk=linked_account.pk)
    assert account.status == LinkStatus.LINKED
    assert account.token_expires_at > timezone.now() + timedelta(hours=11)
