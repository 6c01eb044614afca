"""The parcel section of the Allegro order page: defaults, Allegro's refusal on its field, label."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fake_allegro import Emulator
from shop.allegro.models import AllegroParcel, ParcelState

pytestmark = pytest.mark.django_db


def test_the_form_is_prefilled_and_a_refusal_lands_on_its_field(
    allegro: Emulator, site_client: Any, order_of: Any
) -> None:
    form = order_of("inpost-lockers", "CASH_ON_DELIVERY")
    page = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert 'id="parcel-form"' in page
    point = form.raw["delivery"]["pickupPoint"]["id"]
    assert f'value="{point}"' in page
    assert f'value="{form.total}"' in page
    url = reverse("allegro:order_parcel_create", args=[form.pk])
    data = {
        "package_type": "PACKAGE",
        "length": "70",
        "width": "20",
        "height": "10",
        "weight": "2",
        "cod_amount": str(form.total),
        "insurance": str(form.total),
        "point": point,
    }
    section = site_client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "większy niż dopuszczalna wartość" in section
    assert AllegroParcel.objects.get(form=form).state == ParcelState.FAILED
    data["length"] = "40"
    done = site_client.post(url, data, HTTP_HX_REQUEST="true")
    detail = reverse("allegro:order_detail", args=[form.pk])
    assert done["HX-Refresh"] == "true"  # tracking and status change too: reload
    parcel = AllegroParcel.objects.filter(form=form).latest("id")
    assert parcel.state == ParcelState.CREATED
    page = site_client.get(detail).content.decode()
    assert parcel.waybill in page and 'id="parcel-form"' not in page
    assert "Utworzono przesyłkę" in page
    label = site_client.get(
        reverse("allegro:order_parcel_label", args=[form.pk, parcel.pk]) + "?size=A6"
    )
    assert label["Content-Type"] == "application/pdf"
    assert label.content.startswith(b"%PDF-")


def test_an_order_outside_the_service_list_says_so(
    allegro: Emulator, site_client: Any, order_of: Any
) -> None:
    form = order_of("dhl")
    page = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert "nie jest obsługiwana przez Wysyłam z Allegro" in page
    assert 'id="parcel-form"' not in page
