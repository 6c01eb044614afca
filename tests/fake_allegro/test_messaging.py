"""The buyer simulator writes about its orders: attachments and hostile text included."""

from __future__ import annotations

import httpx

from fake_allegro import Emulator
from fake_allegro.messaging.state import messaging_of


def test_simulated_buyers_fill_the_inbox(emulator: Emulator, emulator_http: httpx.Client) -> None:
    bought = emulator_http.post("/_emulator/purchases", json={"synthetic": True, "count": 5})
    assert bought.status_code == 201, bought.text
    written = emulator_http.post("/_emulator/messages", json={"count": 60})
    assert written.status_code == 201 and written.json()["created"] == 60

    state = messaging_of(emulator.world)
    messages = list(state.messages.values())
    assert any("<script>" in m.text for m in messages)
    assert any("javascript:" in m.text for m in messages)
    assert any(m.attachment_ids for m in messages)
    assert all(m.order_id for m in messages)

    threads = emulator_http.get("/messaging/threads").json()["threads"]
    assert 1 <= len(threads) <= 5
    listed = emulator_http.get(f"/messaging/threads/{threads[0]['id']}/messages").json()
    assert listed["messages"][0]["relatesTo"]["order"]["id"]
