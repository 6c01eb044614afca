"""Input that used to be taken without bounds: each case that was found, kept found."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shop.allegro.models import AllegroShipment
from shop.core.validators import validate_place_name
from shop.orders.models import Order
from tests.shop.allegro.orders.test_pages import imported  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def allegro_writes(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"{e['method']} {e['path']}"
        for e in emulator.requests.entries()
        if e.get("method") in {"POST", "PUT", "PATCH", "DELETE"}
        and not str(e.get("path", "")).startswith("/_emulator")
    ]


def test_a_line_item_of_another_order_is_refused(site_client, allegro, imported):  # noqa: F811
    first, second = imported(count=2)
    foreign = second.items.first().line_item_id
    before = allegro_writes(allegro)
    response = site_client.post(
        reverse("allegro:order_tracking", args=[first.pk]),
        {
            "carrier": "OTHER",
            "carrier_name": "Kurier",
            "waybill": "0000123456789",
            "line_items": [foreign],
        },
    )
    assert response.status_code == 200
    assert "bo-error" in response.content.decode()
    assert allegro_writes(allegro) == before
    assert not AllegroShipment.objects.exists()


def test_the_internal_note_is_bounded(site_client, imported):  # noqa: F811
    form = imported(count=1)[0]
    url = reverse("allegro:order_detail", args=[form.pk])
    data = {"status": form.order.status, "payment_status": form.order.payment_status}
    response = site_client.post(url, {**data, "internal_note": "x" * 2_000_000})
    assert response.status_code == 200
    assert "co najwyżej 5000 znaków" in response.content.decode()
    assert Order.objects.get(pk=form.order.pk).internal_note == ""
    assert site_client.post(url, {**data, "internal_note": "Sprawdzić kolor"}).status_code == 302


@pytest.mark.parametrize(
    "value", ["NaN", "null", "<b>Poznań</b>", "Poznań\x00", "12345", "javascript:x"]
)
def test_a_place_name_is_a_place_name(value):
    with pytest.raises(ValidationError):
        validate_place_name(value)


@pytest.mark.parametrize("value", ["Poznań", "Kędzierzyn-Koźle", "Nowy Dwór Gdański", "O'Hara"])
def test_real_place_names_pass(value):
    validate_place_name(value)


def test_the_configuration_refuses_a_city_that_is_no_city(site_client, linked_account):
    from shop.allegro.accounts.forms import AccountConfigForm

    form = AccountConfigForm(
        data={"client_id": "abcd", "city": "NaN", "post_code": "61-001"}, account=linked_account
    )
    assert not form.is_valid()
    assert "city" in form.errors
