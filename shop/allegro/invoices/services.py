"""Invoices sent to Allegro orders: attach a file, generate the shop's own, refresh the scan.

Every write is guarded: the invoice row (with its number and PDF) is stored before anything is
sent; before creating metadata Allegro's list is read and an invoice with the same number is
adopted; the metadata id is stored before the file goes. A retry therefore only sends what is
missing. No HTTP runs inside a database transaction.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allegro_api import AllegroAPIError, AllegroError, Conflict
from allegro_api.resources.invoices import MAX_INVOICE_FILE_BYTES
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.invoices.mapping import (
    buyer_tax_id,
    buyer_wants_invoice,
    number_format,
    remote_state,
)
from shop.allegro.invoices.printouts import invoice_pdf, invoice_settings
from shop.allegro.models import (
    SENT_STATES,
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroInvoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceState,
)
from shop.allegro.orders.mapping import stored_form
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write

# What to do about each refusal, by Allegro's error code (see fake_allegro/orders/invoices.py
# for where the codes come from).
_ADVICE_BY_CODE = {
    "ORDER-WITHOUT-INVOICE": gettext_lazy(
        "Kupujący nie zaznaczył w tym zamówieniu, że chce fakturę, więc "
        "Allegro jej nie przyjmie. Jeśli prosi o nią w wiadomości, wyślij mu ją poza Allegro."
    ),
    "ORDER-NOT-FOUND": gettext_lazy(
        "Allegro nie zna już tego zamówienia (np. płatności połączono w jedno "
        "zamówienie). Odśwież zamówienia i dołącz fakturę do nowego."
    ),
    "EMPTY-ATTACHMENT": gettext_lazy(
        "Allegro otrzymało pusty plik. Wybierz plik PDF faktury jeszcze raz."
    ),
    "FILE-CONTENT-INVALID": gettext_lazy(
        "Allegro przyjmuje tylko pliki PDF. Zapisz fakturę jako PDF "
        "(nie zdjęcie, nie archiwum ZIP) i wyślij ponownie."
    ),
    "INVOICE-ALREADY-EXISTS": gettext_lazy(
        "Faktura o tym numerze jest już w Allegro. Odśwież stan faktur."
    ),
    "INVOICE-FILE-SCANNING": gettext_lazy(
        "Allegro jeszcze sprawdza poprzednio wysłany plik. Spróbuj ponownie za kilka minut."
    ),
}
_ADVICE_BY_STATUS = {
    413: gettext_lazy(
        "Plik jest większy niż 3 MB. Zmniejsz go (np. zapisz bez obrazów w wysokiej "
        "rozdzielczości) i wyślij ponownie."
    ),
    429: gettext_lazy(
        "Faktury dodano zbyt szybko jedna po drugiej. Spróbuj ponownie za kilka sekund."
    ),
}


def invoice_error_text(exc: AllegroError) -> str:
    """Advice in Polish for the refusal, followed by Allegro's own message and trace id."""
    advice = ""
    if isinstance(exc, AllegroAPIError):
        for code in exc.codes:
            if code in _ADVICE_BY_CODE:
                advice = str(_ADVICE_BY_CODE[code])
                break
        else:
            advice = str(_ADVICE_BY_STATUS.get(exc.status, ""))
    detail = describe_error(exc)
    if not advice:
        return detail
    return _("%(advice)s Allegro: %(detail)s") % {"advice": advice, "detail": detail}


def _check_wants_invoice(form: AllegroCheckoutForm) -> None:
    if not buyer_wants_invoice(stored_form(form.raw)):
        raise ApplicationError(
            _(
                "Kupujący nie prosił o fakturę w tym zamówieniu, więc Allegro jej nie przyjmie. "
                "Jeśli prosi o nią w wiadomości, wyślij mu ją poza Allegro."
            )
        )


def _check_pdf(data: bytes) -> None:
    if not data:
        raise ApplicationError(_("Plik jest pusty. Wybierz plik PDF z fakturą."))
    if len(data) > MAX_INVOICE_FILE_BYTES:
        raise ApplicationError(_("Plik jest większy niż 3 MB — Allegro go nie przyjmie."))
    if not data.startswith(b"%PDF-"):
        raise ApplicationError(
            _("To nie jest plik PDF. Allegro przyjmuje faktury tylko w formacie PDF.")
        )


