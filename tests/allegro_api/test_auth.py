"""OAuth: authorisation code with PKCE, refresh, device flow, client credentials, TokenStore."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from allegro_api import (
    InMemoryTokenStore,
    InvalidGrant,
    OAuthClient,
    OAuthError,
    TokenSet,
    Unauthorized,
    make_code_challenge,
    make_code_verifier,
    make_pkce_pair,
    make_state,
)
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import (
    BASE_URL,
    USER_AGENT,
    FakeTime,
    RequestAudit,
    make_client,
)


@pytest.fixture
def oauth(emulator: Emulator, fake_time: FakeTime) -> OAuthClient:
    app = emulator.demo_application
    return OAuthClient(
        client_id=app.client_id,
        client_secret=app.client_secret,
        user_agent=USER_AGENT,
        oauth_url=BASE_URL,
        transport=httpx.WSGITransport(app=emulator.wsgi),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )


def browser(emulator: Emulator) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=emulator.wsgi), base_url=BASE_URL)


def consent(emulator: Emulator, url: str) -> dict[str, list[str]]:
    """Play the seller: open the authorisation page, log in, allow; return the callback query."""
    with browser(emulator) as http:
        page = http.get(url)
        assert page.status_code == 200
        fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        fields.update(login="demo-sprzedawca", password="demo1234", decision="allow")
        answer = http.post("/auth/oauth/authorize", data=fields)
    assert answer.status_code in (302, 303), answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)


def test_pkce_helpers() -> None:
    verifier, challenge = make_pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert challenge == make_code_challenge(verifier)
    # RFC 7636 appendix B test vector.
    assert (
        make_code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    assert make_state() != make_state()
    with pytest.raises(ValueError, match="43-128"):
        make_code_challenge("short")
    assert len(make_code_verifier()) >= 43


def test_authorization_url(oauth: OAuthClient) -> None:
    url = oauth.authorization_url(
        redirect_uri="http://localhost:8000/cb/", state="s1", code_challenge="abc", prompt="confirm"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE_URL}/auth/oauth/authorize"
    query = parse_qs(parts.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["demo-client-id"]
    assert query["redirect_uri"] == ["http://localhost:8000/cb/"]
    assert query["state"] == ["s1"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["prompt"] == ["confirm"]


def test_code_flow_with_pkce_then_refresh(emulator: Emulator, oauth: OAuthClient) -> None:
    redirect_uri = emulator.demo_application.redirect_uris[0]
    verifier, challenge = make_pkce_pair()
    state = make_state()
    url = oauth.authorization_url(redirect_uri=redirect_uri, state=state, code_challenge=challenge)
    callback = consent(emulator, url)
    assert callback["state"] == [state]
    token = oauth.exchange_code(
        code=callback["code"][0], redirect_uri=redirect_uri, code_verifier=verifier
    )
    assert token.access_token
    assert token.refresh_token
    assert token.expires_at.tzinfo is not None
    assert "allegro:api:orders:read" in token.scopes
    assert token.access_token not in repr(token)

    refreshed = oauth.refresh(token)
    assert refreshed.access_token != token.access_token
    assert refreshed.refresh_token != token.refresh_token


def test_code_reuse_and_redirect_mismatch_are_invalid_grant(
    emulator: Emulator, oauth: OAuthClient
) -> None:
    uris = emulator.demo_application.redirect_uris
    url = oauth.authorization_url(redirect_uri=uris[0], state="x")
    code = consent(emulator, url)["code"][0]
    with pytest.raises(InvalidGrant, match="Redirect URI mismatch"):
        oauth.exchange_code(code=code, redirect_uri=uris[1])
    url = oauth.authorization_url(redirect_uri=uris[0], state="y")
    code = consent(emulator, url)["code"][0]
    oauth.exchange_code(code=code, redirect_uri=uris[0])
    with pytest.raises(InvalidGrant) as caught:
        oauth.exchange_code(code=code, redirect_uri=uris[0])
    assert caught.value.status == 400
    assert caught.value.error == "invalid_grant"


def test_wrong_pkce_verifier_is_refused(emulator: Emulator, oauth: OAuthClient) -> None:
    redirect_uri = emulator.demo_application.redirect_uris[0]
    _, challenge = make_pkce_pair()
    url = oauth.authorization_url(redirect_uri=redirect_uri, state="s", code_challenge=challenge)
    code = consent(emulator, url)["code"][0]
    with pytest.raises(InvalidGrant):
        oauth.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=make_code_verifier()
        )


def test_bad_client_secret_is_oauth_error(emulator: Emulator, fake_time: FakeTime) -> None:
    oauth = OAuthClient(
        client_id="demo-client-id",
        client_secret="wrong",
        user_agent=USER_AGENT,
        oauth_url=BASE_URL,
        transport=httpx.WSGITransport(app=emulator.wsgi),
    )
    with pytest.raises(OAuthError) as caught:
        oauth.client_credentials()
    assert not isinstance(caught.value, InvalidGrant)
    assert caught.value.status == 401
    assert caught.value.error == "invalid_client"


def test_refresh_token_rotation_makes_old_token_invalid(
    emulator: Emulator, oauth: OAuthClient, fake_time: FakeTime
) -> None:
    first = TokenSet.from_response(emulator.issue_tokens(), now=fake_time.datetime())
    oauth.refresh(first)
    fake_time.advance(120)  # past Allegro's 60-second grace for the old refresh token
    with pytest.raises(InvalidGrant):
        oauth.refresh(first)


def test_device_flow(emulator: Emulator, oauth: OAuthClient, fake_time: FakeTime) -> None:
    device = oauth.start_device_flow()
    assert device.user_code
    assert device.verification_uri
    assert oauth.poll_device_token(device) is None  # authorization_pending

    approved = threading.Event()
    original_sleep = fake_time.sleep

    def sleep_and_approve(seconds: float) -> None:
        original_sleep(seconds)
        if not approved.is_set():
            approved.set()
            with browser(emulator) as http:
                answer = http.post(
                    "/skojarz-aplikacje",
                    data={
                        "code": device.user_code,
                        "login": "demo-sprzedawca",
                        "password": "demo1234",
                        "decision": "allow",
                    },
                )
                assert answer.status_code < 400, answer.text

    oauth._sleep = sleep_and_approve
    token = oauth.wait_for_device_token(device)
    assert token.refresh_token
    assert fake_time.sleeps == [device.interval]


def test_device_flow_expires(emulator: Emulator, oauth: OAuthClient) -> None:
    device = oauth.start_device_flow()
    with pytest.raises(OAuthError) as caught:
        oauth.wait_for_device_token(device, timeout=12)
    assert caught.value.error == "expired_token"


def test_client_credentials_token_reads_public_dictionaries(
    emulator: Emulator, oauth: OAuthClient, fake_time: FakeTime, audit: RequestAudit
) -> None:
    token = oauth.client_credentials()
    assert token.refresh_token is None
    client = make_client(emulator, fake_time, token_store=InMemoryTokenStore(token))
    assert client.categories.list().categories


def test_token_set_from_response_and_expiry() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    token = TokenSet.from_response(
        {"access_token": "a", "refresh_token": "r", "expires_in": 43199, "scope": "x y"}, now=now
    )
    assert token.expires_at == now + timedelta(seconds=43199)
    assert token.scopes == {"x", "y"}
    assert not token.expires_within(300, now=now)
    assert token.expires_within(300, now=now + timedelta(hours=12))
    with pytest.raises(ValueError, match="timezone-aware"):
        TokenSet(access_token="a", expires_at=datetime(2026, 1, 1))


def test_store_refreshes_before_expiry_and_saves_first(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    saved: list[TokenSet] = []
    tokens = emulator.issue_tokens()
    store = InMemoryTokenStore(
        TokenSet.from_response(tokens, now=fake_time.datetime()), on_update=saved.append
    )
    client = make_client(emulator, fake_time, token_store=store, refresh_leeway=600)
    client.me.get()
    assert saved == []
    fake_time.advance(43199 - 300)  # inside the leeway, not yet expired
    client.me.get()
    assert len(saved) == 1
    current = store.load()
    assert current is not None
    assert current.access_token == saved[0].access_token
    assert current.access_token != tokens["access_token"]
    token_calls = audit.entries(method="POST", path="/auth/oauth/token")
    assert len(token_calls) == 1


def test_ten_threads_on_an_expired_token_cause_one_refresh(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    store = InMemoryTokenStore(
        TokenSet.from_response(emulator.issue_tokens(), now=fake_time.datetime())
    )
    client = make_client(emulator, fake_time, token_store=store)
    fake_time.advance(43199 + 5)  # expired on both sides
    barrier = threading.Barrier(10)
    results: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            results.append(client.me.get())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 10
    assert len(audit.entries(method="POST", path="/auth/oauth/token")) == 1
    assert all(e["status"] == 200 for e in audit.entries(path="/me"))


def test_ten_threads_on_a_server_side_expired_token_cause_one_refresh(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    """The client believes the token is fresh; Allegro says invalid_token (401)."""
    store = InMemoryTokenStore(
        TokenSet.from_response(emulator.issue_tokens(), now=fake_time.datetime())
    )
    client = make_client(emulator, fake_time, token_store=store)
    emulator.world.clock.advance(43199 + 5)  # only the server's clock moves
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            client.me.get()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(audit.entries(method="POST", path="/auth/oauth/token")) == 1
    assert len(audit.entries(path="/me", status=200)) == 10


def test_revoked_grant_gives_unauthorized_then_invalid_grant(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    store = InMemoryTokenStore(
        TokenSet.from_response(emulator.issue_tokens(), now=fake_time.datetime())
    )
    client = make_client(emulator, fake_time, token_store=store)
    audit.allow(400)  # the token endpoint's invalid_grant
    with browser(emulator) as http:
        assert http.post("/_emulator/revoke", json={}).status_code == 200
    with pytest.raises(InvalidGrant):
        client.me.get()  # 401 → forced refresh → the refresh token is revoked too
    before = store.load()
    assert before is not None
    # The store keeps the old pair; a client without OAuth credentials just reports 401.
    plain = make_client(emulator, fake_time, token_store=store)
    plain.oauth = None
    plain._requester.authenticator.oauth = None  # type: ignore[union-attr]
    with pytest.raises(Unauthorized) as caught:
        plain.me.get()
    assert caught.value.codes == ["invalid_token"]
    assert caught.value.trace_id
