"""Return policies, implied warranties and warranties of the emulator."""

from __future__ import annotations

import json
from typing import Any

import httpx

from fake_allegro.spec import MEDIA_TYPE

JSON = {"Content-Type": MEDIA_TYPE}
BASE = "/after-sales-service-conditions"
ADDRESS = {
    "name": "Sklep",
    "street": "Długa 1",
    "postCode": "00-950",
    "city": "Warszawa",
    "countryCode": "PL",
}


def _return_policy(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Zwroty 30 dni",
        "isFulfillment": False,
        "availability": {"range": "FULL"},
        "withdrawalPeriod": "P30D",
        "returnCost": {"coveredBy": "SELLER"},
        "address": ADDRESS,
    }
    body.update(changes)
    return body


def test_each_seller_starts_with_one_of_each(emulator_http: httpx.Client):
    for segment, key in (
        ("return-policies", "returnPolicies"),
        ("implied-warranties", "impliedWarranties"),
        ("warranties", "warranties"),
    ):
        body = emulator_http.get(f"{BASE}/{segment}").json()
        assert body["count"] == 1
        assert len(body[key]) == 1
        item_id = body[key][0]["id"]
        assert emulator_http.get(f"{BASE}/{segment}/{item_id}").json()["id"] == item_id
    assert emulator_http.get(f"{BASE}/warranties", params={"limit": 61}).status_code in (400, 422)


def test_return_policy_create_replace_delete(emulator_http: httpx.Client):
    created = emulator_http.post(
        f"{BASE}/return-policies", content=json.dumps(_return_policy()), headers=JSON
    )
    assert created.status_code == 201, created.text
    policy = created.json()
    assert policy["seller"]["id"]
    assert policy["withdrawalPeriod"] == "P30D"
    # ReturnPolicyUpdateRequestV1 has no isFulfillment: Allegro refuses it as unknown.
    update = _return_policy(name="Zwroty 14 dni", withdrawalPeriod="P14D")
    update.pop("isFulfillment")
    replaced = emulator_http.put(
        f"{BASE}/return-policies/{policy['id']}", content=json.dumps(update), headers=JSON
    )
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "Zwroty 14 dni"
    assert emulator_http.delete(f"{BASE}/return-policies/{policy['id']}").status_code == 204
    assert emulator_http.get(f"{BASE}/return-policies/{policy['id']}").status_code == 404


def test_return_policy_rules(emulator_http: httpx.Client):
    bad = [
        _return_policy(availability={"range": "RESTRICTED"}),
        _return_policy(
            availability={"range": "FULL", "restrictionCause": {"name": "SEALED_MEDIA"}}
        ),
        _return_policy(withdrawalPeriod="P7D"),
        {k: v for k, v in _return_policy().items() if k != "withdrawalPeriod"},
        _return_policy(address={**ADDRESS, "postCode": "00950"}),
    ]
    for body in bad:
        response = emulator_http.post(
            f"{BASE}/return-policies", content=json.dumps(body), headers=JSON
        )
        assert response.status_code == 422, body
    disabled = _return_policy(
        availability={"range": "DISABLED", "restrictionCause": {"name": "CUSTOM_ITEM"}},
    )
    del disabled["withdrawalPeriod"]
    assert (
        emulator_http.post(
            f"{BASE}/return-policies", content=json.dumps(disabled), headers=JSON
        ).status_code
        == 201
    )


def test_implied_warranty_and_warranty(emulator_http: httpx.Client):
    implied = {
        "name": "Rękojmia",
        "individual": {"period": "P2Y"},
        "corporate": {"period": "P1Y"},
        "address": ADDRESS,
    }
    created = emulator_http.post(
        f"{BASE}/implied-warranties", content=json.dumps(implied), headers=JSON
    )
    assert created.status_code == 201
    short = {**implied, "individual": {"period": "P6M"}}
    assert (
        emulator_http.post(
            f"{BASE}/implied-warranties", content=json.dumps(short), headers=JSON
        ).status_code
        == 422
    )
    warranty = {
        "name": "Gwarancja sprzedawcy",
        "type": "SELLER",
        "individual": {"period": "P12M", "lifetime": False},
        "corporate": {"lifetime": True},
    }
    made = emulator_http.post(f"{BASE}/warranties", content=json.dumps(warranty), headers=JSON)
    assert made.status_code == 201, made.text
    warranty_id = made.json()["id"]
    warranty["individual"] = {"period": "bad"}
    assert (
        emulator_http.put(
            f"{BASE}/warranties/{warranty_id}", content=json.dumps(warranty), headers=JSON
        ).status_code
        == 422
    )
    names = [w["name"] for w in emulator_http.get(f"{BASE}/warranties").json()["warranties"]]
    assert "Gwarancja sprzedawcy" in names
