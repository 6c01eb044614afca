"""pytest fixtures for tests that talk to the emulator (registered in tests/conftest.py).

* ``emulator_spec`` (session): the parsed spec, loaded once per run.
* ``emulator``: a fresh ``Emulator(validate_responses=True)``; a test fails at teardown if any
  response broke the (null-tolerant) spec or a handler crashed.
* ``emulator_tokens``: a token response for the demo seller on the demo application.
* ``emulator_http``: an ``httpx.Client`` on the emulator with that seller's Bearer token and
  Allegro's ``Accept`` header.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fake_allegro.emulator import Emulator
from fake_allegro.spec import MEDIA_TYPE, Spec, get_spec


@pytest.fixture(scope="session")
def emulator_spec() -> Spec:
    spec = get_spec()
    _ = spec.request_openapi  # build the request validator once per run
    return spec


@pytest.fixture
def emulator(emulator_spec: Spec) -> Iterator[Emulator]:
    instance = Emulator(validate_responses=True, spec=emulator_spec)
    yield instance
    if instance.violations:
        text = "\n".join(instance.violations[:20])
        pytest.fail(f"emulator recorded {len(instance.violations)} violation(s):\n{text}")


@pytest.fixture
def emulator_tokens(emulator: Emulator) -> dict[str, Any]:
    return emulator.issue_tokens()


@pytest.fixture
def emulator_http(emulator: Emulator, emulator_tokens: dict[str, Any]) -> Iterator[httpx.Client]:
    headers = {
        "Authorization": f"Bearer {emulator_tokens['access_token']}",
        "Accept": MEDIA_TYPE,
        "User-Agent": "SklepDemo/1.0 (+http://localhost:8000)",
    }
    with emulator.http_client(headers=headers) as client:
        yield client
