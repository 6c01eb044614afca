"""Logging: one line per response, and no token, secret or personal data in any line."""

from __future__ import annotations

import logging

import pytest

from allegro_api import InMemoryTokenStore, make_pkce_pair, make_state
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit, make_client
from tests.allegro_api.test_auth import consent
from tests.allegro_api.test_orders import purchase


def test_a_whole_session_logs_no_secrets(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = emulator.demo_application
    client = make_client(emulator, fake_time)
    assert client.oauth is not None
    verifier, challenge = make_pkce_pair()
    redirect_uri = app.redirect_uris[0]
    url = client.oauth.authorization_url(
        redirect_uri=redirect_uri, state=make_state(), code_challenge=challenge
    )
    code = consent(emulator, url)["code"][0]
    token = client.oauth.exchange_code(code=code, redirect_uri=redirect_uri, code_verifier=verifier)
    store = InMemoryTokenStore(token)
    seller = client.with_token_store(store)
    purchase(emulator, count=2)
    me = seller.me.get()
    forms = [
        seller.checkout_forms.get(e.checkout_form_id or "")
        for e in seller.order_events.list().events[:2]
    ]
    fake_time.advance(43199)  # force a refresh on the next call
    seller.order_events.stats()
    refreshed = store.load()
    assert refreshed is not None
    assert refreshed.access_token != token.access_token

    secrets = {
        token.access_token,
        token.refresh_token or "",
        refreshed.access_token,
        refreshed.refresh_token or "",
        app.client_secret,
        code,
        verifier,
        me.email or "",
    }
    for form in forms:
        assert form.buyer is not None
        secrets.update(
            {form.buyer.email or "", form.buyer.login or "", form.buyer.phone_number or ""}
        )
        if form.delivery and form.delivery.address:
            secrets.add(form.delivery.address.street or "")
    secrets.discard("")
    lines = [record.getMessage() for record in caplog.records]
    ours = [r for r in caplog.records if r.name == "allegro_api"]
    assert len([r for r in ours if " -> " in r.getMessage()]) >= 6
    for line in lines:
        for secret in secrets:
            assert secret not in line, f"{secret[:6]}… leaked into: {line}"
    response_line = next(r.getMessage() for r in ours if r.getMessage().startswith("GET /me "))
    assert "-> 200 in" in response_line
    assert "trace-id=" in response_line
    assert "retries=0" in response_line
