"""`make run PORT=8210`: the demo application sends the seller back to the shop on that port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from fake_allegro import Emulator
from fake_allegro.emulator import demo_redirect_uris

CALLBACK_8210 = "http://127.0.0.1:8210/backend/allegro/callback/"
CALLBACK_8000 = "http://127.0.0.1:8000/backend/allegro/callback/"


def authorize_page(client: httpx.Client, redirect_uri: str) -> httpx.Response:
    return client.get(
        "/auth/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": "demo-client-id",
            "redirect_uri": redirect_uri,
            "state": "s",
        },
    )


def test_redirect_uris_follow_the_site_url() -> None:
    assert demo_redirect_uris() == [
        CALLBACK_8000,
        "http://localhost:8000/backend/allegro/callback/",
    ]
    assert demo_redirect_uris("http://localhost:8210/") == [
        "http://localhost:8210/backend/allegro/callback/",
        CALLBACK_8210,
    ]
    assert demo_redirect_uris("https://sklep.example.pl") == [
        "https://sklep.example.pl/backend/allegro/callback/"
    ]


def test_a_saved_world_follows_the_site_url_it_is_started_with(tmp_path: Path) -> None:
    Emulator(data_dir=tmp_path).save()  # first run: the default port 8000
    emulator = Emulator(data_dir=tmp_path, demo_site_url="http://127.0.0.1:8210")
    with emulator.http_client(follow_redirects=False) as client:
        assert authorize_page(client, CALLBACK_8210).status_code == 200
        # Exactly as registered, as on Allegro: the old port is no longer accepted.
        assert authorize_page(client, CALLBACK_8000).status_code == 400
    emulator.reset()
    assert emulator.demo_application.redirect_uris[0] == CALLBACK_8210


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_server_started_for_port_8210_accepts_its_callback(tmp_path: Path) -> None:
    port = _free_port()
    root = Path(__file__).resolve().parents[2]
    command = [
        *(sys.executable, "-m", "fake_allegro", "--port", str(port), "--data", str(tmp_path)),
        *("--site-url", "http://127.0.0.1:8210"),
    ]
    env = os.environ | {"PYTHONPATH": str(root)}
    process = subprocess.Popen(command, env=env, cwd=root, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{url}/_emulator/state", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=url, follow_redirects=False, timeout=10) as client:
            page = authorize_page(client, CALLBACK_8210)
            assert page.status_code == 200 and "Zezwól" in page.text
            assert authorize_page(client, CALLBACK_8000).status_code == 400
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
