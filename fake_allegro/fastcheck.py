"""A compiled yes/no check of JSON values against OpenAPI 3.0 schemas.

``jsonschema`` interprets a schema on every call (about 0.5 ms per order event); this module turns a
schema into nested closures once. It answers only "valid or not": when it says "not", the caller
asks ``jsonschema`` for the exact errors, so ``jsonschema`` stays the authority and this check only
has to be at least as strict. A keyword it does not know makes it answer "not valid" whenever that
schema is reached, which sends the value to ``jsonschema``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_IGNORED = frozenset(
    {
        "description",
        "example",
        "examples",
        "format",
        "default",
        "title",
        "deprecated",
        "discriminator",
        "readOnly",
        "xml",
        "externalDocs",
        "nullable",
    }
)


def _never(_: Any) -> bool:
    return False


def _always(_: Any) -> bool:
    return True


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


class Compiler:
    """Compiles schemas of one document (``$ref`` = ``#/...`` pointers into ``root``)."""

    def __init__(self, root: dict[str, Any]):
        self.root = root
        self._refs: dict[str, Check] = {}

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise KeyError(ref)
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def ref(self, ref: str) -> Check:
        if ref in self._refs:
            return self._refs[ref]
        cell: list[Check] = []

        def lazy(value: Any) -> bool:
            return cell[0](value)

        self._refs[ref] = lazy
        try:
            compiled = self.compile(self.resolve(ref))
        except (KeyError, TypeError):
            compiled = _never
        cell.append(compiled)
        self._refs[ref] = compiled
        return compiled

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return _always
        if not isinstance(schema, dict):
            return _never
        if "$ref" in schema:
            return self.ref(str(schema["$ref"]))
        checks: list[Check] = []
        nullable = bool(schema.get("nullable"))
        for key in schema:
            if key in _IGNORED or key.startswith("x-"):
                continue
            if key in (
                "type",
                "enum",
                "required",
                "properties",
                "additionalProperties",
                "items",
                "allOf",
                "anyOf",
                "oneOf",
                "not",
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "minLength",
                "maxLength",
                "pattern",
                "minItems",
                "maxItems",
                "minProperties",
                "maxProperties",
                "uniqueItems",
                "multipleOf",
            ):
                continue
            return _never  # unknown keyword (writeOnly, ...): let jsonschema decide
        if "type" in schema:
            type_name = schema["type"]
            if not isinstance(type_name, str):
                return _never

            def check_type(v: Any, t: str = type_name, n: bool = nullable) -> bool:
                return (n and v is None) or _is_type(v, t)

            checks.append(check_type)
        if "enum" in schema:
            allowed = list(schema["enum"])

            def check_enum(v: Any, a: list[Any] = allowed) -> bool:
                return any((v == x and type(v) is type(x)) or (v == x and _num(v, x)) for x in a)

            checks.append(check_enum)
        if "required" in schema:
            required = list(schema["required"])

            def check_required(v: Any, r: list[str] = required) -> bool:
                return not isinstance(v, dict) or all(k in v for k in r)

            checks.append(check_required)
        props: dict[str, Check] = {
            name: self.compile(sub) for name, sub in (schema.get("properties") or {}).items()
        }
        additional = schema.get("additionalProperties", True)
        extra: Check | None = None if additional is True else self.compile(additional)
        if props or extra is not None:

            def check_props(v: Any, p: dict[str, Check] = props, e: Check | None = extra) -> bool:
                if not isinstance(v, dict):
                    return True
                for key, item in v.items():
                    sub = p.get(key)
                    if sub is not None:
                        if not sub(item):
                            return False
                    elif e is not None and not e(item):
                        return False
                return True

            checks.append(check_props)
        if "items" in schema:
            item_check = self.compile(schema["items"])

            def check_items(v: Any, c: Check = item_check) -> bool:
                return not isinstance(v, list) or all(c(x) for x in v)

            checks.append(check_items)
        for key, combine in (("allOf", all), ("anyOf", any)):
            if key in schema:
                subs = [self.compile(s) for s in schema[key]]

                def check_comb(v: Any, s: list[Check] = subs, f: Any = combine) -> bool:
                    return bool(f(c(v) for c in s))

                checks.append(check_comb)
        if "oneOf" in schema:
            subs_one = [self.compile(s) for s in schema["oneOf"]]

            def check_one(v: Any, s: list[Check] = subs_one) -> bool:
                return sum(1 for c in s if c(v)) == 1

            checks.append(check_one)
        if "not" in schema:
            negated = self.compile(schema["not"])

            def check_not(v: Any, n: Check = negated) -> bool:
                return not n(v)

            checks.append(check_not)
        checks.extend(_bounds(schema))
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]

        def check_all(v: Any, c: list[Check] = checks) -> bool:
            return all(f(v) for f in c)

        return check_all


def _num(a: Any, b: Any) -> bool:
    numeric = (int, float)
    return (
        isinstance(a, numeric)
        and isinstance(b, numeric)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )


def _bounds(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []

    def num(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    if "minimum" in schema:
        low = schema["minimum"]
        strict = schema.get("exclusiveMinimum") is True
        checks.append(lambda v: not num(v) or (v > low if strict else v >= low))
    if "maximum" in schema:
        high = schema["maximum"]
        strict_max = schema.get("exclusiveMaximum") is True
        checks.append(lambda v: not num(v) or (v < high if strict_max else v <= high))
    if "minLength" in schema:
        n1 = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= n1)
    if "maxLength" in schema:
        n2 = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= n2)
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
    if "minItems" in schema:
        n3 = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= n3)
    if "maxItems" in schema:
        n4 = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= n4)
    if "minProperties" in schema:
        n5 = schema["minProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) >= n5)
    if "maxProperties" in schema:
        n6 = schema["maxProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) <= n6)
    if schema.get("uniqueItems"):
        checks.append(_never)
    if "multipleOf" in schema:
        checks.append(_never)
    return checks
