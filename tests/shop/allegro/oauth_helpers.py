"""Playing the seller on the emulator's login page, without a browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fake_allegro import Emulator


def seller_approves(
    emulator: Emulator,
    authorize_url: str,
    *,
    login: str = "demo-sprzedawca",
    password: str = "demo1234",
    decision: str = "allow",
) -> str:
    """Submit the login-and-consent form; return the URL Allegro redirects the browser to."""
    parts = urlsplit(authorize_url)
    fields = {k: v[0] for k, v in parse_qs(parts.query).items()}
    with emulator.http_client() as http:
        page = http.get(parts.path, params=fields)
        assert page.status_code == 200, page.text
        answer = http.post(
            parts.path,
            params=fields,
            data={"login": login, "password": password, "decision": decision},
        )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
