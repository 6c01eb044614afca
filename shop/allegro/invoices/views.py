"""Invoices on the Allegro order page, the bulk action of the order list, and the page of
orders still waiting for an invoice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import checkout_form_or_404, page_context
from shop.allegro.invoices.forms import InvoiceAttachForm, InvoiceSettingsForm
from shop.allegro.invoices.mapping import buyer_tax_id, buyer_wants_invoice
from shop.allegro.invoices.printouts import invoice_settings
from shop.allegro.invoices.selectors import form_deadline, forms_awaiting_invoice, invoices_of
from shop.allegro.invoices.services import (
    invoice_attach,
    invoice_generate,
    invoice_send,
    invoices_generate_bulk,
    invoices_refresh,
)
from shop.allegro.models import (
    SENT_STATES,
    AllegroCheckoutForm,
    AllegroInvoice,
    InvoiceKind,
)
from shop.allegro.orders.mapping import stored_form
from shop.core.errors import ApplicationError
from shop.core.http import parse_ids
from shop.core.services.audit import audit_log_write

BATCH_LIMIT = 200


def section_context(
    form: AllegroCheckoutForm, *, attach_form: InvoiceAttachForm | None = None, error: str = ""
) -> dict[str, Any]:
    """What the order page's invoice section shows."""
    view = stored_form(form.raw)
    tax_id = buyer_tax_id(view)
    invoices = invoices_of(form)
    deadline = form_deadline(form)
    return {
        "form": form,
        "wanted": buyer_wants_invoice(view),
        "tax_id": tax_id,
        "invoices": invoices,
        "has_sent": any(i.state in SENT_STATES for i in invoices),
        "deadline": deadline,
        "overdue": deadline < timezone.localdate(),
        "attach_form": attach_form or InvoiceAttachForm(company=bool(tax_id)),
        "can_call": form.account.is_usable,
        "seller_complete": invoice_settings().seller_complete,
        "section_error": error,
    }


_form_or_404 = checkout_form_or_404


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("allegro:order_detail", args=[pk]) + "#invoices-section")


def order_invoices(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice section; a POST first reads the invoices' state from Allegro (htmx)."""
    form = _form_or_404(pk)
    error = ""
    if request.method == "POST" and form.account.is_usable:
        try:
            invoices_refresh(form=form)
        except AllegroError as exc:
            error = describe_error(exc)
    context = section_context(form, error=error)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return _back(pk)
    return render(request, "allegro/invoices/_section.html", context)


def _report(request: HttpRequest, invoice: AllegroInvoice) -> None:
    if invoice.state in SENT_STATES:
        messages.success(
            request,
            _("Faktura %(n)s jest w Allegro; Allegro sprawdza teraz plik.") % {"n": invoice.number},
        )
    else:
        messages.error(
            request,
            _("Faktura %(n)s nie trafiła do Allegro: %(e)s")
            % {"n": invoice.number, "e": invoice.last_error},
        )


@require_POST
def order_invoice_attach(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    company = bool(buyer_tax_id(stored_form(form.raw)))
    attach = InvoiceAttachForm(request.POST, request.FILES, company=company)
    if not attach.is_valid():
        for field, errors in attach.errors.items():
            label = attach.fields[field].label if field in attach.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return _back(pk)
    data = attach.cleaned_data
    upload = data["file"]
    try:
        invoice = invoice_attach(
            form=form,
            number=data["number"],
            pdf_bytes=upload.read(),
            file_name=upload.name,
            kind=InvoiceKind.KSEF if company else InvoiceKind.UPLOADED,
            ksef_number=data.get("ksef_number") or "",
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(pk)
    _report(request, invoice)
    return _back(pk)


@require_POST
def order_invoice_generate(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    try:
        invoice = invoice_generate(form=form, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(pk)
    _report(request, invoice)
    return _back(pk)


@require_POST
def order_invoice_retry(request: HttpRequest, pk: int, invoice_pk: int) -> HttpResponse:
    """Send a stored invoice again: only what Allegro does not have yet goes."""
    invoice = get_object_or_404(
        AllegroInvoice.objects.select_related("form", "form__account"), pk=invoice_pk, form_id=pk
    )
    if invoice.state in SENT_STATES or not invoice.pdf:
        return _back(pk)
    _report(request, invoice_send(invoice=invoice))
    return _back(pk)


def order_invoice_file(request: HttpRequest, pk: int, invoice_pk: int) -> HttpResponse:
    invoice = get_object_or_404(AllegroInvoice, pk=invoice_pk, form_id=pk)
    if not invoice.pdf:
        raise Http404
    response = HttpResponse(bytes(invoice.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.file_name}"'
    return response


@require_POST
def invoices_bulk(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    ids = parse_ids(request.POST.getlist("form"), BATCH_LIMIT)
    if not ids:
        messages.error(request, _("Zaznacz zamówienia, do których dołączyć faktury."))
        return redirect("allegro:orders")
    results = invoices_generate_bulk(account=account, form_ids=ids, user=request.user)
    return render(
        request,
        "allegro/invoices/bulk.html",
        page_context(
            request,
            title=_("Dołączanie faktur"),
            results=results,
            attached=sum(1 for r in results if r.outcome == "attached"),
        ),
    )


def invoices_awaiting(request: HttpRequest) -> HttpResponse:
    """Faktury do dołączenia: orders whose buyer asked for an invoice Allegro does not have."""
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    current = invoice_settings()
    settings_form = InvoiceSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and settings_form.is_valid():
        saved = settings_form.save()
        audit_log_write(
            action="allegro.invoice_settings",
            obj=saved,
            user=request.user,
            changes={"number_pattern": saved.number_pattern},
        )
        messages.success(request, _("Zapisano ustawienia faktur."))
        return redirect("allegro:invoices_awaiting")
    rows = forms_awaiting_invoice(account=account)
    return render(
        request,
        "allegro/invoices/awaiting.html",
        page_context(
            request,
            title=_("Faktury do dołączenia"),
            rows=rows,
            overdue=sum(1 for r in rows if r.overdue),
            settings_form=settings_form,
        ),
    )
