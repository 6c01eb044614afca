"""Reads for the invoice pages: an order's invoices, and the orders still waiting for one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from shop.allegro.common.selectors import menu_badge
from shop.allegro.invoices.mapping import buyer_tax_id, invoice_deadline
from shop.allegro.models import (
    SENT_STATES,
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroInvoice,
    FormStatus,
)
from shop.allegro.orders.mapping import stored_form


def invoices_of(form: AllegroCheckoutForm) -> list[AllegroInvoice]:
    return list(form.invoices.defer("pdf").order_by("id"))


def form_deadline(form: AllegroCheckoutForm) -> date:
    view = stored_form(form.raw)
    paid = view.payment.finished_at if view.payment else None
    moment = paid or form.bought_at or timezone.now()
    order = form.order
    return invoice_deadline(
        due_date=order.invoice_due_date if order is not None else None,
        sold_on=timezone.localtime(moment).date(),
    )


@dataclass(frozen=True)
class AwaitingRow:
    form: AllegroCheckoutForm
    deadline: date
    overdue: bool
    tax_id: str
    failed: AllegroInvoice | None


def _awaiting(account: AllegroAccount) -> QuerySet[AllegroCheckoutForm]:
    sent = AllegroInvoice.objects.filter(form=OuterRef("pk"), state__in=SENT_STATES)
    return (
        AllegroCheckoutForm.objects.filter(
            account=account, order__invoice_required=True, gone=False, superseded_by=None
        )
        .exclude(status=FormStatus.CANCELLED)
        .exclude(Exists(sent))
    )


def forms_awaiting_invoice(*, account: AllegroAccount) -> list[AwaitingRow]:
    """Orders whose buyer asked for an invoice that Allegro does not hold yet, earliest due
    first."""
    forms = _awaiting(account).select_related("order").prefetch_related("invoices")
    today = timezone.localdate()
    rows = []
    for form in forms:
        deadline = form_deadline(form)
        failed = next((i for i in form.invoices.all() if i.last_error), None)
        rows.append(
            AwaitingRow(
                form, deadline, deadline < today, buyer_tax_id(stored_form(form.raw)), failed
            )
        )
    rows.sort(key=lambda r: (r.deadline, r.form.pk))
    return rows


#: The menu badge: how many orders wait for an invoice (empty when none).
awaiting_badge = menu_badge("invoices", _awaiting)
