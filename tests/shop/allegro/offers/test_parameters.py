"""The dependency function against the spec's semantics: examples and properties."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shop.allegro.offers.parameters import effective_values, evaluate_parameters

STAN = {
    "id": "11323",
    "name": "Stan",
    "type": "dictionary",
    "required": True,
    "requiredIf": None,
    "displayedIf": None,
    "dictionary": [
        {"id": "11323_1", "value": "Nowy", "dependsOnValueIds": []},
        {"id": "11323_2", "value": "Używany", "dependsOnValueIds": []},
    ],
    "options": {"dependsOnParameterId": None},
}
ISBN = {
    "id": "245669",
    "name": "ISBN",
    "type": "string",
    "required": False,
    "requiredIf": {
        "parametersWithValue": [{"id": "11323", "oneOfValueIds": ["11323_1"]}],
        "parametersWithoutValue": [],
    },
    "displayedIf": None,
    "options": None,
    "dictionary": None,
}
MATERIAL = {
    "id": "3770",
    "name": "Materiał",
    "type": "dictionary",
    "required": True,
    "dictionary": [{"id": "3770_1", "value": "Złoto"}, {"id": "3770_2", "value": "Srebro"}],
}
GOLD = {
    "id": "3771",
    "name": "Próba złota",
    "type": "dictionary",
    "required": False,
    "displayedIf": {"parametersWithValue": [{"id": "3770", "oneOfValueIds": ["3770_1"]}]},
    "requiredIf": {
        "parametersWithValue": [{"id": "3770", "oneOfValueIds": ["3770_1"]}],
        "parametersWithoutValue": [],
    },
    "dictionary": [{"id": "3771_1", "value": "585"}, {"id": "3771_2", "value": "333"}],
}
BRAND = {
    "id": "8413",
    "type": "dictionary",
    "required": False,
    "dictionary": [{"id": "8413_1", "value": "Nike"}, {"id": "8413_2", "value": "Adidas"}],
}
MODEL = {
    "id": "8414",
    "type": "dictionary",
    "required": False,
    "options": {"dependsOnParameterId": "8413"},
    "dictionary": [
        {"id": "8414_1", "value": "Air Max", "dependsOnValueIds": ["8413_1"]},
        {"id": "8414_2", "value": "Superstar", "dependsOnValueIds": ["8413_2"]},
        {"id": "8414_3", "value": "Inny", "dependsOnValueIds": []},
    ],
}
EAN = {
    "id": "225693",
    "type": "string",
    "required": False,
    "requiredIf": {
        "parametersWithValue": [{"id": "11323", "oneOfValueIds": ["11323_1"]}],
        "parametersWithoutValue": [{"id": "224017"}],
    },
}
MPN = {"id": "224017", "type": "string", "required": False}


def test_books_new_condition_makes_isbn_required():
    states = evaluate_parameters([STAN, ISBN], {"11323": ["11323_1"]})
    assert states["245669"].required and states["245669"].visible
    assert not evaluate_parameters([STAN, ISBN], {"11323": ["11323_2"]})["245669"].required
    assert not evaluate_parameters([STAN, ISBN], {})["245669"].required
    assert states["11323"].required


def test_jewellery_gold_shows_and_requires_fineness():
    hidden = evaluate_parameters([MATERIAL, GOLD], {"3770": ["3770_2"]})["3771"]
    assert (hidden.visible, hidden.required) == (False, False)
    shown = evaluate_parameters([MATERIAL, GOLD], {"3770": ["3770_1"]})["3771"]
    assert (shown.visible, shown.required) == (True, True)


def test_value_dependency_limits_the_model_to_the_brand():
    assert evaluate_parameters([BRAND, MODEL], {"8413": ["8413_1"]})["8414"].allowed_value_ids == {
        "8414_1",
        "8414_3",
    }
    assert evaluate_parameters([BRAND, MODEL], {})["8414"].allowed_value_ids == {"8414_3"}
    # A value the brand no longer allows is kept (Allegro names it in its answer), never dropped.
    kept = effective_values([BRAND, MODEL], {"8413": ["8413_2"], "8414": ["8414_1"]})
    assert kept == {"8413": ["8413_2"], "8414": ["8414_1"]}


def test_required_without_value_condition():
    params = [STAN, EAN, MPN]
    assert evaluate_parameters(params, {"11323": ["11323_1"]})["225693"].required
    filled = {"11323": ["11323_1"], "224017": ["ABC-123"]}
    assert not evaluate_parameters(params, filled)["225693"].required


def test_entered_values_count_and_are_kept_even_when_hidden():
    gold_dependent = {
        "id": "9",
        "type": "string",
        "displayedIf": {"parametersWithValue": [{"id": "3771", "oneOfValueIds": ["3771_1"]}]},
    }
    values = {"3770": ["3770_2"], "3771": ["3771_1"]}  # silver, yet a gold fineness entered
    states = evaluate_parameters([MATERIAL, GOLD, gold_dependent], values)
    assert not states["3771"].visible and not states["3771"].required
    assert states["9"].visible  # conditions read the values as entered (as the emulator does)
    assert effective_values([MATERIAL, GOLD, gold_dependent], values) == values


def test_required_flag_does_not_override_required_if():
    isbn = {**ISBN, "required": True}
    assert not evaluate_parameters([STAN, isbn], {"11323": ["11323_2"]})["245669"].required
    assert evaluate_parameters([STAN, isbn], {"11323": ["11323_1"]})["245669"].required


def test_rules_naming_a_parameter_the_category_lacks():
    # EAN's rule names Stan and Kod producenta; the category lists neither.
    states = evaluate_parameters([EAN], {})
    assert not states["225693"].required
    assert evaluate_parameters([EAN], {"11323": ["11323_1"]})["225693"].required
    assert not evaluate_parameters([EAN], {"11323": ["11323_1"], "224017": ["X"]})[
        "225693"
    ].required


def test_real_payload_nulls_are_no_conditions():
    loose = {
        "id": "1",
        "type": "string",
        "required": True,
        "requiredIf": None,
        "displayedIf": None,
        "options": None,
        "dictionary": None,
        "restrictions": None,
        "unit": None,
    }
    state = evaluate_parameters([loose], {})["1"]
    assert (state.visible, state.required, state.allowed_value_ids) == (True, True, None)
    assert evaluate_parameters([{"id": None}, "junk", loose], {})  # type: ignore[list-item]


def test_for_new_product_adds_required_for_product():
    p = {"id": "5", "type": "string", "required": False, "requiredForProduct": True}
    assert not evaluate_parameters([p], {})["5"].required
    assert evaluate_parameters([p], {}, for_new_product=True)["5"].required


# -- properties -------------------------------------------------------------------------------

IDS = [str(i) for i in range(1, 7)]


@st.composite
def parameter_sets(draw: Any) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    params = []
    for pid in IDS:
        values = [f"{pid}_{n}" for n in range(1, 4)]
        others = [i for i in IDS if i != pid]
        parent = draw(st.one_of(st.none(), st.sampled_from(others)))

        def condition(others: list[str] = others) -> dict[str, Any]:
            other = draw(st.sampled_from(others))
            return {
                "id": other,
                "oneOfValueIds": draw(
                    st.lists(
                        st.sampled_from([f"{other}_{n}" for n in range(1, 4)]),
                        min_size=1,
                        max_size=2,
                    )
                ),
            }

        params.append(
            {
                "id": pid,
                "type": "dictionary",
                "required": draw(st.booleans()),
                "displayedIf": draw(
                    st.one_of(st.none(), st.builds(lambda: {"parametersWithValue": [condition()]}))
                ),
                "requiredIf": draw(
                    st.one_of(
                        st.none(),
                        st.builds(
                            lambda others=others: {
                                "parametersWithValue": [condition()] if draw(st.booleans()) else [],
                                "parametersWithoutValue": [{"id": draw(st.sampled_from(others))}]
                                if draw(st.booleans())
                                else [],
                            }
                        ),
                    )
                ),
                "options": {"dependsOnParameterId": parent},
                "dictionary": [
                    {
                        "id": v,
                        "dependsOnValueIds": (
                            draw(
                                st.lists(
                                    st.sampled_from([f"{parent}_{n}" for n in range(1, 4)]),
                                    max_size=2,
                                )
                            )
                            if parent
                            else []
                        ),
                    }
                    for v in values
                ],
            }
        )
    chosen = draw(
        st.dictionaries(
            st.sampled_from(IDS),
            st.lists(st.integers(1, 3), min_size=0, max_size=2),
        )
    )
    values = {pid: [f"{pid}_{n}" for n in ns] for pid, ns in chosen.items()}
    return params, values


@settings(max_examples=300, deadline=None)
@given(parameter_sets())
def test_properties_of_the_evaluation(case):  # type: ignore[no-untyped-def]
    params, values = case
    states = evaluate_parameters(params, values)
    effective = effective_values(params, values)
    by_id = {p["id"]: p for p in params}
    entered = {k: v for k, v in values.items() if v}
    for pid, state in states.items():
        p = by_id[pid]
        # A hidden parameter is never required; every entered value is kept.
        if not state.visible:
            assert not state.required
        # Visibility follows displayedIf on the values as entered.
        if p["displayedIf"] is None:
            assert state.visible
        else:
            holds = all(
                set(c["oneOfValueIds"]) & set(entered.get(c["id"], []))
                for c in p["displayedIf"]["parametersWithValue"]
            )
            assert state.visible == holds
        # Requirement follows requiredIf when present, else the flag.
        if state.visible:
            block = p["requiredIf"]
            if block is None:
                expected = p["required"]
            else:
                expected = all(
                    set(c["oneOfValueIds"]) & set(entered.get(c["id"], []))
                    for c in block["parametersWithValue"]
                ) and all(not entered.get(c["id"]) for c in block["parametersWithoutValue"])
            assert state.required == expected
        # Allowed values follow the parent's values.
        parent = p["options"]["dependsOnParameterId"]
        for entry in p["dictionary"]:
            allowed = (
                not parent
                or not entry["dependsOnValueIds"]
                or bool(set(entry["dependsOnValueIds"]) & set(entered.get(parent, [])))
            )
            assert (entry["id"] in state.allowed_value_ids) == allowed
    assert effective == {k: v for k, v in entered.items() if k in by_id}
    assert evaluate_parameters(params, effective) == states
