"""HTTP contract of the emulator: media types, spec validation, auth errors, trace ids."""

from __future__ import annotations

from typing import Any

import httpx

from fake_allegro import Emulator
from fake_allegro.spec import MEDIA_TYPE, Spec, null_tolerant


def test_every_response_has_a_trace_id(emulator_http: httpx.Client) -> None:
    ok = emulator_http.get("/me")
    missing = emulator_http.get("/no/such/resource")

    assert ok.status_code == 200
    assert ok.headers["content-type"] == MEDIA_TYPE
    assert len(ok.headers["trace-id"]) == 32
    assert missing.status_code == 404
    assert missing.headers["trace-id"] != ok.headers["trace-id"]


def test_plain_json_accept_is_406(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/me", headers={"Accept": "application/json"})

    assert response.status_code == 406
    assert response.json()["errors"][0]["code"] == "NotAcceptableException"


def test_old_beta_accept_is_406(emulator_http: httpx.Client) -> None:
    response = emulator_http.get(
        "/order/events", headers={"Accept": "application/vnd.allegro.beta.v1+json"}
    )

    assert response.status_code == 406


def test_plain_json_body_is_415(emulator_http: httpx.Client) -> None:
    response = emulator_http.post(
        "/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6/shipments",
        json={"carrierId": "DPD", "waybill": "123"},
    )

    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "NotSupportedException"


def test_query_parameter_out_of_range_is_422_naming_it(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/order/events", params={"limit": 1001})

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "limit"


def test_query_parameter_of_wrong_type_is_400(emulator_http: httpx.Client) -> None:
    response = emulator_http.get("/order/checkout-forms", params={"limit": "many"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "limit"


def test_body_breaking_the_spec_is_422_with_field_path(emulator_http: httpx.Client) -> None:
    response = emulator_http.post(
        "/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6/shipments",
        content=b'{"carrierId": "DPD", "waybill": "' + b"9" * 65 + b'"}',
        headers={"Content-Type": MEDIA_TYPE},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "waybill"


def test_missing_required_body_field_is_422(emulator_http: httpx.Client) -> None:
    response = emulator_http.post(
        "/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6/shipments",
        content=b'{"waybill": "123"}',
        headers={"Content-Type": MEDIA_TYPE},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "carrierId"


def test_malformed_json_is_400(emulator_http: httpx.Client) -> None:
    response = emulator_http.post(
        "/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6/shipments",
        content=b"{not json",
        headers={"Content-Type": MEDIA_TYPE},
    )

    assert response.status_code == 400


def test_missing_token_is_401_unauthorized(emulator: Emulator) -> None:
    with emulator.http_client(headers={"Accept": MEDIA_TYPE}) as client:
        response = client.get("/me")

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_unknown_token_is_401_invalid_token(emulator: Emulator) -> None:
    headers = {"Accept": MEDIA_TYPE, "Authorization": "Bearer not-a-token"}
    with emulator.http_client(headers=headers) as client:
        response = client.get("/me")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_wrong_method_is_405(emulator_http: httpx.Client) -> None:
    response = emulator_http.post(
        "/order/checkout-forms/29738e61-7f6a-11e8-ac45-09db60ede9d6/fulfillment",
        content=b'{"status": "SENT"}',
        headers={"Content-Type": MEDIA_TYPE},
    )

    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "NotAllowedException"


def test_app_token_reads_public_dictionaries(emulator: Emulator) -> None:
    token = emulator.issue_app_token()["access_token"]
    headers = {"Accept": MEDIA_TYPE, "Authorization": f"Bearer {token}"}
    with emulator.http_client(headers=headers) as client:
        carriers = client.get("/order/carriers")
        orders = client.get("/order/checkout-forms")

    assert carriers.status_code == 200
    assert {"id": "OTHER"} in carriers.json()["carriers"]
    assert orders.status_code == 403


def test_me_matches_the_seller(emulator_http: httpx.Client, emulator: Emulator) -> None:
    body = emulator_http.get("/me").json()

    assert body["id"] == emulator.demo_seller.id
    assert body["baseMarketplace"] == {"id": "allegro-pl"}
    assert body["company"]["name"]


def test_response_violations_are_recorded(emulator_spec: Spec) -> None:
    broken = {"checkoutForms": [{"id": "x", "status": "WEIRD"}], "count": 1, "totalCount": 1}

    violations = emulator_spec.check_response("GET", "/order/checkout-forms", 200, broken)

    paths = {v.path for v in violations}
    assert "checkoutForms[0].status" in paths
    assert "checkoutForms[0].buyer" in paths


def test_null_tolerant_spec_allows_null_but_keeps_required(emulator_spec: Spec) -> None:
    form: dict[str, Any] = {
        "id": "29738e61-7f6a-11e8-ac45-09db60ede9d6",
        "status": "READY_FOR_PROCESSING",
        "messageToSeller": None,
        "buyer": {"id": "1", "email": "a@b.pl", "login": "x", "guest": False, "companyName": None},
        "lineItems": [],
        "surcharges": [],
        "summary": {"totalToPay": {"amount": "1.00", "currency": "PLN"}},
        "delivery": {"cancellation": None, "pickupPoint": None},
        "somethingNew": {"kept": True},
    }

    assert emulator_spec.check_schema("CheckoutForm", form, nullable=True) == []
    assert emulator_spec.check_schema("CheckoutForm", form, nullable=False) != []
    del form["buyer"]
    assert emulator_spec.check_schema("CheckoutForm", form, nullable=True) != []


def test_null_tolerant_copy_leaves_the_original_alone() -> None:
    spec = {
        "components": {
            "schemas": {
                "A": {
                    "type": "object",
                    "properties": {"nullable": {"type": "string", "enum": ["X"]}},
                }
            }
        },
        "paths": {},
    }

    copy = null_tolerant(spec)

    a = copy["components"]["schemas"]["A"]
    assert a["nullable"] is True
    assert a["properties"]["nullable"]["enum"] == ["X", None]
    assert "nullable" not in spec["components"]["schemas"]["A"]


def test_ten_threads_at_once(emulator: Emulator, emulator_tokens: dict[str, str]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Accept": MEDIA_TYPE, "Authorization": f"Bearer {emulator_tokens['access_token']}"}

    def work(n: int) -> list[int]:
        with emulator.http_client(headers=headers) as client:
            statuses = [client.get("/me").status_code for _ in range(5)]
            created = client.post("/_emulator/purchases", json={"synthetic": True, "count": 3})
            statuses.append(created.status_code)
            statuses.append(client.get("/order/events", params={"limit": 1000}).status_code)
            return statuses

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = [s for statuses in pool.map(work, range(10)) for s in statuses]

    assert set(results) == {200, 201}
    assert emulator.world.orders is not None
    assert len(emulator.world.orders.forms) == 30
    ids = [e.id for e in emulator.world.orders.events[emulator.demo_seller.id]]
    assert ids == sorted(set(ids))
