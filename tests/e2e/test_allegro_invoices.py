"""Invoices on Allegro orders in the browser: generate one on the order page, watch Allegro
check it, the bulk action of the order list, and the page of orders awaiting an invoice."""

from __future__ import annotations

import subprocess

import pytest

from shop.allegro.invoices.demo import demo_invoice_settings_ensure
from shop.allegro.models import AllegroCheckoutForm, AllegroInvoice, InvoiceSettings, InvoiceState
from shop.allegro.orders.services.importer import orders_import
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _buy(live_emulator, *, company: bool, extras: dict[str, bool]) -> str:  # type: ignore[no-untyped-def]
    created = live_emulator.control(
        "/purchases",
        {"synthetic": True, "items": 2, "companyBuyer": company, "extras": extras},
    )
    return str(created["checkoutFormIds"][0])


def _invoice_requests(live_emulator, method: str) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1
        for e in live_emulator.emulator.requests.entries()
        if e["method"] == method and "/invoices" in e["path"] and "/_emulator" not in e["path"]
    )


def test_generate_attach_and_watch_the_scan(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    person_id = _buy(live_emulator, company=False, extras={"privateInvoice": True})
    orders_import(account=linked_live_account, sweep=False)
    person = AllegroCheckoutForm.objects.get(form_id=person_id)

    page.goto(f"{page.base_url}/backend/allegro/orders/{person.pk}/")
    section = page.locator("#invoices-section")
    assert "Wystaw fakturę do" in section.inner_text()
    # A fresh shop has no seller details: it sends the merchant to fill them first.
    assert page.locator("#invoice-generate").count() == 0
    screenshot(page, "allegro_invoice_seller_missing")
    page.click("#invoice-seller-missing a")
    page.wait_for_url("**/invoices/awaiting/**")
    page.fill("#id_seller_name", "Sklep Testowy sp. z o.o.")
    page.fill("#id_seller_address", "ul. Testowa 5\n00-001 Warszawa")
    page.fill("#id_seller_nip", "123-456-78-80")
    page.click("#invoice-settings button[type=submit]")
    assert "Nieprawidłowy NIP" in page.locator("#invoice-settings").inner_text()
    page.fill("#id_seller_nip", "PL 123-456-78-83")
    page.click("#invoice-settings button[type=submit]")
    page.wait_for_load_state()
    assert InvoiceSettings.objects.get().seller_nip == "1234567883"

    page.goto(f"{page.base_url}/backend/allegro/orders/{person.pk}/")
    page.click("#invoice-generate")
    page.wait_for_url(f"**/orders/{person.pk}/**")
    section = page.locator("#invoices-section")
    row = section.locator("#invoice-list tbody tr").first
    assert "FV/1/" in row.inner_text()
    assert "Allegro sprawdza plik" in row.locator(".invoice-state").inner_text()
    assert _invoice_requests(live_emulator, "POST") == 1

    live_emulator.control(f"/checkout-forms/{person_id}/invoices/scan", {"status": "ACCEPTED"})
    page.click("#invoices-refresh")
    page.wait_for_function(
        "document.querySelector('#invoices-section .invoice-state').innerText.includes('przyjęta')"
    )
    assert "sprawdzono" in page.locator("#invoices-section").inner_text()
    assert page.locator("#invoice-generate").count() == 0
    screenshot(page, "allegro_invoice_section")

    invoice = AllegroInvoice.objects.get(form=person)
    assert invoice.state == InvoiceState.ACCEPTED
    pdf = ARTIFACTS / "allegro_invoice.pdf"
    pdf.write_bytes(bytes(invoice.pdf))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert invoice.number in text and "Nabywca" in text
    assert "Sklep Testowy sp. z o.o." in text and "1234567883" in text


def test_bulk_attach_from_the_order_list_and_the_awaiting_page(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    person_id = _buy(live_emulator, company=False, extras={"privateInvoice": True})
    firm_id = _buy(live_emulator, company=True, extras={})
    plain_id = _buy(live_emulator, company=False, extras={})
    demo_invoice_settings_ensure()
    orders_import(account=linked_live_account, sweep=False)
    forms = {f.form_id: f for f in AllegroCheckoutForm.objects.all()}

    page.goto(f"{page.base_url}/backend/allegro/invoices/awaiting/")
    awaiting = page.locator("#awaiting-list")
    assert awaiting.locator(f'tr[data-form="{person_id}"]').count() == 1
    assert "firma — KSeF" in awaiting.locator(f'tr[data-form="{firm_id}"]').inner_text()
    assert awaiting.locator(f'tr[data-form="{plain_id}"]').count() == 0
    screenshot(page, "allegro_invoices_awaiting")

    page.goto(f"{page.base_url}/backend/allegro/orders/")
    for form_id in (person_id, firm_id, plain_id):
        page.check(f'#order-list tr[data-pk="{forms[form_id].pk}"] input[name=form]')
    screenshot(page, "allegro_invoices_order_list")
    page.click("#attach-invoices")
    results = page.locator("#bulk-results")
    results.wait_for()
    assert results.locator(f'tr[data-form="{person_id}"]').get_attribute("data-outcome") == (
        "attached"
    )
    assert "KSeF" in results.locator(f'tr[data-form="{firm_id}"]').inner_text()
    assert results.locator(f'tr[data-form="{plain_id}"]').get_attribute("data-outcome") == (
        "skipped"
    )
    screenshot(page, "allegro_invoices_bulk")
    assert _invoice_requests(live_emulator, "POST") == 1

    page.goto(f"{page.base_url}/backend/allegro/invoices/awaiting/")
    awaiting = page.locator("#awaiting-list")
    assert awaiting.locator(f'tr[data-form="{person_id}"]').count() == 0
    assert awaiting.locator(f'tr[data-form="{firm_id}"]').count() == 1

    page.goto(f"{page.base_url}/backend/allegro/orders/{forms[firm_id].pk}/")
    section = page.locator("#invoices-section")
    assert "KSeF" in section.locator("#invoice-ksef").inner_text()
    assert page.locator("#invoice-generate").count() == 0
    assert section.locator("input[name=ksef_number]").count() == 1
    screenshot(page, "allegro_invoice_section_company")

    page.goto(f"{page.base_url}/backend/scheduler/")
    assert "Faktury w Allegro: stan sprawdzania plików" in page.locator("body").inner_text()
    screenshot(page, "allegro_invoices_scheduler")
