"""The shop's parameter rules and the emulator's agree on every seeded category.

For each leaf category hypothesis draws values (dictionary values its parent may not allow,
values of parameters the category does not list, empty parameters) and asks both sides:
``shop.allegro.offers.parameters.evaluate_parameters`` and the emulator's rules, first as functions
(displayed, required, allowed values), then over HTTP: a draft offer with those values comes
back with exactly the missing required parameters the shop predicts, or with a 422 naming
exactly the dictionary values the shop says are not allowed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_allegro import Emulator
from fake_allegro.sale import seed_categories
from fake_allegro.sale.validation import parameter_rules
from fake_allegro.spec import MEDIA_TYPE, Spec
from shop.allegro.offers.parameters import evaluate_parameters

LEAVES: list[tuple[str, str]] = []


def _collect(nodes: list[seed_categories.Node]) -> None:
    for cid, _name, group, _keywords, children in nodes:
        if children:
            _collect(children)
        elif group is not None:
            LEAVES.append((cid, group))


_collect(seed_categories.TREE)
# One leaf per parameter group: the rules depend on the group only.
CATEGORIES = sorted({group: cid for cid, group in LEAVES}.items())
ALL_DEFINITIONS = {d["id"]: d for group in seed_categories.GROUPS.values() for d in group}


def _valid_value(definition: dict[str, Any]) -> list[str]:
    restrictions = definition.get("restrictions") or {}
    kind = definition["type"]
    if kind in ("integer", "float"):
        low = Decimal(str(restrictions["min"]))
        high = Decimal(str(restrictions["max"]))
        if restrictions.get("range"):
            return [str(low), str(high)]
        return [str(int(low)) if kind == "integer" else str(low)]
    return ["9788375780635"[: max(restrictions.get("minLength", 1), 10)]]


@st.composite
def category_values(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]], dict[str, list[str]]]:
    _group, category_id = draw(st.sampled_from(CATEGORIES))
    definitions = seed_categories.GROUPS[_group]
    values: dict[str, list[str]] = {}
    for definition in definitions:
        if not draw(st.booleans()):
            continue
        if definition["type"] == "dictionary":
            ids = [d["id"] for d in definition["dictionary"]]
            many = (definition.get("restrictions") or {}).get("multipleChoices")
            chosen = draw(
                st.lists(st.sampled_from(ids), min_size=1, max_size=2 if many else 1, unique=True)
            )
            values[definition["id"]] = chosen
        else:
            values[definition["id"]] = _valid_value(definition)
    return category_id, definitions, values


@st.composite
def with_foreign_values(
    draw: st.DrawFn,
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Values that also name parameters the category does not list (Stan in cosmetics)."""
    _category, definitions, values = draw(category_values())
    own = {d["id"] for d in definitions}
    foreign = sorted(set(ALL_DEFINITIONS) - own)
    for pid in draw(st.lists(st.sampled_from(foreign), max_size=3, unique=True)):
        definition = ALL_DEFINITIONS[pid]
        if definition["type"] == "dictionary":
            values[pid] = [draw(st.sampled_from([d["id"] for d in definition["dictionary"]]))]
        else:
            values[pid] = _valid_value(definition)
    return definitions, values


@settings(max_examples=300, deadline=None)
@given(with_foreign_values())
def test_rule_functions_agree(case: tuple[list[dict[str, Any]], dict[str, list[str]]]) -> None:
    definitions, values = case
    shop = evaluate_parameters(definitions, values)
    emulator = parameter_rules(definitions, values)
    assert set(shop) == set(emulator)
    for pid, (displayed, required, allowed) in emulator.items():
        state = shop[pid]
        assert (state.visible, state.required, state.allowed_value_ids) == (
            displayed,
            required,
            allowed,
        ), (pid, values)


@pytest.fixture(scope="module")
def module_emulator(emulator_spec: Spec) -> Emulator:
    return Emulator(validate_responses=True, spec=emulator_spec)


@pytest.fixture(scope="module")
def seller_http(module_emulator: Emulator) -> httpx.Client:
    token = module_emulator.issue_tokens()["access_token"]
    return module_emulator.http_client(
        headers={"Authorization": f"Bearer {token}", "Accept": MEDIA_TYPE}
    )


def _entry(definition: dict[str, Any], vals: list[str]) -> dict[str, Any]:
    if definition["type"] == "dictionary":
        return {"id": definition["id"], "valuesIds": vals}
    if (definition.get("restrictions") or {}).get("range"):
        return {"id": definition["id"], "rangeValue": {"from": vals[0], "to": vals[1]}}
    return {"id": definition["id"], "values": vals}


def _draft(category_id: str, definitions: list[dict[str, Any]], values: dict[str, list[str]]):
    by_id = {d["id"]: d for d in definitions}
    product, offer = [], []
    for pid, vals in values.items():
        definition = by_id[pid]
        section = product if definition["options"]["describesProduct"] else offer
        section.append(_entry(definition, vals))
    return {
        "name": "Produkt testowy z parametrami",
        "category": {"id": category_id},
        "parameters": offer,
        "productSet": [
            {
                "product": {
                    "name": "Produkt testowy",
                    "category": {"id": category_id},
                    "parameters": product,
                }
            }
        ],
        "sellingMode": {"format": "BUY_NOW", "price": {"amount": "10.00", "currency": "PLN"}},
        "stock": {"available": 1, "unit": "UNIT"},
        "publication": {"status": "INACTIVE"},
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(category_values())
def test_emulator_answers_what_the_shop_predicts(
    seller_http: httpx.Client,
    module_emulator: Emulator,
    case: tuple[str, list[dict[str, Any]], dict[str, list[str]]],
) -> None:
    category_id, definitions, values = case
    states = evaluate_parameters(definitions, values)
    not_allowed = {
        (pid, value)
        for pid, vals in values.items()
        for value in vals
        if states[pid].allowed_value_ids is not None and value not in states[pid].allowed_value_ids
    }
    missing = {pid for pid, state in states.items() if state.required and not values.get(pid)}
    response = seller_http.post(
        "/sale/product-offers",
        content=json.dumps(_draft(category_id, definitions, values)),
        headers={"Content-Type": MEDIA_TYPE},
    )
    body = response.json()
    if not_allowed:
        assert response.status_code == 422, body
        refused = {
            (e["metadata"]["parameterId"], e["metadata"]["dictionaryValue"])
            for e in body["errors"]
            if e["code"] == "InvalidDictionaryParameter"
        }
        assert refused == not_allowed
        return
    assert response.status_code in (201, 202), body
    reported: set[str] = set()
    for item in body["validation"]["errors"]:
        if item["code"] == "ConstraintViolationException.MissingRequiredParameters":
            reported = set(item["metadata"]["missingParameterIds"].split(","))
    assert reported == missing, (values, body["validation"]["errors"])
    assert not module_emulator.violations
