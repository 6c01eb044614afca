"""The invoice forms of the order page: a KSeF visualisation for a company, refusals shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fake_allegro import Emulator
from fake_allegro.faults import Fault
from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroInvoice, InvoiceKind, InvoiceSettings, InvoiceState
from tests.shop.allegro.invoices.test_services import PDF, company, consumer

pytestmark = pytest.mark.django_db


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_company_uploads_the_ksef_visualisation(
    allegro: Emulator, linked_account: Any, site_client: Any
) -> None:
    form = company(allegro, linked_account)
    page = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert 'id="invoices-section"' in page
    assert "fakturę trzeba wystawić w KSeF" in page
    assert 'id="invoice-generate"' not in page
    url = reverse("allegro:order_invoice_attach", args=[form.pk])
    missing = site_client.post(
        url, {"number": "FV/5/2026", "file": SimpleUploadedFile("fv.pdf", PDF)}
    )
    assert any("Numer KSeF" in m for m in _messages(missing))
    response = site_client.post(
        url,
        {
            "number": "FV/5/2026",
            "ksef_number": "6544879869-20261207-0A1B2C3D4E5F-01",
            "file": SimpleUploadedFile("fv.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    invoice = AllegroInvoice.objects.get(form=form)
    assert invoice.kind == InvoiceKind.KSEF
    assert invoice.state == InvoiceState.WAITING
    assert orders_of(allegro.world).invoices[form.form_id][0].content == PDF
    page = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert "6544879869-20261207-0A1B2C3D4E5F-01" in page
    assert "Allegro sprawdza plik" in page


def test_a_file_that_is_not_a_pdf_is_refused_before_sending(
    allegro: Emulator, linked_account: Any, site_client: Any
) -> None:
    form = consumer(allegro, linked_account)
    response = site_client.post(
        reverse("allegro:order_invoice_attach", args=[form.pk]),
        {"number": "FV/6/2026", "file": SimpleUploadedFile("fv.pdf", b"\x89PNG\r\n")},
    )
    assert any("nie jest plik PDF" in m for m in _messages(response))
    assert form.form_id not in orders_of(allegro.world).invoices


def test_the_awaiting_page_lists_and_saves_settings(
    allegro: Emulator, linked_account: Any, site_client: Any
) -> None:
    person = consumer(allegro, linked_account)
    url = reverse("allegro:invoices_awaiting")
    page = site_client.get(url).content.decode()
    assert f'data-form="{person.form_id}"' in page
    saved = site_client.post(
        url,
        {
            "seller_name": "Sklep Demo sp. z o.o.",
            "seller_address": "ul. Długa 1\n61-001 Poznań",
            "seller_nip": "PL 781-123-45-63",
            "place": "Poznań",
            "number_pattern": "F/{n}/{month}/{year}",
        },
    )
    assert saved.status_code == 302
    assert InvoiceSettings.objects.get().seller_nip == "7811234563"
    bad = site_client.post(url, {"number_pattern": "F/{year}"}).content.decode()
    assert "{n}" in bad
    wrong = site_client.post(
        url, {"seller_nip": "7811234567", "number_pattern": "FV/{n}/{year}"}
    ).content.decode()
    assert "Nieprawidłowy NIP" in wrong
    assert InvoiceSettings.objects.get().seller_nip == "7811234563"


def test_a_failed_invoice_is_sent_again_from_the_order_page(
    allegro: Emulator, linked_account: Any, site_client: Any
) -> None:
    form = consumer(allegro, linked_account)
    allegro.faults.add(Fault(id="upload", path_regex="/file$", method="PUT", status=403))
    site_client.post(
        reverse("allegro:order_invoice_attach", args=[form.pk]),
        {"number": "FV/7/2026", "file": SimpleUploadedFile("fv.pdf", PDF)},
    )
    invoice = AllegroInvoice.objects.get(form=form)
    assert invoice.state == InvoiceState.FAILED
    page = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert "Wyślij ponownie" in page
    allegro.faults.clear()
    site_client.post(reverse("allegro:order_invoice_retry", args=[form.pk, invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.WAITING
    assert len(orders_of(allegro.world).invoices[form.form_id]) == 1
