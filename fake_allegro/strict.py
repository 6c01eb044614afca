"""Checks Allegro makes before a request reaches its resource, beyond the spec's schemas.

* **Unknown JSON properties.** Since October 2024 Allegro refuses request bodies with properties
  its API does not define (allegro/allegro-api #10124, #10204, #10209, #10293, #11503, #11589):
  422 ``UnknownJSONProperty``, message "Unknown properties found in the request.", the property
  named in ``metadata.unknownProperties`` as ``...name``. The spec's ``additionalProperties``
  default (allowed) is not what Allegro does, so a schema that lists ``properties`` admits only
  those (or whatever its ``additionalProperties`` says when it says something).
* **Accept-Language**: one of Allegro's six languages or 422
  ``UnsupportedLanguageInAcceptLanguageHeader`` (openlinker-project/openlinker#436 quotes the body).
* **User-Agent**: ``AppName/1.2.3 (+https://link)`` (mandatory since the end of June 2026,
  allegro/allegro-api #13126, #13260, #13527, #13599, #13689).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fake_allegro.errors import ErrorItem

if TYPE_CHECKING:
    from fake_allegro.spec import Spec

LANGUAGES = ("en-US", "pl-PL", "uk-UA", "cs-CZ", "sk-SK", "hu-HU")

# "AppName/1.2.3 (+https://link-to-app-description)": a name without spaces, a numeric version
# (an optional pre-release/build suffix) and the link in parentheses after a plus.
USER_AGENT_FORMAT = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*/\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.-]+)? \(\+https?://[^\s()]+\)$"
)


def english(language: str | None) -> bool:
    return language == "en-US"


# -- unknown properties ---------------------------------------------------------------------------


class _Shape:
    """What an object schema admits: named properties (each with its candidate schemas)."""

    def __init__(self) -> None:
        self.properties: dict[str, list[Any]] = {}
        self.additional: list[Any] = []  # schemas of properties not named
        self.open = False  # any property admitted (free-form object)
        self.items: list[Any] = []


def _shape(spec: Spec, schema: Any, instance: Any, shape: _Shape, seen: set[int]) -> None:
    top = not seen
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    for name, sub in (schema.get("properties") or {}).items():
        shape.properties.setdefault(name, []).append(sub)
    if "items" in schema:
        shape.items.append(schema["items"])
    additional = schema.get("additionalProperties")
    if additional is True or (isinstance(additional, dict) and not additional):
        shape.open = True
    elif isinstance(additional, dict):
        shape.additional.append(additional)
    composed = [*(schema.get("allOf") or [])]
    branches = [*(schema.get("oneOf") or []), *(schema.get("anyOf") or [])]
    # A discriminator picks the subtype (on a oneOf, or on a base schema its subtypes allOf).
    discriminator = schema.get("discriminator") or {}
    chosen = None
    if isinstance(instance, dict) and discriminator.get("propertyName"):
        chosen = (discriminator.get("mapping") or {}).get(
            str(instance.get(discriminator["propertyName"]))
        )
    if chosen is not None:
        composed.append({"$ref": chosen})
    if chosen is None or not branches:
        composed.extend(branches)
    for sub in composed:
        _shape(spec, sub, instance, shape, seen)
    if (
        not composed
        and not schema.get("properties")
        and additional is None
        and (schema.get("type") == "object" or (top and "type" not in schema))
        and "items" not in schema
    ):
        shape.open = True  # a free-form object (no properties declared)


def unknown_properties(spec: Spec, schema: Any, instance: Any, path: str = "") -> Iterator[str]:
    """Dotted paths of the properties of ``instance`` that ``schema`` does not define."""
    if isinstance(instance, dict):
        shape = _Shape()
        _shape(spec, schema, instance, shape, set())
        if shape.open and not shape.properties:
            return
        for key, value in instance.items():
            where = f"{path}.{key}" if path else key
            candidates = shape.properties.get(key) or shape.additional
            if not candidates:
                if not shape.open:
                    yield where
                continue
            yield from _least(spec, candidates, value, where)
    elif isinstance(instance, list):
        shape = _Shape()
        _shape(spec, schema, instance, shape, set())
        for n, value in enumerate(instance):
            for items in shape.items[:1]:
                yield from unknown_properties(spec, items, value, f"{path}[{n}]")


def _least(spec: Spec, candidates: list[Any], value: Any, where: str) -> Iterator[str]:
    """The unknown properties under ``value`` by the candidate schema that finds the fewest."""
    best: list[str] | None = None
    for candidate in candidates:
        found = list(unknown_properties(spec, candidate, value, where))
        if best is None or len(found) < len(best):
            best = found
        if not best:
            break
    yield from best or []


def unknown_property_errors(paths: list[str], language: str | None) -> list[ErrorItem]:
    user_message = (
        "The uploaded data includes unsupported properties. Contact your app creator."
        if english(language)
        else "Przesłane dane zawierają nieobsługiwane właściwości. Skontaktuj się z dostawcą"
        " oprogramowania."
    )
    return [
        ErrorItem(
            "UnknownJSONProperty",
            "Unknown properties found in the request.",
            user_message,
            path,
            None,
            {"unknownProperties": "..." + re.split(r"[.\]]", path)[-1]},
        )
        for path in paths
    ]


# -- headers --------------------------------------------------------------------------------------


def language_error(value: str) -> ErrorItem:
    available = ", ".join(LANGUAGES)
    return ErrorItem(
        "UnsupportedLanguageInAcceptLanguageHeader",
        "Unsupported value in Accept-Language header.",
        "Podano niewspieraną wartość w nagłówku Accept-Language. Obsługiwane języki to: "
        f"{available}.",
        None,
        None,
        {"availableLanguages": available},
    )


def user_agent_error(value: str | None, language: str | None) -> ErrorItem:
    shown = "missing" if not value else f"'{value}'"
    return ErrorItem(
        "AccessDeniedException",
        f"User-Agent header {shown} does not identify the application: use "
        "'AppName/1.2.3 (+https://link-to-app-description)'",
        "The application does not identify itself. Contact your app creator."
        if english(language)
        else "Aplikacja nie przedstawia się zgodnie z wymaganiami Allegro. Skontaktuj się z"
        " dostawcą oprogramowania.",
        None,
        None,
        {},
    )
