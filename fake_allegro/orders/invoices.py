"""Seller invoices of an order: metadata, the PDF file and its antivirus scan.

What Allegro refuses, with the codes it answers (allegro/allegro-api issues):

* an order whose buyer did not ask for an invoice (``invoice.required`` false): 422
  ``ORDER-WITHOUT-INVOICE`` (#4992; #12291);
* an unknown order: 404 ``ORDER-NOT-FOUND`` (#9895);
* an empty file: 422 ``EMPTY-ATTACHMENT`` (#6075, #7970, #10165);
* a file that is not a PDF: 422 ``FILE-CONTENT-INVALID`` (#11522, #7970, #5181);
* a file over 3 MB: 413 (the spec; #4130 said 2 MB in 2021);
* a second file for the same invoice: 409 (the spec);
* new metadata while an earlier file is still being scanned: 422, and metadata added again
  within a few seconds while an earlier one still has no file: 429 (the spec; #13223).

The spec's 409 on metadata ("already has seller invoice") is applied to a repeated invoice
number: several invoices per order are allowed (#9919), the same document twice is not.
The codes of the 409s and of the scanning refusal are not documented; the ones used here
are descriptive.

An uploaded file is ``WAITING`` for its scan and becomes ``ACCEPTED`` ``SCAN_SECONDS`` later
(emulator time), unless the control API decides it first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fake_allegro.control import bad, control, json_body, ok
from fake_allegro.errors import ApiError
from fake_allegro.orders.state import StoredForm, StoredInvoice, iso, orders_of
from fake_allegro.routing import Call, Reply, endpoint

MAX_FILE_BYTES = 3 * 1024 * 1024
SCAN_SECONDS = 60
METADATA_COOLDOWN = timedelta(seconds=5)
SCAN_STATUSES = ("WAITING", "ACCEPTED", "REJECTED")


def _error(status: int, code: str, message: str, path: str) -> ApiError:
    # Allegro repeats the English message as the userMessage for these (#4992, #11522).
    return ApiError.one(status, code, message, path=path, user_message=message)


def _form(call: Call) -> StoredForm:
    seller = call.require_seller()
    form_id = call.params["id"]
    form = orders_of(call.world).form_for(seller.id, form_id)
    if form is None:
        raise _error(
            404, "ORDER-NOT-FOUND", f"Order with id [{form_id}] not found", call.request.path
        )
    return form


def _scan(invoice: StoredInvoice, call: Call) -> None:
    """Let time finish a pending scan."""
    now = call.world.now()
    if (
        invoice.scan_status == "WAITING"
        and invoice.scan_due is not None
        and now >= invoice.scan_due
    ):
        invoice.scan_status = "ACCEPTED"
        invoice.verified_at = invoice.scan_due


def _as_json(invoice: StoredInvoice) -> dict[str, Any]:
    data: dict[str, Any] = {"id": invoice.id, "createdAt": iso(invoice.created_at)}
    if invoice.number is not None:
        data["invoiceNumber"] = invoice.number
    file: dict[str, Any] = {"name": invoice.file_name}
    if invoice.uploaded_at is not None:
        file["uploadedAt"] = iso(invoice.uploaded_at)
        security: dict[str, Any] = {"status": invoice.scan_status}
        if invoice.verified_at is not None:
            security["verifiedAt"] = iso(invoice.verified_at)
        file["securityVerification"] = security
        file["verification"] = {"status": "NOT_APPLICABLE", "details": []}
    data["file"] = file
    return data


@endpoint("GET", "/order/checkout-forms/{id}/invoices")
def list_invoices(call: Call) -> dict[str, Any]:
    form = _form(call)
    invoices = orders_of(call.world).invoices.get(form.id, [])
    for invoice in invoices:
        _scan(invoice, call)
    return {
        "orderMode": "REGULAR",
        "invoices": [_as_json(i) for i in invoices],
        "links": [],
        "hasExternalInvoices": False,
    }


@endpoint("POST", "/order/checkout-forms/{id}/invoices")
def add_invoice(call: Call) -> Reply:
    form = _form(call)
    path = call.request.path
    if not (form.data.get("invoice") or {}).get("required"):
        raise _error(
            422, "ORDER-WITHOUT-INVOICE", f"Order with id [{form.id}] cannot have an invoice", path
        )
    body = call.body() or {}
    name = str((body.get("file") or {}).get("name") or "").strip()
    if not name:
        raise _error(422, "VALIDATION_ERROR", "File name must not be blank", path)
    number = body.get("invoiceNumber")
    state = orders_of(call.world)
    existing = state.invoices.setdefault(form.id, [])
    now = call.world.now()
    for invoice in existing:
        _scan(invoice, call)
        if number is not None and invoice.number == number:
            raise _error(
                409,
                "INVOICE-ALREADY-EXISTS",
                f"Order with id [{form.id}] already has seller invoice [{number}]",
                path,
            )
        if invoice.scan_status == "WAITING":
            raise _error(
                422,
                "INVOICE-FILE-SCANNING",
                "Previously uploaded file is still in scanning",
                path,
            )
        if invoice.content is None and now - invoice.created_at < METADATA_COOLDOWN:
            raise ApiError(
                429,
                *_error(
                    429,
                    "TOO-MANY-INVOICES",
                    "You're trying to add another metadata too fast. Upload a file to "
                    "previously added metadata or wait a few seconds before adding next metadata.",
                    path,
                ).items,
            )
    invoice = StoredInvoice(id=state.new_uuid(), number=number, file_name=name, created_at=now)
    existing.append(invoice)
    return Reply(201, {"id": invoice.id})


@endpoint("PUT", "/order/checkout-forms/{id}/invoices/{invoiceId}/file")
def upload_invoice_file(call: Call) -> Reply:
    form = _form(call)
    path = call.request.path
    invoice_id = call.params["invoiceId"]
    invoice = next(
        (i for i in orders_of(call.world).invoices.get(form.id, []) if i.id == invoice_id), None
    )
    if invoice is None:
        raise _error(404, "INVOICE-NOT-FOUND", f"Invoice with id [{invoice_id}] not found", path)
    if invoice.content is not None:
        raise _error(
            409,
            "INVOICE-FILE-ALREADY-UPLOADED",
            f"Invoice [{invoice_id}] already has invoice file uploaded",
            path,
        )
    data = call.request.get_data(cache=True)
    if not data:
        raise _error(
            422,
            "EMPTY-ATTACHMENT",
            f"Attachment for given order [{form.id}] and invoice [{invoice_id}] must not be empty",
            path,
        )
    if len(data) > MAX_FILE_BYTES:
        raise _error(413, "FILE-TOO-LARGE", "The file is too large. Max file size is 3MB", path)
    if not data.startswith(b"%PDF-"):
        raise _error(
            422,
            "FILE-CONTENT-INVALID",
            f"File for given order [{form.id}] and invoice [{invoice_id}] must have a PDF content",
            path,
        )
    now = call.world.now()
    invoice.content = bytes(data)
    invoice.uploaded_at = now
    invoice.scan_status = "WAITING"
    invoice.scan_due = now + timedelta(seconds=SCAN_SECONDS)
    return Reply(200, None)


# -- control ---------------------------------------------------------------------------------------


@control("POST", "/checkout-forms/{id}/invoices/scan")
def decide_scan(call: Call) -> Reply:
    """Finish the scans of an order's waiting files now: ``{"status": "ACCEPTED"|"REJECTED"}``."""
    data = json_body(call)
    status = str(data.get("status") or "ACCEPTED")
    if status not in SCAN_STATUSES[1:]:
        raise bad("status must be ACCEPTED or REJECTED")
    invoices = orders_of(call.world).invoices.get(call.params["id"], [])
    decided = 0
    for invoice in invoices:
        if invoice.scan_status == "WAITING":
            invoice.scan_status = status
            invoice.verified_at = call.world.now()
            decided += 1
    return ok({"decided": decided})


@control("GET", "/checkout-forms/{id}/invoices")
def peek_invoices(call: Call) -> Reply:
    invoices = orders_of(call.world).invoices.get(call.params["id"], [])
    return ok([{**_as_json(i), "size": len(i.content or b"")} for i in invoices])
