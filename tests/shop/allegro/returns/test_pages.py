"""The Zwroty pages and the order page's returns section, through the site."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from fake_allegro import Emulator
from shop.allegro.models import AllegroCustomerReturn, AllegroRefund, RefundState
from shop.allegro.returns.services import returns_import
from shop.orders.models import PaymentStatus
from tests.shop.allegro.returns.conftest import requests_to

pytestmark = pytest.mark.django_db


def test_list_detail_and_order_section_show_labels_not_codes(
    allegro: Emulator, linked_account, sent_form, declare_return, site_client
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form)
    response = site_client.post(reverse("allegro:returns_import"), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "dostarczony" in text and "towar uszkodzony" in text
    assert "DELIVERED" not in re.sub(r'data-[a-z]+="[^"]*"|value="[^"]*"', "", text)
    filtered = site_client.get(reverse("allegro:returns"), {"status": "REJECTED"})
    assert "Brak zwrotów." in filtered.content.decode()

    row = AllegroCustomerReturn.objects.get()
    detail = site_client.get(reverse("allegro:return_detail", args=[row.pk]))
    assert "Odrzuć zwrot" in detail.content.decode()
    order_page = site_client.get(reverse("allegro:order_detail", args=[sent_form.pk]))
    page = order_page.content.decode()
    assert 'id="returns"' in page and "Przyjmij zwrot" in page


def test_refund_form_prefilled_from_the_return_and_sent_once(
    allegro: Emulator, linked_account, sent_form, declare_return, site_client
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form, quantity=1)
    returns_import(account=linked_account)
    row = AllegroCustomerReturn.objects.get()
    url = reverse("allegro:order_refund", args=[sent_form.pk])
    page = site_client.get(url, {"return": row.pk}).content.decode()
    line_id = sent_form.raw["lineItems"][0]["id"]
    assert f'name="qty_{line_id}"' in page
    assert re.search(rf'name="qty_{line_id}" id="[^"]+" value="1" min="0" max="2"', page)
    command = re.search(r'name="command_id" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = {
        "command_id": command,
        "reason": "REFUND",
        f"qty_{line_id}": "1",
        "delivery": "",
        "return": str(row.pk),
    }
    first = site_client.post(url, body)
    second = site_client.post(url, body)  # a double submit
    assert first.status_code == second.status_code == 302
    assert AllegroRefund.objects.get().state == RefundState.SENT
    assert len(requests_to(allegro, "POST", "/payments/refunds")) == 1
    sent_form.order.refresh_from_db()
    assert sent_form.order.refunded_amount == Decimal("50.00")
    assert sent_form.order.payment_status == PaymentStatus.PARTIALLY_REFUNDED

    too_much = site_client.post(
        url, {**body, "command_id": str(uuid.uuid4()), f"qty_{line_id}": "2"}
    )
    assert too_much.status_code == 200
    assert AllegroRefund.objects.count() == 1


def test_refund_from_the_order_page_offers_everything_left(
    allegro: Emulator, linked_account, sent_form, site_client
) -> None:  # type: ignore[no-untyped-def]
    page = site_client.get(reverse("allegro:order_refund", args=[sent_form.pk])).content.decode()
    line_id = sent_form.raw["lineItems"][0]["id"]
    assert re.search(rf'name="qty_{line_id}" id="[^"]+" value="2" min="0" max="2"', page)
    cost = sent_form.raw["delivery"]["cost"]["amount"]
    if Decimal(cost) > 0:
        assert f'max="{cost}" value="{cost}"' in page
    assert "Allegro pozwala jeszcze zwrócić" in page
