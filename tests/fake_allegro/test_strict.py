"""What Allegro refuses before a resource runs: unknown JSON properties, languages, User-Agent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_allegro import Emulator
from fake_allegro.spec import MEDIA_TYPE

JSON = {"Content-Type": MEDIA_TYPE}
LANGUAGES = ("en-US", "pl-PL", "uk-UA", "cs-CZ", "sk-SK", "hu-HU")


def _price_command(offer_id: str, **modification: Any) -> dict[str, Any]:
    return {
        "offerCriteria": [{"type": "CONTAINS_OFFERS", "offers": [{"id": offer_id}]}],
        "modification": {
            "type": "FIXED_PRICE",
            "price": {"amount": "45.00", "currency": "PLN"},
            **modification,
        },
    }


def _offer_id(client: httpx.Client) -> str:
    return str(client.get("/sale/offers", params={"limit": 1}).json()["offers"][0]["id"])


def _put_command(client: httpx.Client, body: dict[str, Any], **headers: str) -> httpx.Response:
    return client.put(
        "/sale/offer-price-change-commands/6a0e6e2e-4e8f-4b55-9a3c-000000000001",
        content=json.dumps(body),
        headers={**JSON, **headers},
    )


@pytest.mark.parametrize(
    ("extra", "path", "name"),
    [
        ({"comment": "x"}, "comment", "...comment"),
        ({"modification": {"note": "y"}}, "modification.note", "...note"),
        ({"offerCriteria": [{"kind": "z"}]}, "offerCriteria[0].kind", "...kind"),
    ],
)
def test_unknown_properties_are_refused_at_any_depth(
    emulator_http: httpx.Client, extra: dict[str, Any], path: str, name: str
) -> None:
    body = _price_command(_offer_id(emulator_http))
    for key, value in extra.items():
        if isinstance(value, dict):
            body[key] = {**body[key], **value}
        elif isinstance(value, list):
            body[key] = [{**body[key][0], **value[0]}]
        else:
            body[key] = value
    answer = _put_command(emulator_http, body)
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["code"] == "UnknownJSONProperty"
    assert error["message"] == "Unknown properties found in the request."
    assert error["path"] == path
    assert error["metadata"] == {"unknownProperties": name}
    assert "nieobsługiwane właściwości" in error["userMessage"]


def test_known_properties_of_the_chosen_subtype_pass(emulator_http: httpx.Client) -> None:
    # ``price`` exists only in the FIXED_PRICE subtype picked by the discriminator.
    assert _put_command(emulator_http, _price_command(_offer_id(emulator_http))).status_code == 201
    percent = _price_command(_offer_id(emulator_http))
    percent["modification"] = {"type": "INCREASE_PERCENTAGE", "price": {"amount": "1.00"}}
    answer = emulator_http.put(
        "/sale/offer-price-change-commands/6a0e6e2e-4e8f-4b55-9a3c-000000000002",
        content=json.dumps(percent),
        headers=JSON,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "modification.price"


def test_english_user_message(emulator_http: httpx.Client) -> None:
    body = {**_price_command(_offer_id(emulator_http)), "extra": 1}
    answer = _put_command(emulator_http, body, **{"Accept-Language": "en-US"})
    assert answer.json()["errors"][0]["userMessage"] == (
        "The uploaded data includes unsupported properties. Contact your app creator."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_all_six_languages_on_every_operation(emulator_http: httpx.Client, language: str) -> None:
    # /sale/offer-events documents en-US only; Allegro still answers the other five.
    for path in ("/sale/offer-events", "/sale/offers", "/order/events"):
        answer = emulator_http.get(path, headers={"Accept-Language": language})
        assert answer.status_code == 200, (path, answer.text)


@pytest.mark.parametrize("language", ["de-DE", "pl", "en-GB", "pl-PL,en;q=0.8", "*"])
def test_other_languages_are_refused(emulator_http: httpx.Client, language: str) -> None:
    answer = emulator_http.get("/sale/offers", headers={"Accept-Language": language})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["code"] == "UnsupportedLanguageInAcceptLanguageHeader"
    assert error["message"] == "Unsupported value in Accept-Language header."
    assert error["metadata"] == {"availableLanguages": "en-US, pl-PL, uk-UA, cs-CZ, sk-SK, hu-HU"}


@pytest.mark.parametrize(
    "user_agent",
    [None, "", "python-httpx/0.28.1", "node", "Sklep Demo/1.0 (+https://x.pl)", "Sklep/1.0"],
)
def test_user_agent_must_identify_the_application(
    emulator: Emulator, emulator_tokens: dict[str, Any], user_agent: str | None
) -> None:
    headers = {"Authorization": f"Bearer {emulator_tokens['access_token']}", "Accept": MEDIA_TYPE}
    with emulator.http_client(headers=headers) as client:
        if user_agent is None:
            del client.headers["User-Agent"]
        else:
            client.headers["User-Agent"] = user_agent
        answer = client.get("/sale/offers")
        assert answer.status_code == 403
        assert answer.json()["errors"][0]["code"] == "AccessDeniedException"
        client.post("/_emulator/user-agent", json={"required": False})
        assert client.get("/sale/offers").status_code == 200
        assert client.get("/_emulator/state").json()["userAgentRequired"] is False


def test_state_counts_offers_by_status(emulator: Emulator, emulator_http: httpx.Client) -> None:
    counted: dict[str, int] = {}
    for login in ("demo-sprzedawca", "demo-hurtownia"):
        token = emulator.issue_tokens(login=login)["access_token"]
        for status in ("INACTIVE", "ACTIVE", "ACTIVATING", "ENDED"):
            body = emulator_http.get(
                "/sale/offers",
                params={"publication.status": status, "limit": 1},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            if body["totalCount"]:
                counted[status] = counted.get(status, 0) + body["totalCount"]
    state = emulator_http.get("/_emulator/state").json()
    assert state["offersByStatus"] == counted
    assert sum(counted.values()) >= 12


def test_seeded_images_are_served_by_the_emulator(emulator_http: httpx.Client) -> None:
    product = emulator_http.get("/sale/products", params={"phrase": "Lalka"}).json()["products"][0]
    offer = emulator_http.get("/sale/offers", params={"limit": 1}).json()["offers"][0]
    for url in (product["images"][0]["url"], offer["primaryImage"]["url"]):
        assert url.startswith("http://fake-allegro.test/images/original/")
        picture = emulator_http.get(url.removeprefix("http://fake-allegro.test"))
        assert picture.status_code == 200
        assert picture.headers["Content-Type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG\r\n\x1a\n")
    seeds = Path(__file__).resolve().parents[2] / "fake_allegro" / "sale"
    for seed in seeds.glob("seed_*.py"):
        assert "https://" not in seed.read_text(), seed


def test_procfile_starts_the_buyers() -> None:
    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    emulator_line = next(line for line in procfile.splitlines() if line.startswith("emulator:"))
    assert "--buyer-rate ${EMULATOR_BUYER_RATE:-2}" in emulator_line
