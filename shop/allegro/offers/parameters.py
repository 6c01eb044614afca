"""The dependency rules of Allegro category parameters, evaluated by one pure function.

Allegro describes, per parameter (``GET /sale/categories/{id}/parameters``):

* ``displayedIf`` — ``null``: always shown; otherwise shown only when every
  ``parametersWithValue`` condition holds (the named dictionary parameter has one of
  ``oneOfValueIds``).
* ``requiredIf`` — ``null``: the ``required`` flag alone decides; otherwise required only when
  every ``parametersWithValue`` condition holds *and* every ``parametersWithoutValue`` parameter
  is empty.
* ``options.dependsOnParameterId`` + ``dictionary[].dependsOnValueIds`` — a dictionary value may
  be used only when the other parameter has one of the listed values (an empty list: always).

When ``requiredIf`` is present its conditions alone decide: a ``required: true`` beside it
does not make the parameter required when they fail (EAN, ISBN; allegro/allegro-api #13774).
A parameter that is not shown is never required. Conditions are read on the values as they
were entered, and every entered value is kept: a value of a hidden parameter or a dictionary
value its parent no longer allows is the merchant's to change, never dropped on the way to
Allegro (which names the field in its answer). A condition naming a parameter the category does
not list reads that parameter's values like any other (a catalog product may carry it): with no
value, ``parametersWithValue`` fails and ``parametersWithoutValue`` holds. Real Allegro payloads
carry ``null`` in any of these fields; ``null`` means "no condition".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Values = Mapping[str, Sequence[str]]  # parameter id → selected value ids, or entered values


@dataclass(frozen=True)
class ParameterState:
    visible: bool
    required: bool
    # Dictionary value ids that may be chosen now; None when the parameter has no dictionary.
    allowed_value_ids: frozenset[str] | None


def _conditions(block: Any, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(block, Mapping):
        return []
    items = block.get(key)
    return [c for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []


def _has_one_of(values: Values, condition: Mapping[str, Any]) -> bool:
    wanted = set(condition.get("oneOfValueIds") or [])
    return bool(wanted.intersection(values.get(str(condition.get("id")), ())))


def _is_empty(values: Values, parameter_id: str) -> bool:
    return not any(str(v).strip() for v in values.get(parameter_id, ()))


def _visible(parameter: Mapping[str, Any], values: Values) -> bool:
    block = parameter.get("displayedIf")
    if not isinstance(block, Mapping):
        return True
    return all(_has_one_of(values, c) for c in _conditions(block, "parametersWithValue"))


def _required(parameter: Mapping[str, Any], values: Values, *, for_new_product: bool) -> bool:
    block = parameter.get("requiredIf")
    if for_new_product and parameter.get("requiredForProduct"):
        return True
    if not isinstance(block, Mapping):
        return bool(parameter.get("required"))
    with_value = _conditions(block, "parametersWithValue")
    without_value = _conditions(block, "parametersWithoutValue")
    return all(_has_one_of(values, c) for c in with_value) and all(
        _is_empty(values, str(c.get("id"))) for c in without_value
    )


def _allowed(parameter: Mapping[str, Any], values: Values) -> frozenset[str] | None:
    dictionary = parameter.get("dictionary")
    if not isinstance(dictionary, list):
        return None
    options = parameter.get("options") if isinstance(parameter.get("options"), Mapping) else {}
    parent = options.get("dependsOnParameterId") if options else None
    chosen = set(values.get(str(parent), ())) if parent else set()
    allowed = set()
    for entry in dictionary:
        if not isinstance(entry, Mapping) or entry.get("id") is None:
            continue
        depends = entry.get("dependsOnValueIds") or []
        if not parent or not depends or chosen.intersection(depends):
            allowed.add(str(entry["id"]))
    return frozenset(allowed)


def _states(
    params: list[Mapping[str, Any]], values: Values, *, for_new_product: bool
) -> dict[str, ParameterState]:
    states = {}
    for p in params:
        shown = _visible(p, values)
        states[str(p["id"])] = ParameterState(
            visible=shown,
            required=shown and _required(p, values, for_new_product=for_new_product),
            allowed_value_ids=_allowed(p, values),
        )
    return states


def _entered(values: Values) -> dict[str, list[str]]:
    """The non-blank values per parameter, as strings."""
    entered = {str(k): [str(x) for x in v if str(x).strip()] for k, v in values.items()}
    return {k: v for k, v in entered.items() if v}


def evaluate_parameters(
    parameters: Iterable[Mapping[str, Any]],
    values: Values,
    *,
    for_new_product: bool = False,
) -> dict[str, ParameterState]:
    """Visibility, requirement and allowed dictionary values of every parameter.

    ``values`` maps parameter ids to what is filled in (value ids for dictionaries, entered
    strings otherwise). ``for_new_product`` adds ``requiredForProduct`` (a product proposal).
    """
    params = [p for p in parameters if isinstance(p, Mapping) and p.get("id") is not None]
    return _states(params, _entered(values), for_new_product=for_new_product)


def effective_values(
    parameters: Iterable[Mapping[str, Any]], values: Values
) -> dict[str, list[str]]:
    """The values to send: every non-blank value entered for a parameter of the category."""
    known = {str(p.get("id")) for p in parameters if isinstance(p, Mapping)}
    return {k: v for k, v in _entered(values).items() if k in known}
