"""Sprzedaż → Zamówienia Allegro: list, import settings, quarantine, order page, printouts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    FormStatus,
    FulfillmentStatus,
    OrderQuarantine,
)
from shop.allegro.orders.forms import (
    ImportSettingsForm,
    LinkProductForm,
    OrderConfigureForm,
    TrackingForm,
)
from shop.allegro.orders.mapping import stored_form
from shop.allegro.orders.printouts import printout_pdf
from shop.allegro.orders.selectors import (
    OrderFilters,
    checkout_form_for_page,
    checkout_forms_for_list,
    checkout_view,
    form_lines,
    form_shipments,
    import_state_of,
    list_dates,
    offers_by_id,
    order_history,
    product_exact,
    products_search,
    quarantine_of,
)
from shop.allegro.orders.services.fulfillment import (
    carriers_list,
    order_configure,
    shipment_add,
    shipments_refresh,
    status_label,
)
from shop.allegro.orders.services.importer import import_state_for, quarantine_retry
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB, order_import_queue
from shop.allegro.orders.services.store import order_lines_link_product
from shop.core.errors import ApplicationError
from shop.core.http import next_url, parse_ids
from shop.core.services.audit import audit_log_write
from shop.orders.models import OrderStatus, PaymentStatus
from shop.orders.summary import item_rows_by_item, order_money_rows
from shop.scheduler.selectors import job_run_latest
from shop.scheduler.views import run_started

PAGE_SIZE = 50
BATCH_LIMIT = 500


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip()) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> OrderFilters:
    get = request.GET

    def pick(name: str, allowed: list[str]) -> str:
        value = str(get.get(name) or "")
        return value if value in allowed else ""

    return OrderFilters(
        status=pick("status", list(FormStatus.values)),
        fulfillment=pick("fulfillment", list(FulfillmentStatus.values)),
        payment=pick("payment", list(PaymentStatus.values)),
        shop_status=pick("shop_status", list(OrderStatus.values)),
        date_from=_date(get.get("date_from")),
        date_to=_date(get.get("date_to")),
        attention=get.get("attention") == "1",
        to_ship=get.get("to_ship") == "1",
        q=str(get.get("q") or "")[:100],
    )


def _list_page(request: HttpRequest, account: AllegroAccount, **extra: Any) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(checkout_forms_for_list(account=account, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    state = import_state_of(account)
    context: dict[str, Any] = {
        "account": account,
        "page": page,
        "rows": [(form, list_dates(form)) for form in page],
        "filters": filters,
        "query": query.urlencode(),
        "form_statuses": FormStatus.choices,
        "fulfillment_statuses": FulfillmentStatus.choices,
        "payment_statuses": PaymentStatus.choices,
        "shop_statuses": OrderStatus.choices,
        "import_state": state,
        "settings_form": extra.pop("settings_form", None)
        or ImportSettingsForm(instance=state or import_state_for(account)),
        "quarantine": list(quarantine_of(account)[:100]),
        "import_run": job_run_latest(job=IMPORT_ORDERS_JOB, job_kwargs={"account_id": account.pk}),
    }
    context.update(extra)
    return render(
        request,
        "allegro/orders/list.html",
        page_context(request, title=_("Zamówienia Allegro"), **context),
    )


def order_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    return _list_page(request, account)


@require_POST
def import_now(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:orders")
    run = order_import_queue(account=account)
    return run_started(
        request,
        run,
        message=_("Zlecono import zamówień; jego postęp widać poniżej."),
        back=reverse("allegro:orders"),
        reload_when_done=True,
    )


@require_POST
def import_settings(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    state = import_state_for(account)
    form = ImportSettingsForm(request.POST, instance=state)
    if not form.is_valid():
        messages.error(request, _("Popraw błędy w ustawieniach importu."))
        return _list_page(request, account, settings_form=form)
    changes = {name: str(form.cleaned_data[name]) for name in form.changed_data}
    with transaction.atomic():
        form.save()
        if changes:
            audit_log_write(
                action="allegro.order_import_settings",
                obj=state,
                user=request.user,
                changes=changes,
            )
    messages.success(request, _("Zapisano ustawienia importu zamówień."))
    return redirect("allegro:orders")


@require_POST
def quarantine_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_current(request)
    entry = get_object_or_404(OrderQuarantine, pk=pk, account=account)
    try:
        released = quarantine_retry(entry=entry)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        if released:
            messages.success(
                request, _("Zamówienie %(id)s zostało zaimportowane.") % {"id": entry.form_id}
            )
        else:
            entry.refresh_from_db()
            messages.error(
                request,
                _("Zamówienie %(id)s nadal nie może zostać zaimportowane: %(e)s")
                % {"id": entry.form_id, "e": entry.error},
            )
    return redirect(reverse("allegro:orders") + "#quarantine")


# -- the order page --------------------------------------------------------------------------------


def _status_text(value: str) -> str:
    try:
        return str(OrderStatus(value).label)
    except ValueError:
        return value or "—"


def _detail(request: HttpRequest, form: AllegroCheckoutForm, **extra: Any) -> HttpResponse:
    order = form.order
    lines = form_lines(form)
    offers = offers_by_id(form.account, [ln.offer_id for ln in lines if ln.offer_id])
    carriers = carriers_list(account=form.account) if form.account.is_usable else []
    extras = item_rows_by_item(order) if order is not None else {}
    context: dict[str, Any] = {
        "form": form,
        "order": order,
        "view": checkout_view(stored_form(form.raw)),
        "lines": [
            (ln, offers.get(ln.offer_id), extras.get(ln.order_item_id or 0, [])) for ln in lines
        ],
        "money_rows": order_money_rows(order) if order is not None else [],
        "shipments": form_shipments(form),
        "history": [
            (ev, _status_text(ev.from_status), _status_text(ev.to_status))
            for ev in order_history(order)
        ],
        "configure_form": extra.pop("configure_form", None)
        or (OrderConfigureForm(order=order) if order is not None else None),
        "tracking_form": extra.pop("tracking_form", None)
        or TrackingForm(carriers=carriers, lines=lines, initial={"mark_sent": True}),
        "link_form": LinkProductForm(),
        "pending_label": status_label(form.fulfillment_pending),
        "can_call": form.account.is_usable,
    }
    context.update(extra)
    title = _("Zamówienie Allegro %(n)s") % {"n": order.number if order else form.form_id}
    return render(
        request, "allegro/orders/detail.html", page_context(request, title=title, **context)
    )


def _form_or_404(pk: int) -> AllegroCheckoutForm:
    form = checkout_form_for_page(pk)
    if form is None:
        from django.http import Http404

        raise Http404
    return form


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    if request.method != "POST":
        return _detail(request, form)
    order = form.order
    if order is None:
        messages.error(
            request, _("To zamówienie nie ma zamówienia w sklepie (połączone lub wycofane).")
        )
        return redirect("allegro:order_detail", pk=pk)
    configure = OrderConfigureForm(request.POST, order=order)
    if not configure.is_valid():
        return _detail(request, form, configure_form=configure)
    data = configure.cleaned_data
    try:
        changes = order_configure(
            order=order,
            user=request.user,
            status=data["status"],
            payment_status=data["payment_status"],
            delivery_method=data["delivery_method"],
            internal_note=data["internal_note"],
        )
    except ApplicationError as exc:
        configure.add_error("status", exc.message)
        return _detail(request, form, configure_form=configure)
    # The seller status was sent after the commit above; tell how it went.
    form.refresh_from_db()
    if not changes:
        messages.info(request, _("Nic się nie zmieniło."))
    else:
        messages.success(request, _("Zapisano zamówienie."))
    if "status" in changes:
        if form.fulfillment_error:
            messages.error(request, form.fulfillment_error)
        elif form.fulfillment_pending:
            messages.warning(request, _("Status zostanie wysłany do Allegro za chwilę."))
        else:
            messages.success(
                request,
                _("Allegro pokazuje kupującemu status „%(s)s”.")
                % {"s": status_label(form.fulfillment_status)},
            )
    return redirect("allegro:order_detail", pk=pk)


@require_POST
def order_tracking(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    lines = form_lines(form)
    tracking = TrackingForm(request.POST, carriers=carriers_list(account=form.account), lines=lines)
    if not tracking.is_valid():
        return _detail(request, form, tracking_form=tracking)
    data = tracking.cleaned_data
    try:
        outcome = shipment_add(
            form=form,
            carrier_id=data["carrier"],
            carrier_name=data.get("carrier_name") or "",
            waybill=data["waybill"],
            line_item_ids=list(data.get("line_items") or []),
            mark_sent=bool(data.get("mark_sent")),
            user=request.user,
        )
    except ApplicationError as exc:
        tracking.add_error("waybill", exc.message)
        return _detail(request, form, tracking_form=tracking)
    except AllegroError as exc:
        tracking.add_error(None, describe_error(exc))
        return _detail(request, form, tracking_form=tracking)
    if outcome.sent:
        messages.success(
            request, _("Numer przesyłki %(w)s wysłano do Allegro.") % {"w": data["waybill"]}
        )
    else:
        messages.info(request, outcome.message or _("Ten numer jest już w Allegro."))
    form.refresh_from_db()
    if form.fulfillment_error:
        messages.error(request, form.fulfillment_error)
    return redirect("allegro:order_detail", pk=pk)


def order_shipments(request: HttpRequest, pk: int) -> HttpResponse:
    """The tracking numbers, read again from Allegro (loaded into the page by htmx)."""
    form = _form_or_404(pk)
    error = ""
    if form.account.is_usable:
        try:
            shipments_refresh(form=form)
        except AllegroError as exc:
            error = describe_error(exc)
    return render(
        request,
        "allegro/orders/_shipments.html",
        {
            "shipments": form_shipments(form),
            "shipments_error": error,
            "refreshed_at": timezone.now(),
        },
    )


@require_POST
def order_link(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    link = LinkProductForm(request.POST)
    if not link.is_valid():
        for errors in link.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("allegro:order_detail", pk=pk)
    offer_id = link.cleaned_data["offer_id"]
    term = link.cleaned_data["term"]
    if not form.items.filter(offer_id=offer_id).exists():
        messages.error(request, _("Tej oferty nie ma w zamówieniu."))
        return redirect("allegro:order_detail", pk=pk)
    product = product_exact(term)
    if product is None:
        found = products_search(term)
        if found:
            messages.error(
                request,
                _("Nie ma produktu o SKU lub EAN „%(t)s”. Podobne: %(p)s")
                % {"t": term, "p": ", ".join(f"{p.sku} ({p.name})" for p in found)},
            )
        else:
            messages.error(request, _("Nie ma produktu o SKU lub EAN „%(t)s”.") % {"t": term})
        return redirect("allegro:order_detail", pk=pk)
    linked = order_lines_link_product(
        account=form.account, offer_id=offer_id, product=product, user=request.user
    )
    messages.success(
        request,
        _("Oferta %(o)s to teraz produkt %(p)s (zapamiętane; powiązano pozycji: %(n)d).")
        % {"o": offer_id, "p": product.sku, "n": linked},
    )
    return redirect("allegro:order_detail", pk=pk)


def product_suggest(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the SKU/EAN field's datalist (htmx)."""
    return render(
        request,
        "allegro/orders/_product_options.html",
        {"products": products_search(str(request.GET.get("term") or "")[:64])},
    )


# -- printouts -------------------------------------------------------------------------------------


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def order_printout(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(AllegroCheckoutForm.objects.select_related("order"), pk=pk)
    number = (form.order.number if form.order else form.form_id).replace("/", "-")
    return _pdf_response(printout_pdf(form_ids=[form.pk]), f"zamowienie-{number}.pdf")


@require_POST
def orders_printout(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    ids = parse_ids(request.POST.getlist("form"), BATCH_LIMIT)
    ids = list(
        AllegroCheckoutForm.objects.filter(account=account, pk__in=ids)
        .order_by("bought_at", "id")
        .values_list("pk", flat=True)
    )
    if not ids:
        messages.error(request, _("Zaznacz zamówienia do wydruku."))
        return redirect(next_url(request, "allegro:orders"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf_response(printout_pdf(form_ids=ids, with_pick_list=True), f"zamowienia-{stamp}.pdf")
