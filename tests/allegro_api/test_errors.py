"""Error mapping: status → exception class, parsed errors[], trace-id, transport failures."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from allegro_api import (
    AllegroAPIError,
    AllegroClient,
    AllegroTimeout,
    AllegroTransportError,
    BadRequest,
    Conflict,
    ErrorDetail,
    Forbidden,
    InMemoryTokenStore,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
    Unprocessable,
)
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import USER_AGENT, FakeTime, RequestAudit, make_client


def add_fault(emulator: Emulator, **fault: Any) -> None:
    with emulator.http_client() as http:
        response = http.post("/_emulator/faults", json=fault)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequest),
        (403, Forbidden),
        (404, NotFound),
        (409, Conflict),
        (422, Unprocessable),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_maps_to_exception(
    emulator: Emulator,
    fake_time: FakeTime,
    token_store: InMemoryTokenStore,
    audit: RequestAudit,
    status: int,
    error_class: type[AllegroAPIError],
) -> None:
    audit.allow(status)
    add_fault(emulator, pathRegex="^/me$", status=status)
    client = make_client(
        emulator, fake_time, token_store=token_store, retry=RetryPolicy(max_attempts=1)
    )
    with pytest.raises(error_class) as caught:
        client.me.get()
    error = caught.value
    assert type(error) is error_class
    assert error.status == status
    assert error.trace_id
    assert error.errors
    assert error.errors[0].code
    assert error.user_message == "Wystąpił błąd. Spróbuj ponownie." or status == 429
    assert error.method == "GET"
    assert error.path == "/me"
    assert error.trace_id in str(error)


def test_errors_are_parsed_with_path_and_metadata() -> None:
    body = {
        "errors": [
            {
                "code": "PARAMETER_MISMATCH",
                "message": "Parameter mismatch",
                "userMessage": "Parametr nie pasuje do produktu.",
                "path": "parameters[0]",
                "details": None,
                "metadata": {"productId": "123"},
            },
            {"code": "OTHER", "message": "Second", "userMessage": "Drugi błąd."},
        ]
    }

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json=body, headers={"trace-id": "abc123"})

    client = AllegroClient(
        user_agent=USER_AGENT,
        transport=httpx.MockTransport(app),
        token_store=InMemoryTokenStore(_token()),
    )
    with pytest.raises(Unprocessable) as caught:
        client.offers.get("1")
    error = caught.value
    assert error.errors[0] == ErrorDetail(
        code="PARAMETER_MISMATCH",
        message="Parameter mismatch",
        user_message="Parametr nie pasuje do produktu.",
        path="parameters[0]",
        details=None,
        metadata={"productId": "123"},
    )
    assert error.codes == ["PARAMETER_MISMATCH", "OTHER"]
    assert error.user_message == "Parametr nie pasuje do produktu. Drugi błąd."
    assert error.trace_id == "abc123"


def test_unknown_status_and_non_json_body() -> None:
    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(418, text="<html>teapot</html>")

    client = AllegroClient(
        user_agent=USER_AGENT,
        transport=httpx.MockTransport(app),
        token_store=InMemoryTokenStore(_token()),
    )
    with pytest.raises(AllegroAPIError) as caught:
        client.me.get()
    assert type(caught.value) is AllegroAPIError
    assert caught.value.errors == []
    assert caught.value.user_message == "Allegro returned HTTP 418."


def test_missing_token_is_unauthorized(
    emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    client = make_client(emulator, fake_time, token_store=InMemoryTokenStore(_token()))
    client.oauth = None
    client._requester.authenticator.oauth = None  # type: ignore[union-attr]
    with pytest.raises(Unauthorized) as caught:
        client.me.get()
    assert caught.value.status == 401
    assert caught.value.codes == ["invalid_token"]


@pytest.mark.parametrize(
    ("exception", "error_class"),
    [
        (httpx.ConnectError("refused"), AllegroTransportError),
        (httpx.ReadTimeout("slow"), AllegroTimeout),
        (httpx.RemoteProtocolError("bad"), AllegroTransportError),
    ],
)
def test_transport_errors_are_wrapped(
    exception: httpx.TransportError, error_class: type[Exception], fake_time: FakeTime
) -> None:
    def app(request: httpx.Request) -> httpx.Response:
        raise exception

    client = AllegroClient(
        user_agent=USER_AGENT,
        transport=httpx.MockTransport(app),
        token_store=InMemoryTokenStore(_token()),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    with pytest.raises(error_class) as caught:
        client.me.get()
    assert caught.value.__cause__ is exception


def test_read_timeout_of_a_get_is_retried_then_raised(
    emulator: Emulator, fake_time: FakeTime, token_store: InMemoryTokenStore, audit: RequestAudit
) -> None:
    def slow_app(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    client = make_client(emulator, fake_time, token_store=token_store)
    client._http._transport = httpx.MockTransport(slow_app)  # type: ignore[attr-defined]
    with pytest.raises(AllegroTimeout):
        client.me.get()
    assert len(fake_time.sleeps) == 3  # retried: GET is idempotent


def _token() -> Any:
    from datetime import UTC, datetime, timedelta

    from allegro_api import TokenSet

    return TokenSet(access_token="t", expires_at=datetime.now(UTC) + timedelta(hours=1))
