"""Redirects stay on the site, secrets are redacted, odd paths and debug pages go nowhere,
keys and settings that would expose a deployment are refused."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory

from shop.allegro.models import AllegroAccount
from shop.core import crypto
from shop.core.http import is_local_path, next_url, parse_id
from shop.core.redact import MARK, RedactingFormatter, redact, redact_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/backend/\r\nLocation: https://evil.example",
        "http:/evil.example",
        "",
        " /backend/",
    ],
)
def test_next_never_leaves_the_site(target):
    request = RequestFactory().post("/", {"next": target})
    assert not is_local_path(target)
    assert next_url(request, "/backend/") == "/backend/"


def test_next_keeps_a_path_of_this_site():
    request = RequestFactory().post("/", {"next": "/backend/allegro/offers/?status=ACTIVE"})
    assert next_url(request, "/backend/") == "/backend/allegro/offers/?status=ACTIVE"


@pytest.mark.django_db
def test_the_account_switcher_refuses_an_off_site_next_and_a_bad_id(site_client, allegro):
    account = AllegroAccount.objects.create()
    for target in ("https://evil.example/phish", "//evil.example/x"):
        response = site_client.post(
            "/backend/allegro/switch/", {"account": account.pk, "next": target}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/backend/allegro/config/"
    for bad in ("abc", "²", "-1", "9" * 400, ""):
        assert site_client.post("/backend/allegro/switch/", {"account": bad}).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("abc", None),
        ("²", None),
        ("-1", None),
        ("0", None),
        ("9" * 19, None),
        (None, None),
    ],
)
def test_ids_are_read_strictly(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "invalid_grant: Invalid refresh token: Q1w2E3r4T5y6U7i8O9p0a1s2d3f4g5h6j7k8l9",
        'GET /backend/allegro/callback/?code=Abc123Def456Ghi789Jkl012&state=Zz9Yy8Xx7Ww6Vv5Uu4 HTTP/1.1" 302',
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
        "client_secret=demo-client-secret&grant_type=authorization_code",
        '{"access_token": "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV", "expires_in": 43199}',
    ],
)
def test_redaction_strips_tokens_codes_and_secrets(text):
    out = redact(text)
    assert MARK in out
    for secret in ("Q1w2E3r4", "Abc123Def", "Zz9Yy8", "eyJhbGci", "demo-client-secret", "a1B2c3D4"):
        assert secret not in out


@pytest.mark.parametrize(
    "text",
    [
        "trace 123e4567-e89b-12d3-a456-426614174000, offer 7712345678",
        'Allegro error {"code": "VALIDATION_ERROR", "path": "sellingMode.price"}',
        "allegro.import_orders took 120 ms; Cena 12,99 zł; kod 00-950",
    ],
)
def test_redaction_leaves_ordinary_text_alone(text):
    assert redact(text) == text


def test_redaction_reaches_into_stored_data():
    assert redact_data({"error": ["Invalid authorization code: Xy12abc"], "n": 3}) == {
        "error": [f"Invalid authorization code: {MARK}"],
        "n": 3,
    }


def test_request_lines_of_the_development_server_are_redacted(settings):
    handler = logging.getLogger("django.server").handlers[0]
    assert isinstance(handler.formatter, RedactingFormatter)
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (
            "GET /backend/allegro/callback/?code=Secret0123456789abcdef&state=St4te0123456789abcdef HTTP/1.1",
            "302",
            "0",
        ),
        None,
    )
    line = handler.format(record)
    assert "Secret0123" not in line and "St4te0123" not in line
    assert "/backend/allegro/callback/" in line


@pytest.mark.django_db
def test_exact_public_paths_and_plain_paths():
    anonymous = Client()
    assert anonymous.get("/healthz").status_code == 200
    for path in ("/healthzX", "/healthz/../backend/", "/favicon.icoX"):
        response = anonymous.get(path)
        assert response.status_code in {302, 400}
        assert "urlpatterns" not in response.content.decode(errors="replace")
    for path in (
        "/static/../backend/",
        "/media/../db.sqlite3",
        "/backend/./allegro/",
        "/static/x\\..\\y",
    ):
        response = anonymous.get(path)
        assert response.status_code == 400, path


@pytest.mark.django_db
def test_debug_pages_reach_only_this_machine(settings, staff_user):
    settings.DEBUG = True
    remote = Client(REMOTE_ADDR="203.0.113.9")
    remote.force_login(staff_user)
    page = remote.get("/backend/allegro/orders/999999999/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/plain")
    assert "Django" not in page.content.decode()
    local = Client(REMOTE_ADDR="127.0.0.1")
    local.force_login(staff_user)
    assert "text/html" in local.get("/backend/allegro/orders/999999999/")["Content-Type"]


def test_demo_setup_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="never under production"):
        call_command("demo_setup")


def production_check(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.django.production", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_example_secret_key_and_a_missing_encryption_key():
    key = Fernet.generate_key().decode()
    example = production_check(SECRET_KEY="insecure-dev-key-change-me", FIELD_ENCRYPTION_KEY=key)
    assert example.returncode != 0 and "SECRET_KEY" in example.stderr
    missing = production_check(SECRET_KEY="x" * 50)
    assert missing.returncode != 0 and "FIELD_ENCRYPTION_KEY" in missing.stderr
    good = production_check(SECRET_KEY="k" * 50, FIELD_ENCRYPTION_KEY=key)
    assert good.returncode == 0, good.stderr


@pytest.mark.django_db
def test_a_changed_encryption_key_leaves_the_pages_working(site_client, linked_account, settings):
    crypto._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    try:
        for path in (
            "/backend/allegro/config/",
            "/backend/allegro/offers/",
            "/backend/allegro/orders/",
        ):
            response = site_client.get(path)
            assert response.status_code == 200, path
        page = site_client.get("/backend/allegro/config/").content.decode()
        assert 'id="secrets-unreadable"' in page
        assert "wpisz go ponownie" in page
        # The operator enters the secret again: saved with the new key.
        form = {
            "enabled": "on",
            "client_id": linked_account.client_id,
            "client_secret": "new-secret-value",
            "province": linked_account.province,
            "city": "Poznań",
            "post_code": "61-001",
        }
        assert site_client.post("/backend/allegro/config/", form).status_code == 302
        assert AllegroAccount.objects.get(pk=linked_account.pk).client_secret == "new-secret-value"
    finally:
        crypto._fernet.cache_clear()
