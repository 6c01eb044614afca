"""Hostile input against every page and every form the back office has.

The pages come from the URL resolver, their ids from the database, the forms and field names
from the pages' own HTML (``tests/security/pages.py``), and the form classes from the code.
Each form is sent, field by field and all at once, numbers at and beyond every bound, markup,
``javascript:`` URLs, CR/LF, NUL, right-to-left overrides, 2 MB, missing and duplicated fields,
and ids of another account's and another order's objects. Every answer must be one a person
can read: no server error, no redirect off the site, no hostile markup rendered, no write
request to Allegro and nothing stored.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections import abc
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms as django_forms
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from shop.allegro.models import AllegroAccount
from shop.core.models import AuditLogEntry
from tests.security.pages import Form, concrete_urls, existing_ids, forms_on, is_local, shop_routes
from tests.shop.allegro.orders.test_pages import purchase

pytestmark = pytest.mark.django_db

MARKUP = '<img src=x onerror=alert(1)><script>alert("x")</script>'
HOSTILE: dict[str, str] = {
    "huge_float": "1e308",
    "nan": "NaN",
    "infinity": "-Infinity",
    "negative_zero": "-0",
    "digits_400": "9" * 400,
    "decimal_29_digits": "1" * 29 + ".99",
    "unicode_digits": "²³٣",
    "negative": "-1",
    "markup": MARKUP,
    "javascript_url": "javascript:alert(1)",
    "crlf": "x\r\nSet-Cookie: owned=1",
    "nul": "a\x00b",
    "rtl_override": "\u202egpj.exe",
    "off_site": "https://evil.example/phish",
}
BIG = "x" * (2 * 1024 * 1024)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def allegro_writes(emulator) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1
        for e in emulator.requests.entries()
        if e.get("method") in WRITE_METHODS and not str(e.get("path", "")).startswith("/_emulator")
    )


def stored_state() -> dict[str, int]:
    """Rows per table and audit entries: a write anywhere changes one of them."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"allegro", "orders", "catalog", "scheduler", "core"}
    }
    counts["audit"] = AuditLogEntry.objects.count()
    return counts


@pytest.fixture
def world(site_client, allegro, linked_account):  # type: ignore[no-untyped-def]
    """A linked account with imported orders and offers, and a second account with its own."""
    from shop.allegro.offers.services.importer import offers_import
    from shop.allegro.orders.services.importer import orders_import
    from shop.scheduler.services.schedule import periodic_tasks_ensure_all

    periodic_tasks_ensure_all()
    purchase(allegro, count=2)
    orders_import(account=linked_account, sweep=False)
    offers_import(account=linked_account)
    AllegroAccount.objects.create(client_id="other-app", city="Gdańsk")
    return linked_account


def pages_and_forms(client: Client) -> tuple[list[str], list[Form]]:
    ids = existing_ids()
    pages: list[str] = []
    found: list[Form] = []
    for route in shop_routes():
        for url in concrete_urls(route, ids):
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                pages.append(url)
                found.extend(forms_on(url, response.content.decode()))
    unique: dict[tuple[str, str, frozenset[str]], Form] = {}
    for form in found:
        unique.setdefault((form.action, form.method, frozenset(form.fields)), form)
    return pages, list(unique.values())


def input_names(form: Form) -> list[str]:
    return [n for n in form.fields if n not in {"csrfmiddlewaretoken", "next"}]


def payloads(form: Form) -> Iterator[tuple[str, dict[str, Any]]]:
    names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
    for label, value in HOSTILE.items():
        yield label, dict.fromkeys(names, value)
    yield "missing", {}
    yield "duplicated", {n: [HOSTILE["markup"], HOSTILE["huge_float"]] for n in names}
    for name in names:
        yield f"2MB in {name}", {name: BIG}


