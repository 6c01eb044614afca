"""Link, fail a link, break the refresh token, visit every page: no secret anywhere.

The secrets are the client secret, every authorisation code and state the flow saw, and every
access and refresh token the account ever held. They are searched for in every page, in every
log line as the configured handler writes it, and in every text column of every table, read as
stored.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shop.allegro.models import AllegroAccount, LinkStatus
from shop.core.redact import RedactingFormatter
from shop.scheduler.models import RunStatus
from shop.scheduler.services.runs import job_run
from tests.security.pages import concrete_urls, existing_ids, shop_routes
from tests.shop.allegro.oauth_helpers import local_path, seller_approves

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def log_output():
    """Every record, formatted by the handler the settings configure for the console."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)
    )
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(handler.formatter)
    capture.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(), logging.getLogger("django.server")]
    previous = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    yield stream
    for lg, level in zip(loggers, previous, strict=True):
        lg.removeHandler(capture)
        lg.setLevel(level)


def stored_text() -> str:
    """Every character/text/JSON column of every table, as the database holds it."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in {"CharField", "TextField", "JSONField"}
                or type(f).__name__ == "EncryptedTextField"
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(
                f"SELECT {quoted} FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
            )
            chunks.extend(str(v) for row in cursor.fetchall() for v in row if v)
    return "\n".join(chunks)


def test_no_secret_reaches_a_page_a_log_or_a_column(
    site_client, allegro, configured_account, log_output
):
    secrets: set[str] = {configured_account.client_secret}
    callback = reverse("allegro:callback")

    # 1. A failed link: a wrong code with the right state (Allegro quotes the code back).
    authorize = site_client.post(reverse("allegro:link")).headers["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    wrong_code = "WrongCode0123456789abcdefABCDEF99"
    secrets |= {state, wrong_code}
    site_client.get(f"{callback}?code={wrong_code}&state={state}", follow=True)

    # 2. A good link; its code and state, and the tokens it gives.
    back = seller_approves(allegro, site_client.post(reverse("allegro:link")).headers["Location"])
    query = parse_qs(urlsplit(back).query)
    secrets |= {query["code"][0], query["state"][0]}
    site_client.get(local_path(back), follow=True)
    account = AllegroAccount.objects.get(pk=configured_account.pk)
    assert account.status == LinkStatus.LINKED
    secrets |= {account.access_token, account.refresh_token}

    # 3. Allegro revokes the grant; the scheduled refresh is refused and says why.
    with allegro.http_client() as http:
        assert http.post("/_emulator/revoke", json={"login": account.login}).status_code < 300
    AllegroAccount.objects.filter(pk=account.pk).update(
        token_expires_at=timezone.now() + timedelta(minutes=1)
    )
    run = job_run(job="allegro.refresh_tokens")
    assert run.status in {RunStatus.SUCCESS, RunStatus.FAILURE}
    account.refresh_from_db()
    assert account.status == LinkStatus.RELINK_REQUIRED
    assert account.relink_reason

    # 4. Every page of the back office, relink banner included.
    ids = existing_ids()
    pages: list[str] = []
    for route in shop_routes():
        for url in concrete_urls(route, ids):
            response = site_client.get(url)
            if response.status_code == 200 and not response.streaming:
                pages.append(response.content.decode(errors="replace"))
    relink_page = site_client.get("/backend/allegro/config/").content.decode()
    assert 'id="relink-banner"' in relink_page
    pages.append(relink_page)

    secrets = {s for s in secrets if s and len(s) >= 8}
    assert len(secrets) >= 7  # secret, 2 states, 2 codes, access and refresh token
    haystacks = {
        "pages": "\n".join(pages),
        "logs": log_output.getvalue(),
        "database": stored_text(),
    }
    # The failures were logged and recorded, only without their secrets.
    assert "refused the refresh token" in haystacks["logs"]
    assert "/backend/allegro/callback/" in haystacks["logs"] or "callback" in haystacks["pages"]
    found = {
        (where, secret[:6] + "…")
        for where, text in haystacks.items()
        for secret in secrets
        if secret in text
    }
    assert found == set()
