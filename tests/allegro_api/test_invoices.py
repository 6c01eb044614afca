"""Order invoices: metadata, the PDF upload, the scan, and every refusal Allegro gives."""

from __future__ import annotations

from typing import Any

import pytest

from allegro_api import AllegroClient, Conflict, NotFound, Unprocessable
from allegro_api._exceptions import AllegroAPIError
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def purchase(emulator: Emulator, **data: Any) -> str:
    with emulator.http_client() as http:
        response = http.post("/_emulator/purchases", json={"synthetic": True, **data})
    assert response.status_code == 201, response.text
    return str(response.json()["checkoutFormIds"][0])


def invoiced(emulator: Emulator) -> str:
    return purchase(emulator, companyBuyer=True, extras={})


def test_metadata_then_file_then_scan(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime
) -> None:
    form_id = invoiced(emulator)
    assert client.order_invoices.list(form_id).invoices == []
    created = client.order_invoices.create(
        form_id, file_name="FV-1-2026.pdf", invoice_number="FV/1/2026"
    )
    assert created.id
    listed = client.order_invoices.list(form_id).invoices
    assert [(i.id, i.invoice_number, i.file.name if i.file else None) for i in listed] == [
        (created.id, "FV/1/2026", "FV-1-2026.pdf")
    ]
    assert listed[0].file is not None and listed[0].file.uploaded_at is None
    client.order_invoices.upload_file(form_id, created.id, PDF)
    entry = [e for e in emulator.requests.entries() if e["method"] == "PUT"][-1]
    assert entry["status"] == 200
    file = client.order_invoices.list(form_id).invoices[0].file
    assert file is not None and file.security_verification is not None
    assert file.security_verification.status == "WAITING"
    assert file.verification is not None and file.verification.status == "NOT_APPLICABLE"
    fake_time.advance(61)
    file = client.order_invoices.list(form_id).invoices[0].file
    assert file is not None and file.security_verification is not None
    assert file.security_verification.status == "ACCEPTED"
    assert file.security_verification.verified_at is not None


def test_order_without_invoice_request_is_refused(
    client: AllegroClient, emulator: Emulator, audit: RequestAudit
) -> None:
    audit.allow(422)
    form_id = purchase(emulator, companyBuyer=False, extras={})
    with pytest.raises(Unprocessable) as caught:
        client.order_invoices.create(form_id, file_name="a.pdf", invoice_number="X/1")
    assert caught.value.codes == ["ORDER-WITHOUT-INVOICE"]


def test_unknown_order_is_refused(client: AllegroClient) -> None:
    with pytest.raises(NotFound) as caught:
        client.order_invoices.list("00000000-0000-0000-0000-000000000000")
    assert caught.value.codes == ["ORDER-NOT-FOUND"]


def test_empty_and_non_pdf_and_large_files_are_refused(
    client: AllegroClient, emulator: Emulator, audit: RequestAudit
) -> None:
    audit.allow(422)
    form_id = invoiced(emulator)
    invoice_id = str(client.order_invoices.create(form_id, file_name="f.pdf").id)
    with pytest.raises(Unprocessable) as empty:
        client.order_invoices.upload_file(form_id, invoice_id, b"")
    assert empty.value.codes == ["EMPTY-ATTACHMENT"]
    with pytest.raises(Unprocessable) as not_pdf:
        client.order_invoices.upload_file(form_id, invoice_id, b"PK\x03\x04 a zip, not a pdf")
    assert not_pdf.value.codes == ["FILE-CONTENT-INVALID"]
    with pytest.raises(AllegroAPIError) as large:
        client.order_invoices.upload_file(form_id, invoice_id, PDF + b"0" * (3 * 1024 * 1024))
    assert large.value.status == 413
    with pytest.raises(NotFound):
        client.order_invoices.upload_file(form_id, "no-such-invoice", PDF)
    client.order_invoices.upload_file(form_id, invoice_id, PDF)


def test_second_file_duplicate_number_and_scanning_are_refused(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    audit.allow(422)
    form_id = invoiced(emulator)
    invoice_id = str(
        client.order_invoices.create(form_id, file_name="f.pdf", invoice_number="A/1").id
    )
    client.order_invoices.upload_file(form_id, invoice_id, PDF)
    with pytest.raises(Conflict):
        client.order_invoices.upload_file(form_id, invoice_id, PDF)
    with pytest.raises(Unprocessable) as scanning:
        client.order_invoices.create(form_id, file_name="g.pdf", invoice_number="A/2")
    assert scanning.value.codes == ["INVOICE-FILE-SCANNING"]
    with emulator.http_client() as http:
        decided = http.post(
            f"/_emulator/checkout-forms/{form_id}/invoices/scan", json={"status": "REJECTED"}
        )
    assert decided.json() == {"decided": 1}
    file = client.order_invoices.list(form_id).invoices[0].file
    assert file is not None and file.security_verification is not None
    assert file.security_verification.status == "REJECTED"
    with pytest.raises(Conflict) as duplicate:
        client.order_invoices.create(form_id, file_name="f.pdf", invoice_number="A/1")
    assert duplicate.value.codes == ["INVOICE-ALREADY-EXISTS"]
    second = client.order_invoices.create(form_id, file_name="g.pdf", invoice_number="A/2")
    assert second.id and second.id != invoice_id


def test_metadata_added_too_fast_waits_and_is_sent_once_more(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime
) -> None:
    """A second metadata entry within seconds of one still without a file gets a 429; the
    client waits (the budget pause) and the repeat is accepted."""
    form_id = invoiced(emulator)
    first = client.order_invoices.create(form_id, file_name="a.pdf", invoice_number="B/1")
    second = client.order_invoices.create(form_id, file_name="b.pdf", invoice_number="B/2")
    assert second.id != first.id
    posts = [
        e["status"]
        for e in emulator.requests.entries()
        if e["method"] == "POST" and e["path"].endswith("/invoices")
    ]
    assert posts == [201, 429, 201]
    assert fake_time.sleeps and sum(fake_time.sleeps) >= 5
