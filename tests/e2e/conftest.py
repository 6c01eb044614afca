"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="pl-PL", viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.base_url = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/backend/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/backend/")


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def hold_requests(page, pattern: str) -> list:  # type: ignore[no-untyped-def]
    """Hold the browser's requests to ``pattern`` until the test lets each one go."""
    held: list = []
    page.route(pattern, lambda route: held.append(route))
    return held


def wait_until_held(page, held: list) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the request never left the browser")


class LiveEmulator:
    def __init__(self, emulator, url: str):  # type: ignore[no-untyped-def]
        self.emulator = emulator
        self.url = url

    def control(self, path: str, payload: dict[str, object] | None = None) -> object:
        import httpx

        response = httpx.post(f"{self.url}/_emulator{path}", json=payload or {}, timeout=10)
        response.raise_for_status()
        return response.json()


@pytest.fixture
def live_emulator(emulator, settings, live_server) -> Iterator[LiveEmulator]:  # type: ignore[no-untyped-def]
    """The emulator on a real port: the browser visits its login page, the server calls it."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, emulator.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    settings.ALLEGRO_EMULATOR_URL = url
    settings.SITE_URL = live_server.url
    settings.ALLEGRO_TRANSPORT_FACTORY = None
    live = LiveEmulator(emulator, url)
    live.control(
        "/apps",
        {
            "clientId": "e2e-client",
            "clientSecret": "e2e-secret",
            "name": "Sklep E2E",
            "redirectUris": [f"{live_server.url}/backend/allegro/callback/"],
        },
    )
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def linked_live_account(live_emulator):  # type: ignore[no-untyped-def]
    """An account linked to the demo seller on the live emulator (tokens via the control API)."""
    from datetime import timedelta

    from django.utils import timezone

    from shop.allegro.models import AllegroAccount, LinkStatus, Province

    tokens = live_emulator.control(
        "/tokens", {"clientId": "e2e-client", "login": "demo-sprzedawca"}
    )
    live_emulator.emulator.world.sale.retry_after = 0
    return AllegroAccount.objects.create(
        enabled=True,
        client_id="e2e-client",
        client_secret="e2e-secret",
        province=Province.WIELKOPOLSKIE,
        city="Poznań",
        post_code="61-001",
        status=LinkStatus.LINKED,
        login="demo-sprzedawca",
        seller_id=live_emulator.emulator.demo_seller.id,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        token_expires_at=timezone.now() + timedelta(seconds=int(tokens["expires_in"])),
        linked_at=timezone.now(),
    )


@pytest.fixture
def staff_page(page, django_user_model):  # type: ignore[no-untyped-def]
    django_user_model.objects.create_user(
        "kierownik", password="Haslo-1234", is_staff=True, is_superuser=True
    )
    login(page, "kierownik", "Haslo-1234")
    return page
