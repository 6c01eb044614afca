"""The emulator's state survives a restart (pickled world in the data directory)."""

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
from fake_allegro.spec import MEDIA_TYPE, Spec


def test_state_survives_restart(tmp_path: Path, emulator_spec: Spec) -> None:
    first = Emulator(data_dir=tmp_path, spec=emulator_spec)
    tokens = first.issue_tokens()
    with first.http_client() as client:
        form_id = client.post("/_emulator/purchases", json={"synthetic": True}).json()[
            "checkoutFormIds"
        ][0]
    first.save()

    second = Emulator(data_dir=tmp_path, spec=emulator_spec)
    headers = {"Accept": MEDIA_TYPE, "Authorization": f"Bearer {tokens['access_token']}"}
    with second.http_client(headers=headers) as client:
        form = client.get(f"/order/checkout-forms/{form_id}")
        events = client.get("/order/events").json()["events"]

    assert form.status_code == 200
    assert len(events) == 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_server_saves_on_exit(tmp_path: Path) -> None:
    port = _free_port()
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "fake_allegro", "--port", str(port), "--data", str(tmp_path)]
    process = subprocess.Popen(command, env=env, cwd=root, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(f"{url}/_emulator/state", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        created = httpx.post(f"{url}/_emulator/purchases", json={"synthetic": True}, timeout=10)
        assert created.status_code == 201
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)

    restored = Emulator(data_dir=tmp_path)
    assert restored.world.orders is not None
    assert len(restored.world.orders.forms) == 1
