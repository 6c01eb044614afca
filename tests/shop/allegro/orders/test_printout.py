"""PDF printouts of Allegro orders, read back as text."""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.printouts import pick_list, printout_html, printout_pdf
from shop.allegro.orders.services.importer import orders_import
from shop.catalog.models import Product

pytestmark = pytest.mark.django_db


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def pdf_text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


@pytest.fixture
def polish_form(allegro, linked_account) -> AllegroCheckoutForm:  # type: ignore[no-untyped-def]
    """A paid order of a buyer with diacritics, two items with SKUs, a pickup point, an invoice."""
    created = control(allegro, "/purchases", {"synthetic": True, "count": 1, "items": 2})
    form_id = created["checkoutFormIds"][0]
    data = copy.deepcopy(orders_of(allegro.world).forms[form_id].data)
    data["buyer"].update({"firstName": "Żaneta", "lastName": "Łęcka-Źdźbło", "login": "zaneta_gęś"})
    data["messageToSeller"] = "Proszę zapakować na prezent — dziękuję! Zażółć gęślą jaźń."
    skus = ["KUBEK-ŁÓDŹ-01", "ŁYŻKA-ĆMA-02"]
    for item, sku in zip(data["lineItems"], skus, strict=True):
        item["offer"]["external"] = {"id": sku}
        item["offer"]["name"] = f"Produkt {sku} żółty"
    control(allegro, "/checkout-forms", {"checkoutForm": data})
    orders_import(account=linked_account, sweep=True)
    return AllegroCheckoutForm.objects.select_related("order").get(form_id=form_id)


def test_pdf_holds_the_buyer_skus_and_total(polish_form):  # type: ignore[no-untyped-def]
    pdf = printout_pdf(form_ids=[polish_form.pk])
    assert pdf.startswith(b"%PDF")
    text, pages = pdf_text(pdf)
    assert pages == 1
    assert "Żaneta Łęcka-Źdźbło" in text
    assert "KUBEK-ŁÓDŹ-01" in text
    assert "ŁYŻKA-ĆMA-02" in text
    assert polish_form.form_id in text
    assert polish_form.order.number in text
    total = polish_form.order.total
    assert f"{total:.2f}".replace(".", ",") in text
    assert "Zażółć gęślą jaźń" in text


def test_linked_product_sku_and_ean_are_printed(polish_form):  # type: ignore[no-untyped-def]
    from shop.allegro.orders.services.store import order_lines_link_product

    product = Product.objects.create(
        name="Kubek", sku="KUB-SKLEP", ean="5900000000001", price=Decimal(1), stock=5
    )
    line = polish_form.items.order_by("id").first()
    order_lines_link_product(account=polish_form.account, offer_id=line.offer_id, product=product)
    text, _pages = pdf_text(printout_pdf(form_ids=[polish_form.pk]))
    assert "KUB-SKLEP" in text
    assert "5900000000001" in text
    assert line.external_id in text  # the offer's own signature stays visible


def test_batch_has_one_order_per_page_and_a_pick_list(allegro, linked_account):  # type: ignore[no-untyped-def]
    offer = {
        "id": "7000000001",
        "name": "Świeca sojowa",
        "price": "19.90",
        "externalId": "SWIECA-1",
    }
    control(allegro, "/purchases", {"count": 3, "offers": [offer], "items": 1})
    orders_import(account=linked_account, sweep=False)
    forms = list(AllegroCheckoutForm.objects.order_by("id"))
    assert len(forms) == 3
    html = printout_html(form_ids=[f.pk for f in forms], with_pick_list=True)
    assert "Lista kompletacyjna" in html
    pdf = printout_pdf(form_ids=[f.pk for f in forms], with_pick_list=True)
    text, pages = pdf_text(pdf)
    assert pages == 4
    assert "Lista kompletacyjna" in text
    quantity = sum(ln.quantity for f in forms for ln in f.items.all())
    rows = pick_list(
        [
            {
                "number": str(f.order),
                "items": [
                    {"sku": "SWIECA-1", "ean": "", "name": "x", "quantity": ln.quantity}
                    for ln in f.items.all()
                ],
            }
            for f in forms
        ]
    )
    assert [(r.sku, r.quantity) for r in rows] == [("SWIECA-1", quantity)]


def test_download_views(site_client, polish_form, linked_account):  # type: ignore[no-untyped-def]
    response = site_client.get(reverse("allegro:order_printout", args=[polish_form.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text, _pages = pdf_text(response.content)
    assert "Żaneta Łęcka-Źdźbło" in text
    response = site_client.post(reverse("allegro:orders_printout"), {"form": [polish_form.pk]})
    assert response.status_code == 200
    text, pages = pdf_text(response.content)
    assert pages == 2
    assert "Lista kompletacyjna" in text
    response = site_client.post(reverse("allegro:orders_printout"), {"form": ["x"]})
    assert response.status_code == 302


def test_form_with_gaps_still_prints(allegro, linked_account):  # type: ignore[no-untyped-def]
    bare = {
        "id": "11111111-2222-4333-8444-555555555555",
        "status": "BOUGHT",
        "buyer": {"id": "9", "login": "ktoś", "email": None, "guest": None},
        "lineItems": [
            {
                "id": "li-1",
                "offer": {"id": "1", "name": "Coś"},
                "quantity": 1,
                "price": None,
                "originalPrice": None,
            }
        ],
        "surcharges": None,
        "delivery": None,
        "payment": None,
        "summary": None,
    }
    control(allegro, "/checkout-forms", {"checkoutForm": bare})
    orders_import(account=linked_account, sweep=True)
    form = AllegroCheckoutForm.objects.get(form_id=bare["id"])
    text, _pages = pdf_text(printout_pdf(form_ids=[form.pk]))
    assert "ktoś" in text