def invoice_attach(
    *,
    form: AllegroCheckoutForm,
    number: str,
    pdf_bytes: bytes,
    file_name: str = "",
    kind: str = InvoiceKind.UPLOADED,
    ksef_number: str = "",
    user: Any = None,
) -> AllegroInvoice:
    """Store the invoice, then send it to Allegro (metadata, then the file).

    Attaching a number that failed before resumes that invoice; a number Allegro already
    holds is refused.
    """
    number = number.strip()
    if not number:
        raise ApplicationError(_("Podaj numer faktury."))
    _check_wants_invoice(form)
    if kind == InvoiceKind.KSEF and not ksef_number.strip():
        raise ApplicationError(_("Podaj numer KSeF faktury (nadany przez KSeF po jej przyjęciu)."))
    _check_pdf(pdf_bytes)
    name = (file_name.strip() or number.replace("/", "-") + ".pdf")[:200]
    with transaction.atomic():
        invoice = (
            AllegroInvoice.objects.select_for_update().filter(form=form, number=number).first()
        )
        if invoice is not None and invoice.state in SENT_STATES:
            raise ApplicationError(_("Faktura %(n)s jest już w Allegro.") % {"n": number})
        if invoice is None:
            invoice = AllegroInvoice(form=form, number=number, file_name=name)
        elif not invoice.allegro_id:
            invoice.file_name = name
        invoice.kind = kind
        invoice.ksef_number = ksef_number.strip()
        invoice.pdf = pdf_bytes
        invoice.last_error = ""
        invoice.save()
        audit_log_write(
            action="allegro.invoice_attach",
            obj=form,
            user=user,
            changes={"number": number, "kind": kind, "ksef_number": invoice.ksef_number},
        )
    return invoice_send(invoice=invoice)


def invoice_send(*, invoice: AllegroInvoice) -> AllegroInvoice:
    """Send what Allegro does not have yet; the outcome (or the refusal) is on the row."""
    form = invoice.form
    invoices = client_for(form.account).order_invoices
    try:
        if not invoice.allegro_id:
            listed = invoices.list(form.form_id).invoices
            same = next((r for r in listed if r.invoice_number == invoice.number and r.id), None)
            if same is not None:
                # An earlier attempt created it and lost the answer: adopt it, send no copy.
                invoice.allegro_id = str(same.id)
                invoice.state = remote_state(same)
            else:
                created = invoices.create(
                    form.form_id, file_name=invoice.file_name, invoice_number=invoice.number
                )
                invoice.allegro_id = str(created.id or "")
                invoice.state = InvoiceState.CREATED
            invoice.save(update_fields=["allegro_id", "state", "updated_at"])
        if invoice.state not in SENT_STATES:
            # A 409: the file arrived with an attempt whose answer was lost.
            with contextlib.suppress(Conflict):
                invoices.upload_file(form.form_id, invoice.allegro_id, bytes(invoice.pdf))
            invoice.state = InvoiceState.WAITING
            invoice.scan_status = "WAITING"
            invoice.uploaded_at = timezone.now()
        invoice.last_error = ""
    except AllegroError as exc:
        invoice.state = InvoiceState.FAILED
        invoice.last_error = invoice_error_text(exc)
    invoice.save()
    return invoice


