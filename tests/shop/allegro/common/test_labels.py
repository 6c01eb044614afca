"""Every code Allegro's spec lists for the fields we show has a Polish label, not the code."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from django.template import Context, Template

from fake_allegro.orders.state import CARRIERS as EMULATOR_CARRIERS
from fake_allegro.spec import load_spec_dict
from shop.allegro.common import labels

CODE = re.compile(r"^[A-Z0-9_]+$")
# Codes that are also the name people use (carriers, the Polish tax number).
ACRONYMS = frozenset({"DPD", "DHL", "GLS", "UPS", "NIP"})


@cache
def schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = load_spec_dict()["components"]["schemas"]
    return schemas


def enum_of(*path: str) -> list[str]:
    """The enum at a path of schema names and property names (``allOf`` parts searched too)."""
    node: Any = schemas()[path[0]]
    for key in path[1:]:
        parts = [node, *node.get("allOf", [])]
        node = next(p["properties"][key] for p in parts if key in p.get("properties", {}))
    values: list[str] = node["enum"]
    return values


# (labeller, where the spec lists its codes, known map the code must be in)
CASES: list[tuple[str, Callable[[str | None], str], list[str], labels.Labels | None]] = [
    (
        "payment type",
        labels.payment_type_label,
        enum_of("CheckoutFormPaymentType"),
        labels.PAYMENT_TYPES,
    ),
    (
        "payment provider",
        labels.payment_provider_label,
        enum_of("CheckoutFormPaymentProvider"),
        labels.PAYMENT_PROVIDERS,
    ),
    (
        "tax id type",
        labels.tax_id_type_label,
        enum_of("CheckoutFormInvoiceAddressCompanyId", "type"),
        labels.TAX_ID_TYPES,
    ),
    (
        "form status",
        labels.form_status_label,
        enum_of("CheckoutFormStatus"),
        labels.FORM_STATUSES,
    ),
    (
        "fulfillment status",
        labels.fulfillment_status_label,
        enum_of("CheckoutFormFulfillmentStatus"),
        labels.FULFILLMENT_STATUSES,
    ),
    ("offer status", labels.offer_status_label, enum_of("OfferStatus"), labels.OFFER_STATUSES),
    (
        "offer ended by",
        labels.offer_ended_by_label,
        enum_of("Publication", "endedBy"),
        labels.OFFER_ENDED_BY,
    ),
    (
        "order event type",
        labels.order_event_type_label,
        enum_of("OrderEventType"),
        labels.ORDER_EVENT_TYPES,
    ),
    (
        "carrier",
        labels.carrier_label,
        [code for code, _name in EMULATOR_CARRIERS],
        labels.CARRIERS,
    ),
    (
        "handling time",
        labels.handling_time_label,
        enum_of("ModificationDelivery", "handlingTime"),
        None,
    ),
    (
        "offer duration",
        labels.duration_label,
        enum_of("ModificationPublication", "duration"),
        None,
    ),
]


@pytest.mark.parametrize(("kind", "label", "codes", "known"), CASES, ids=[c[0] for c in CASES])
def test_every_code_in_the_spec_has_a_polish_label(kind, label, codes, known) -> None:  # type: ignore[no-untyped-def]
    assert codes, kind
    for code in codes:
        text = label(code)
        assert text and "_" not in text, (kind, code, text)
        assert text != code or code in ACRONYMS, (kind, code, text)
        assert not CODE.match(text) or text in ACRONYMS, (kind, code, text)
        if known is not None:
            assert code in known, (kind, code)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("PT0S", "natychmiast"),
        ("PT24H", "24 godziny"),
        ("PT48H", "2 dni"),
        ("PT168H", "7 dni"),
        ("P1D", "1 dzień"),
        ("P10D", "10 dni"),
        ("PT1440H", "60 dni"),
        ("PT5H", "5 godzin"),
        ("PT22H", "22 godziny"),
        (None, "do wyczerpania"),
    ],
)
def test_durations_read_as_polish_words(code, text) -> None:  # type: ignore[no-untyped-def]
    assert labels.duration_label(code) == text


def test_unknown_codes_fall_back_to_words_and_names_pass_through() -> None:
    assert labels.carrier_label("NEW_CARRIER_X") == "New carrier x"
    assert labels.payment_type_label("SOMETHING_NEW") == "Something new"
    # A delivery method arrives with its name: shown as Allegro wrote it.
    assert labels.delivery_method_label("Allegro Paczkomaty InPost") == "Allegro Paczkomaty InPost"
    assert labels.delivery_method_label("") == ""


def test_template_filter_labels_a_value_and_keeps_default_for_empty() -> None:
    template = Template(
        '{% load allegro_labels %}{{ a|allegro_label:"payment_type" }}|'
        '{{ b|allegro_label:"payment_provider" }}|{{ c|allegro_label:"payment_type"|default:"—" }}'
    )
    rendered = template.render(Context({"a": "CASH_ON_DELIVERY", "b": "P24", "c": None}))
    assert rendered == "za pobraniem|Przelewy24|—"
