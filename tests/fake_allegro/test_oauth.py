"""OAuth flows of the emulator: authorization code + PKCE, refresh rotation, device flow, client
credentials, revocation."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from fake_allegro import Emulator
from fake_allegro.spec import MEDIA_TYPE

REDIRECT = "http://127.0.0.1:8000/backend/allegro/callback/"
VERIFIER = "a" * 20 + "-verifier-" + "b" * 20


def basic(client_id: str = "demo-client-id", secret: str = "demo-client-secret") -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
def client(emulator: Emulator) -> httpx.Client:
    return emulator.http_client(follow_redirects=False)


def authorize(
    client: httpx.Client,
    *,
    redirect_uri: str = REDIRECT,
    pkce: bool = True,
    decision: str = "allow",
    password: str = "demo1234",
) -> httpx.Response:
    params = {
        "response_type": "code",
        "client_id": "demo-client-id",
        "redirect_uri": redirect_uri,
        "state": "csrf-123",
    }
    if pkce:
        params |= {"code_challenge": challenge(VERIFIER), "code_challenge_method": "S256"}
    page = client.get("/auth/oauth/authorize", params=params)
    assert page.status_code == 200
    assert "Zezwól" in page.text
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    form |= {"login": "demo-sprzedawca", "password": password, "decision": decision}
    return client.post("/auth/oauth/authorize", data=form)


def code_from(response: httpx.Response) -> str:
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT)
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["csrf-123"]
    return query["code"][0]


def exchange(client: httpx.Client, code: str, **extra: str) -> httpx.Response:
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    params |= {"code_verifier": VERIFIER} | extra
    return client.post("/auth/oauth/token", params=params, headers={"Authorization": basic()})


def refresh(client: httpx.Client, token: str) -> httpx.Response:
    return client.post(
        "/auth/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        headers={"Authorization": basic()},
    )


def me(client: httpx.Client, access_token: str) -> httpx.Response:
    return client.get(
        "/me", headers={"Authorization": f"Bearer {access_token}", "Accept": MEDIA_TYPE}
    )


def test_authorization_code_flow_with_pkce(client: httpx.Client) -> None:
    response = exchange(client, code_from(authorize(client)))

    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert set(body) == {
        "access_token",
        "token_type",
        "refresh_token",
        "expires_in",
        "scope",
        "allegro_api",
        "jti",
    }
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 43199
    assert "allegro:api:orders:read" in body["scope"]
    assert me(client, body["access_token"]).json()["login"] == "demo-sprzedawca"


def test_login_page_is_polish_and_wrong_password_is_refused(client: httpx.Client) -> None:
    response = authorize(client, password="wrong")

    assert response.status_code == 401
    assert "Nieprawidłowy login lub hasło" in response.text


def test_cancel_redirects_with_access_denied(client: httpx.Client) -> None:
    response = authorize(client, decision="deny")

    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {"error": ["access_denied"], "state": ["csrf-123"]}


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:8000/backend/allegro/callback",  # no trailing slash
        "https://127.0.0.1:8000/backend/allegro/callback/",
        "http://evil.example/backend/allegro/callback/",
    ],
)
def test_inexact_redirect_uri_gets_an_error_page_not_a_redirect(
    client: httpx.Client, redirect_uri: str
) -> None:
    response = client.get(
        "/auth/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": "demo-client-id",
            "redirect_uri": redirect_uri,
        },
    )

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "redirect_uri" in response.text


def test_unknown_client_gets_an_error_page(client: httpx.Client) -> None:
    response = client.get(
        "/auth/oauth/authorize",
        params={"response_type": "code", "client_id": "nope", "redirect_uri": REDIRECT},
    )

    assert response.status_code == 400
    assert "client_id" in response.text


def test_token_exchange_needs_the_same_redirect_uri(client: httpx.Client) -> None:
    code = code_from(authorize(client))

    response = exchange(
        client, code, redirect_uri="http://localhost:8000/backend/allegro/callback/"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Redirect URI mismatch.",
    }


def test_wrong_pkce_verifier_is_invalid_grant(client: httpx.Client) -> None:
    code = code_from(authorize(client))

    response = exchange(client, code, code_verifier="x" * 50)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_is_single_use(client: httpx.Client) -> None:
    code = code_from(authorize(client))
    assert exchange(client, code).status_code == 200

    again = exchange(client, code)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_code_expires_after_ten_minutes(client: httpx.Client, emulator: Emulator) -> None:
    code = code_from(authorize(client))
    emulator.world.clock.advance(601)

    response = exchange(client, code)

    assert response.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(client: httpx.Client) -> None:
    response = client.post(
        "/auth/oauth/token",
        params={"grant_type": "client_credentials"},
        headers={"Authorization": basic(secret="wrong")},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_refresh_rotates_with_a_sixty_second_grace(
    client: httpx.Client, emulator: Emulator
) -> None:
    first = emulator.issue_tokens()
    second = refresh(client, first["refresh_token"])
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert me(client, second.json()["access_token"]).status_code == 200

    emulator.world.clock.advance(30)
    within_grace = refresh(client, first["refresh_token"])
    assert within_grace.status_code == 200

    emulator.world.clock.advance(31)
    after_grace = refresh(client, first["refresh_token"])
    assert after_grace.status_code == 400
    assert after_grace.json()["error"] == "invalid_grant"
    assert refresh(client, second.json()["refresh_token"]).status_code == 200


def test_access_token_expires_after_ttl(client: httpx.Client, emulator: Emulator) -> None:
    tokens = emulator.issue_tokens()
    assert me(client, tokens["access_token"]).status_code == 200

    client.post("/_emulator/clock", json={"advance_seconds": 43200})

    response = me(client, tokens["access_token"])
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_token_ttl_is_settable(client: httpx.Client) -> None:
    assert client.post("/_emulator/token-ttl", json={"seconds": 60}).status_code == 200
    tokens = client.post("/_emulator/tokens", json={}).json()

    assert tokens["expires_in"] == 60


def test_revocation_kills_access_and_refresh_tokens(
    client: httpx.Client, emulator: Emulator
) -> None:
    tokens = emulator.issue_tokens()

    revoked = client.post("/_emulator/revoke", json={"login": "demo-sprzedawca"})

    assert revoked.json() == {"revokedGrants": 1}
    assert me(client, tokens["access_token"]).status_code == 401
    assert refresh(client, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_device_flow_pending_then_approved(client: httpx.Client) -> None:
    started = client.post(
        "/auth/oauth/device",
        data={"client_id": "demo-client-id"},
        headers={"Authorization": basic()},
    ).json()
    assert started["interval"] == 5
    poll = {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": started["device_code"],
    }
    pending = client.post("/auth/oauth/token", params=poll, headers={"Authorization": basic()})
    assert pending.status_code == 400
    assert pending.json()["error"] == "authorization_pending"

    page = client.get(
        urlsplit(started["verification_uri_complete"]).path, params={"code": started["user_code"]}
    )
    assert "Sklep Demo" in page.text
    approved = client.post(
        "/skojarz-aplikacje",
        data={
            "code": started["user_code"],
            "login": "demo-sprzedawca",
            "password": "demo1234",
            "decision": "allow",
        },
    )
    assert approved.status_code == 200

    tokens = client.post("/auth/oauth/token", params=poll, headers={"Authorization": basic()})
    assert tokens.status_code == 200
    assert me(client, tokens.json()["access_token"]).json()["login"] == "demo-sprzedawca"


def test_client_credentials_token_is_refused_on_seller_resources(client: httpx.Client) -> None:
    response = client.post(
        "/auth/oauth/token",
        params={"grant_type": "client_credentials"},
        headers={"Authorization": basic()},
    )
    body = response.json()
    assert "refresh_token" not in body

    refused = me(client, body["access_token"])

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "AccessDeniedException"