def invoice_number_next() -> str:
    """The next number of the shop's own invoices; a number once given is never given again."""
    today = timezone.localdate()
    with transaction.atomic():
        counter, _created = InvoiceCounter.objects.select_for_update().get_or_create(
            year=today.year
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    pattern = invoice_settings().number_pattern or "FV/{n}/{year}"
    return number_format(pattern, n=counter.last_number, year=today.year, month=today.month)


def invoice_generate(*, form: AllegroCheckoutForm, user: Any = None) -> AllegroInvoice:
    """Issue the shop's own invoice for a private buyer and send it to Allegro."""
    _check_wants_invoice(form)
    tax_id = buyer_tax_id(stored_form(form.raw))
    if tax_id:
        raise ApplicationError(
            _(
                "Kupujący to firma (NIP %(nip)s): fakturę wystaw w KSeF i dołącz tu jej "
                "wizualizację PDF z numerem KSeF."
            )
            % {"nip": tax_id}
        )
    if form.order is None:
        raise ApplicationError(_("To zamówienie nie ma zamówienia w sklepie."))
    if not invoice_settings().seller_complete:
        raise ApplicationError(
            _(
                "Uzupełnij dane sprzedawcy (nazwa, adres, NIP) w ustawieniach faktur na stronie "
                "„Faktury do dołączenia” — faktura bez nich nie jest ważna."
            )
        )
    invoices = form.invoices.exclude(state=InvoiceState.REJECTED)
    if invoices.filter(state__in=SENT_STATES).exists():
        raise ApplicationError(_("To zamówienie ma już fakturę w Allegro."))
    with transaction.atomic():
        # A generated invoice that did not reach Allegro keeps its number.
        invoice = invoices.select_for_update().filter(kind=InvoiceKind.GENERATED).first()
        if invoice is None:
            number = invoice_number_next()
            invoice = AllegroInvoice.objects.create(
                form=form,
                number=number,
                file_name=f"faktura-{number.replace('/', '-')}.pdf",
                kind=InvoiceKind.GENERATED,
            )
            audit_log_write(
                action="allegro.invoice_generate", obj=form, user=user, changes={"number": number}
            )
    invoice.pdf = invoice_pdf(invoice=invoice)
    invoice.save(update_fields=["pdf", "updated_at"])
    return invoice_send(invoice=invoice)


def invoices_refresh(*, form: AllegroCheckoutForm) -> Counter[str]:
    """Read the order's invoices from Allegro: scan results, and invoices added elsewhere."""
    listed = client_for(form.account).order_invoices.list(form.form_id).invoices
    counts: Counter[str] = Counter(requests=1)
    now = timezone.now()
    local = list(form.invoices.all())
    for remote in listed:
        if not remote.id:
            continue
        invoice = next((i for i in local if i.allegro_id == remote.id), None)
        if invoice is None:
            invoice = next(
                (i for i in local if not i.allegro_id and i.number == remote.invoice_number), None
            )
        if invoice is None:
            invoice = AllegroInvoice(
                form=form,
                allegro_id=remote.id,
                number=(remote.invoice_number or remote.id)[:64],
                file_name=((remote.file.name if remote.file else "") or "")[:200],
                kind=InvoiceKind.REMOTE,
            )
            counts["found"] += 1
        invoice.allegro_id = remote.id
        state = remote_state(remote)
        if invoice.state == InvoiceState.FAILED and state == InvoiceState.CREATED:
            state = InvoiceState.FAILED  # the file still has to go; keep the reason shown
        if state != invoice.state:
            counts[state] += 1
        invoice.state = state
        if state in SENT_STATES:
            invoice.last_error = ""
        scan = remote.file.security_verification if remote.file else None
        invoice.scan_status = (scan.status or "") if scan else ""
        invoice.verified_at = scan.verified_at if scan else None
        if remote.file is not None and remote.file.uploaded_at is not None:
            invoice.uploaded_at = remote.file.uploaded_at
        invoice.checked_at = now
        invoice.save()
    return counts


def invoices_refresh_pending(*, account: AllegroAccount) -> dict[str, int]:
    """For the scheduled job: finish interrupted sends, then read pending scans."""
    counts: Counter[str] = Counter()
    unsent = AllegroInvoice.objects.filter(
        form__account=account, state__in=[InvoiceState.NEW, InvoiceState.CREATED]
    ).exclude(pdf=b"")
    for invoice in unsent.select_related("form", "form__account"):
        sent = invoice_send(invoice=invoice)
        counts["resumed" if sent.state in SENT_STATES else "failed"] += 1
    forms = AllegroCheckoutForm.objects.filter(
        Q(invoices__state=InvoiceState.WAITING), account=account
    ).distinct()
    for form in forms.select_related("account"):
        try:
            found = invoices_refresh(form=form)
        except AllegroError:
            counts["errors"] += 1
            continue
        counts["checked"] += 1
        counts["requests"] += found["requests"]
        counts["accepted"] += found[InvoiceState.ACCEPTED]
        counts["rejected"] += found[InvoiceState.REJECTED]
    counts["still_waiting"] = AllegroInvoice.objects.filter(
        form__account=account, state=InvoiceState.WAITING
    ).count()
    return dict(counts)


@dataclass(frozen=True)
class BulkResult:
    form: AllegroCheckoutForm
    outcome: str  # attached | ksef | skipped | failed
    message: str
    invoice: AllegroInvoice | None = None


def invoices_generate_bulk(
    *, account: AllegroAccount, form_ids: list[int], user: Any = None
) -> list[BulkResult]:
    """Generate and attach invoices for the selected orders that want one and have none."""
    results: list[BulkResult] = []
    forms = (
        AllegroCheckoutForm.objects.filter(account=account, pk__in=form_ids)
        .select_related("account", "order")
        .order_by("bought_at", "id")
    )
    for form in forms:
        view = stored_form(form.raw)
        if not buyer_wants_invoice(view):
            results.append(BulkResult(form, "skipped", _("kupujący nie prosi o fakturę")))
            continue
        tax_id = buyer_tax_id(view)
        if tax_id:
            results.append(
                BulkResult(
                    form,
                    "ksef",
                    _("firma (NIP %(nip)s): wystaw fakturę w KSeF i dołącz jej wizualizację")
                    % {"nip": tax_id},
                )
            )
            continue
        if form.invoices.filter(state__in=SENT_STATES).exists():
            results.append(BulkResult(form, "skipped", _("faktura jest już w Allegro")))
            continue
        try:
            invoice = invoice_generate(form=form, user=user)
        except ApplicationError as exc:
            results.append(BulkResult(form, "failed", exc.message))
            continue
        if invoice.state in SENT_STATES:
            results.append(
                BulkResult(
                    form, "attached", _("dołączono fakturę %(n)s") % {"n": invoice.number}, invoice
                )
            )
        else:
            results.append(BulkResult(form, "failed", invoice.last_error, invoice))
    return results