def check(response, label: str, where: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, f"{where} [{label}] answered {response.status_code}"
    if 300 <= response.status_code < 400:
        assert is_local(response.headers["Location"]), (
            f"{where} [{label}] → {response.headers['Location']}"
        )
    body = b"" if response.streaming else response.content
    assert MARKUP.encode() not in body, f"{where} [{label}] rendered the markup unescaped"
    assert b"Set-Cookie: owned" not in b"\n".join(f"{k}: {v}".encode() for k, v in response.items())


def longest_stored_text() -> int:
    """The longest value in any text column of the shop's tables."""
    longest = 0
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in {"allegro", "orders", "catalog", "scheduler", "core"}:
                continue
            for f in model._meta.concrete_fields:
                if f.get_internal_type() in {"CharField", "TextField"}:
                    table, column = (
                        connection.ops.quote_name(x) for x in (model._meta.db_table, f.column)
                    )
                    cursor.execute(f"SELECT MAX(LENGTH({column})) FROM {table}")  # noqa: S608
                    longest = max(longest, cursor.fetchone()[0] or 0)
    return longest


def test_every_form_survives_hostile_input(site_client, allegro, world):
    with translation.override("pl"):
        pages, forms = pages_and_forms(site_client)
    assert len(pages) >= 15, pages
    # Buttons that only act (log out, unlink, import now, the admin's "Yes, delete") take no
    # input to be hostile with.
    forms = [f for f in forms if input_names(f) and not f.action.endswith(("/logout/", "/delete/"))]
    posting = [f for f in forms if f.method == "post"]
    assert len(posting) >= 20, [f.action for f in posting]
    polish_errors = 0
    for form in forms:
        for label, data in payloads(form):
            # Each attempt is rolled back, so one form's answer never changes what the next sees.
            with transaction.atomic():
                writes, state = allegro_writes(allegro), stored_state()
                if form.method == "post":
                    response = site_client.post(form.action, data)
                else:
                    small = {k: v for k, v in data.items() if len(str(v)) < 10_000}
                    response = site_client.get(form.action, small)
                where = f"{form.method.upper()} {form.action} (from {form.page})"
                check(response, label, where)
                if label in HOSTILE or label == "duplicated":
                    # Garbage in every field is never a valid form: nothing may come of it.
                    assert allegro_writes(allegro) == writes, f"{where} [{label}] wrote to Allegro"
                    assert stored_state() == state, f"{where} [{label}] stored something"
                if label.startswith("2MB"):
                    assert longest_stored_text() < 100_000, f"{where} [{label}] stored 2 MB"
                if form.method == "post" and response.status_code == 200 and not response.streaming:
                    text = response.content.decode(errors="replace")
                    polish_errors += "bo-error" in text or "errorlist" in text
                site_client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
                transaction.set_rollback(True)
    assert polish_errors >= 10  # forms answer with field errors, not silence


def test_every_page_survives_hostile_query_strings(site_client, allegro, world):
    ids = existing_ids()
    names = [
        "page",
        "q",
        "status",
        "account",
        "next",
        "sort",
        "order",
        "product",
        "gtin",
        "parent",
        "category_id",
        "from",
        "to",
        "state",
        "code",
    ]
    for route in shop_routes():
        for url in concrete_urls(route, ids, extra_ids=(2**63 - 1,)):
            for label, value in HOSTILE.items():
                response = site_client.get(url, dict.fromkeys(names, value))
                check(response, label, f"GET {url}")


def form_classes() -> list[type[django_forms.BaseForm]]:
    """Every form class defined in the shop's code (modules named ``forms`` or inside ``forms/``)."""
    import shop

    found: list[type[django_forms.BaseForm]] = []
    for info in pkgutil.walk_packages(shop.__path__, "shop."):
        if info.name.rsplit(".", 1)[-1] != "forms" and ".forms." not in info.name:
            continue
        module = importlib.import_module(info.name)
        found.extend(
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj)
            and issubclass(obj, django_forms.BaseForm)
            and obj.__module__ == info.name
        )
    return found


def constructor_arguments(cls: type, objects: dict[type, Any]) -> dict[str, Any] | None:
    """Keyword arguments for a form from the objects at hand, matched by annotated type."""
    module = importlib.import_module(cls.__module__)
    hints = typing.get_type_hints(cls.__init__, globalns=vars(module))
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if parameter.default is not inspect.Parameter.empty:
            continue
        hint = hints.get(name)
        if typing.get_origin(hint) in (list, tuple, abc.Sequence):
            arguments[name] = []
        elif hint in objects:
            arguments[name] = objects[hint]
        else:
            return None
    return arguments


def test_every_form_class_validates_hostile_data_cleanly(world):
    from shop.allegro.models import AllegroCheckoutForm
    from shop.orders.models import Order

    form = AllegroCheckoutForm.objects.select_related("order").first()
    objects: dict[type, Any] = {AllegroAccount: world, Order: form.order, AllegroCheckoutForm: form}
    classes = form_classes()
    assert len(classes) >= 10, classes
    checked = []
    for cls in classes:
        arguments = constructor_arguments(cls, objects)
        if arguments is None:
            continue
        names = list(cls(**arguments).fields)
        for label, value in {**HOSTILE, "big": BIG}.items():
            bound = cls(data=dict.fromkeys(names, value), **arguments)
            assert isinstance(bound.is_valid(), bool), f"{cls.__name__} [{label}]"
            for key, cleaned in getattr(bound, "cleaned_data", {}).items():
                assert not (isinstance(cleaned, str) and len(cleaned) > 100_000), (
                    f"{cls.__name__}.{key} [{label}] accepted {len(cleaned)} characters"
                )
        checked.append(cls.__name__)
    assert len(checked) >= len(classes) // 2, f"only {checked} of {classes}"
