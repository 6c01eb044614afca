"""Fixtures for the client tests: a client wired to the in-process emulator, a fake clock.

Every client request goes through ``httpx.WSGITransport`` to ``fake_allegro``, which validates
it against the official spec. The ``audit`` fixture then fails the test if any request was
refused as malformed (400/406/415/422) unless the test declared that status as expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from allegro_api import AllegroClient, InMemoryTokenStore
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import (
    FakeTime,
    RequestAudit,
    make_client,
    make_token_store,
)


@pytest.fixture
def fake_time(emulator: Emulator) -> FakeTime:
    return FakeTime(emulator)


@pytest.fixture
def audit(emulator: Emulator) -> Iterator[RequestAudit]:
    checker = RequestAudit(emulator)
    yield checker
    refused = checker.refused()
    if refused:
        lines = "\n".join(
            f"{e['method']} {e['path']}?{e.get('query', '')} -> {e['status']}" for e in refused
        )
        pytest.fail(f"the emulator refused {len(refused)} request(s) as malformed:\n{lines}")


@pytest.fixture
def token_store(emulator_tokens: dict[str, Any], fake_time: FakeTime) -> InMemoryTokenStore:
    return make_token_store(emulator_tokens, fake_time)


@pytest.fixture
def client(
    emulator: Emulator,
    fake_time: FakeTime,
    token_store: InMemoryTokenStore,
    audit: RequestAudit,
) -> Iterator[AllegroClient]:
    with make_client(emulator, fake_time, token_store=token_store) as instance:
        yield instance
