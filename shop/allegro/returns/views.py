"""Sprzedaż → Zwroty: the list of customer returns, a return's page, refunds to buyers."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroCustomerReturn,
    AllegroRefund,
    ReturnDecision,
    ReturnStatus,
)
from shop.allegro.orders.selectors import checkout_form_for_page
from shop.allegro.returns.forms import RefundForm, RejectForm
from shop.allegro.returns.mapping import ARRIVED, REFUNDED, ZERO, RefundLimits
from shop.allegro.returns.selectors import (
    ReturnFilters,
    return_for_page,
    returns_for_list,
)
from shop.allegro.returns.services import (
    refund_create,
    refund_limits_fetch,
    refund_send,
    return_accept,
    return_reject,
    returns_import,
)
from shop.core.errors import ApplicationError

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> ReturnFilters:
    status = str(request.GET.get("status") or "")
    decision = str(request.GET.get("decision") or "")
    return ReturnFilters(
        status=status if status in ReturnStatus.values else "",
        decision=decision if decision in ReturnDecision.values else "",
        q=str(request.GET.get("q") or "")[:100],
    )


def returns_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    filters = _filters(request)
    page = Paginator(returns_for_list(account=account, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "account": account,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": ReturnStatus.choices,
        "decisions": ReturnDecision.choices,
    }
    return render(
        request, "allegro/returns/list.html", page_context(request, title=_("Zwroty"), **context)
    )


@require_POST
def returns_import_now(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:returns")
    try:
        result = returns_import(account=account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
        return redirect("allegro:returns")
    messages.success(
        request,
        _("Pobrano zwroty: nowe %(created)d, zmienione %(updated)d, bez zmian %(unchanged)d.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("allegro:returns")


def _return_or_404(pk: int) -> AllegroCustomerReturn:
    row = return_for_page(pk)
    if row is None:
        raise Http404
    return row


def _return_page(
    request: HttpRequest, row: AllegroCustomerReturn, reject_form: RejectForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "ret": row,
        "items": list(row.items.all()),
        "refunds": list(row.refunds.all()),
        "reject_form": reject_form or RejectForm(),
        "can_reject": row.status in ARRIVED and row.decision == ReturnDecision.PENDING,
        "can_refund": row.form_id is not None
        and row.status not in REFUNDED
        and row.decision != ReturnDecision.REJECTED,
    }
    title = _("Zwrot %(n)s") % {"n": row.reference_number or row.return_id}
    return render(
        request, "allegro/returns/detail.html", page_context(request, title=title, **context)
    )


def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _return_page(request, _return_or_404(pk))


def _back(request: HttpRequest, row: AllegroCustomerReturn) -> HttpResponse:
    if request.POST.get("back") == "order" and row.form_id is not None:
        return redirect("allegro:order_detail", pk=row.form_id)
    return redirect("allegro:return_detail", pk=row.pk)


@require_POST
def return_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = _return_or_404(pk)
    try:
        return_accept(customer_return=row, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(request, row)
    messages.success(request, _("Zwrot przyjęty; zwrócone produkty wróciły na stan."))
    return _back(request, row)


@require_POST
def return_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = _return_or_404(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _return_page(request, row, reject_form=form)
    try:
        return_reject(
            customer_return=row,
            code=form.cleaned_data["code"],
            reason=form.cleaned_data.get("reason") or "",
            user=request.user,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _return_page(request, row, reject_form=form)
    messages.success(request, _("Odmowa zwrotu wpłaty została przekazana do Allegro."))
    return redirect("allegro:return_detail", pk=row.pk)


# -- refunds ---------------------------------------------------------------------------------------


def _prefill(limits: RefundLimits, row: AllegroCustomerReturn | None) -> dict[str, Any]:
    """The returned items, or everything still refundable when there is no return."""
    initial: dict[str, Any] = {"command_id": uuid.uuid4(), "reason": "REFUND"}
    if row is None:
        for line_id, limit in limits.lines.items():
            initial[f"qty_{line_id}"] = limit.max_quantity
        initial["delivery"] = limits.delivery_max
        return initial
    for item in row.items.all():
        if item.line is not None and item.line.line_item_id in limits.lines:
            limit = limits.lines[item.line.line_item_id]
            initial[f"qty_{limit.line_item_id}"] = min(item.quantity, limit.max_quantity)
    return initial


def order_refund(request: HttpRequest, pk: int) -> HttpResponse:
    form = checkout_form_for_page(pk)
    if form is None:
        raise Http404
    row = None
    return_pk = request.GET.get("return") or request.POST.get("return")
    if return_pk and str(return_pk).isdigit():
        row = AllegroCustomerReturn.objects.filter(pk=int(return_pk), form=form).first()
    try:
        limits = refund_limits_fetch(form=form)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
        return redirect("allegro:order_detail", pk=form.pk)
    if request.method == "POST":
        refund_form = RefundForm(request.POST, limits=limits)
        if refund_form.is_valid():
            outcome = _refund_submit(request, form, refund_form, limits, row)
            if outcome is not None:
                return outcome
    else:
        refund_form = RefundForm(initial=_prefill(limits, row), limits=limits)
    context: dict[str, Any] = {
        "form": form,
        "order": form.order,
        "ret": row,
        "limits": limits,
        "refund_form": refund_form,
    }
    title = _("Zwrot wpłaty kupującemu")
    return render(
        request, "allegro/returns/refund.html", page_context(request, title=title, **context)
    )


def _refund_submit(
    request: HttpRequest,
    form: AllegroCheckoutForm,
    refund_form: RefundForm,
    limits: RefundLimits,
    row: AllegroCustomerReturn | None,
) -> HttpResponse | None:
    data = refund_form.cleaned_data
    try:
        refund = refund_create(
            form=form,
            command_id=data["command_id"],
            quantities=refund_form.quantities(),
            delivery_amount=data.get("delivery") or ZERO,
            customer_return=row,
            reason=data["reason"],
            limits=limits,
            user=request.user,
        )
    except ApplicationError as exc:
        refund_form.add_error(None, exc.message)
        return None
    return _refund_sent(request, refund)


def _refund_sent(request: HttpRequest, refund: AllegroRefund) -> HttpResponse:
    try:
        refund = refund_send(refund=refund)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("allegro:order_detail", pk=refund.form_id)
    messages.success(
        request,
        _("Zlecono zwrot %(total)s %(currency)s kupującemu.")
        % {"total": localize(refund.total), "currency": refund.currency},
    )
    return redirect("allegro:order_detail", pk=refund.form_id)


@require_POST
def refund_retry(request: HttpRequest, pk: int) -> HttpResponse:
    refund = AllegroRefund.objects.filter(pk=pk).first()
    if refund is None:
        raise Http404
    return _refund_sent(request, refund)
