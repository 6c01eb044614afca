"""Invoices sent to Allegro orders: nothing sent twice, consumers only for generated ones."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from fake_allegro import Emulator
from fake_allegro.faults import Fault
from fake_allegro.orders.state import orders_of
from shop.allegro.common.client import client_for
from shop.allegro.invoices.mapping import invoice_deadline
from shop.allegro.invoices.printouts import invoice_html, invoice_lines
from shop.allegro.invoices.selectors import forms_awaiting_invoice
from shop.allegro.invoices.services import (
    invoice_attach,
    invoice_generate,
    invoices_generate_bulk,
    invoices_refresh,
    invoices_refresh_pending,
)
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroInvoice,
    InvoiceCounter,
    InvoiceSettings,
    InvoiceState,
)
from shop.allegro.orders.services.importer import orders_import
from shop.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def purchase(emulator: Emulator, **payload: Any) -> str:
    with emulator.http_client() as http:
        response = http.post(
            "/_emulator/purchases", json={"synthetic": True, "count": 1, **payload}
        )
    assert response.status_code == 201, response.text
    return str(response.json()["checkoutFormIds"][0])


def imported(emulator: Emulator, account: Any, **payload: Any) -> AllegroCheckoutForm:
    form_id = purchase(emulator, **payload)
    orders_import(account=account, sweep=False)
    return AllegroCheckoutForm.objects.select_related("order", "account").get(form_id=form_id)


def consumer(emulator: Emulator, account: Any) -> AllegroCheckoutForm:
    return imported(emulator, account, companyBuyer=False, extras={"privateInvoice": True})


def company(emulator: Emulator, account: Any) -> AllegroCheckoutForm:
    return imported(emulator, account, companyBuyer=True, extras={})


def calls(emulator: Emulator, method: str, suffix: str) -> int:
    return sum(
        1
        for e in emulator.requests.entries()
        if e["method"] == method and e["path"].endswith(suffix) and "/_emulator" not in e["path"]
    )


def test_attach_sends_metadata_then_file(allegro: Emulator, linked_account: Any) -> None:
    form = consumer(allegro, linked_account)
    invoice = invoice_attach(form=form, number="FV/7/2026", pdf_bytes=PDF, file_name="fv.pdf")
    assert invoice.state == InvoiceState.WAITING
    assert invoice.allegro_id
    stored = orders_of(allegro.world).invoices[form.form_id]
    assert [(i.number, i.content) for i in stored] == [("FV/7/2026", PDF)]
    assert calls(allegro, "GET", "/invoices") == 1
    assert calls(allegro, "POST", "/invoices") == 1
    assert calls(allegro, "PUT", "/file") == 1


def test_retry_after_a_failed_upload_only_sends_the_file(
    allegro: Emulator, linked_account: Any
) -> None:
    form = consumer(allegro, linked_account)
    # A refusal that is not retried by the client (a 5xx would be, with real waits).
    allegro.faults.add(Fault(id="upload", path_regex="/file$", method="PUT", status=403))
    failed = invoice_attach(form=form, number="FV/8/2026", pdf_bytes=PDF)
    assert failed.state == InvoiceState.FAILED
    assert failed.allegro_id  # stored before the file went
    assert "Allegro" in failed.last_error
    allegro.faults.clear()
    again = invoice_attach(form=form, number="FV/8/2026", pdf_bytes=PDF)
    assert again.pk == failed.pk
    assert again.state == InvoiceState.WAITING
    assert calls(allegro, "POST", "/invoices") == 1
    assert len(orders_of(allegro.world).invoices[form.form_id]) == 1
    with pytest.raises(ApplicationError, match="już w Allegro"):
        invoice_attach(form=form, number="FV/8/2026", pdf_bytes=PDF)
    assert calls(allegro, "POST", "/invoices") == 1


def test_lost_metadata_answer_is_adopted_not_repeated(
    allegro: Emulator, linked_account: Any
) -> None:
    """Metadata that Allegro created although the shop never learnt its id is found by number."""
    form = consumer(allegro, linked_account)
    client_for(linked_account).order_invoices.create(
        form.form_id, file_name="x.pdf", invoice_number="FV/9/2026"
    )
    before = calls(allegro, "POST", "/invoices")
    invoice = invoice_attach(form=form, number="FV/9/2026", pdf_bytes=PDF)
    assert invoice.state == InvoiceState.WAITING
    assert calls(allegro, "POST", "/invoices") == before
    assert len(orders_of(allegro.world).invoices[form.form_id]) == 1


def test_refusals_are_explained(allegro: Emulator, linked_account: Any) -> None:
    plain = imported(allegro, linked_account, companyBuyer=False, extras={})
    with pytest.raises(ApplicationError, match="nie prosił o fakturę"):
        invoice_attach(form=plain, number="A/1", pdf_bytes=PDF)
    form = consumer(allegro, linked_account)
    with pytest.raises(ApplicationError, match="nie jest plik PDF"):
        invoice_attach(form=form, number="A/2", pdf_bytes=b"GIF89a")
    with pytest.raises(ApplicationError, match="pusty"):
        invoice_attach(form=form, number="A/3", pdf_bytes=b"")
    assert calls(allegro, "POST", "/invoices") == 0
    # Allegro's own refusal: the buyer's wish changed on Allegro after the import.
    orders_of(allegro.world).forms[form.form_id].data["invoice"]["required"] = False
    failed = invoice_attach(form=form, number="A/4", pdf_bytes=PDF)
    assert failed.state == InvoiceState.FAILED
    assert "Kupujący nie zaznaczył" in failed.last_error
    assert "identyfikator błędu Allegro" in failed.last_error


def test_generated_invoice_for_a_consumer(allegro: Emulator, linked_account: Any) -> None:
    form = consumer(allegro, linked_account)
    invoice = invoice_generate(form=form)
    year = timezone.localdate().year
    assert invoice.number == f"FV/1/{year}"
    assert invoice.state == InvoiceState.WAITING
    stored = orders_of(allegro.world).invoices[form.form_id][0]
    assert stored.content and stored.content.startswith(b"%PDF-")
    with pytest.raises(ApplicationError, match="ma już fakturę"):
        invoice_generate(form=form)
    html = invoice_html(invoice=invoice)
    assert invoice.number in html
    assert form.order is not None and form.order.number in html
    other = consumer(allegro, linked_account)
    assert invoice_generate(form=other).number == f"FV/2/{year}"
    assert InvoiceCounter.objects.get(year=year).last_number == 2


def test_no_invoice_is_generated_without_the_seller_details(
    allegro: Emulator, linked_account: Any
) -> None:
    InvoiceSettings.objects.update(seller_nip="")
    form = consumer(allegro, linked_account)
    with pytest.raises(ApplicationError, match="Uzupełnij dane sprzedawcy"):
        invoice_generate(form=form)
    assert not AllegroInvoice.objects.exists()
    assert not InvoiceCounter.objects.exists()
    assert calls(allegro, "POST", "/invoices") == 0


def test_company_gets_no_generated_invoice(allegro: Emulator, linked_account: Any) -> None:
    form = company(allegro, linked_account)
    with pytest.raises(ApplicationError, match="KSeF"):
        invoice_generate(form=form)
    assert not AllegroInvoice.objects.exists()
    assert not InvoiceCounter.objects.exists()
    with pytest.raises(ApplicationError, match="numer KSeF"):
        invoice_attach(form=form, number="FV/1/K", pdf_bytes=PDF, kind="ksef")
    invoice = invoice_attach(
        form=form,
        number="FV/1/K",
        pdf_bytes=PDF,
        kind="ksef",
        ksef_number="5555555555-20260101-ABC",
    )
    assert invoice.state == InvoiceState.WAITING
    assert calls(allegro, "POST", "/invoices") == 1


def test_scan_state_moves_forward(allegro: Emulator, linked_account: Any) -> None:
    form = consumer(allegro, linked_account)
    invoice = invoice_generate(form=form)
    counts = invoices_refresh_pending(account=linked_account)
    assert counts["still_waiting"] == 1
    allegro.world.clock.advance(61)
    counts = invoices_refresh_pending(account=linked_account)
    assert counts["accepted"] == 1
    assert counts["still_waiting"] == 0
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ACCEPTED
    assert invoice.verified_at is not None
    with allegro.http_client() as http:
        http.post(f"/_emulator/checkout-forms/{form.form_id}/invoices/scan", json={})
    assert invoices_refresh(form=form)["requests"] == 1


def test_bulk_and_awaiting_list(allegro: Emulator, linked_account: Any) -> None:
    person = consumer(allegro, linked_account)
    firm = company(allegro, linked_account)
    plain = imported(allegro, linked_account, companyBuyer=False, extras={})
    awaiting = {r.form.pk: r for r in forms_awaiting_invoice(account=linked_account)}
    assert set(awaiting) == {person.pk, firm.pk}
    assert not awaiting[person.pk].overdue
    assert awaiting[firm.pk].tax_id
    assert firm.order is not None
    firm.order.invoice_due_date = timezone.localdate().replace(day=1) - timedelta(days=1)
    firm.order.save(update_fields=["invoice_due_date"])
    rows = forms_awaiting_invoice(account=linked_account)
    assert [(r.form.pk, r.overdue) for r in rows] == [(firm.pk, True), (person.pk, False)]
    results = invoices_generate_bulk(
        account=linked_account, form_ids=[person.pk, firm.pk, plain.pk]
    )
    outcomes = {r.form.pk: r.outcome for r in results}
    assert outcomes == {person.pk: "attached", firm.pk: "ksef", plain.pk: "skipped"}
    assert calls(allegro, "POST", "/invoices") == 1
    assert {r.form.pk for r in forms_awaiting_invoice(account=linked_account)} == {firm.pk}
    again = invoices_generate_bulk(account=linked_account, form_ids=[person.pk])
    assert [r.outcome for r in again] == ["skipped"]
    assert calls(allegro, "POST", "/invoices") == 1


def test_deadline_rule() -> None:
    assert invoice_deadline(due_date=None, sold_on=date(2026, 1, 31)) == date(2026, 2, 15)
    assert invoice_deadline(due_date=None, sold_on=date(2026, 12, 3)) == date(2027, 1, 15)
    assert invoice_deadline(due_date=date(2026, 5, 1), sold_on=date(2026, 1, 3)) == date(2026, 5, 1)


def test_invoice_lines_add_up_to_what_the_buyer_pays(
    allegro: Emulator, linked_account: Any
) -> None:
    extras = {"privateInvoice": True, "deposit": True, "carryIn": True, "coupon": True}
    form = imported(allegro, linked_account, companyBuyer=False, items=3, extras=extras)
    assert form.order is not None
    lines = invoice_lines(form.order)
    assert sum(line.gross for line in lines) == form.order.total
    assert any(line.vat == "np" for line in lines)  # the deposit carries no VAT
