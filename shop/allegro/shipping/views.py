"""Allegro → Cenniki dostawy: the list, the add/edit form, import, hide, drift resolution."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from allegro_api.models.shipping import ShippingRatesSet
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroAccount, AllegroShippingRates
from shop.allegro.shipping.forms import ShippingRatesForm
from shop.allegro.shipping.mapping import differences
from shop.allegro.shipping.selectors import (
    delivery_method_names,
    delivery_methods_for,
    shipping_rates_for,
    shipping_rates_limit,
    stored_rates_set,
)
from shop.allegro.shipping.services import (
    ShippingRatesDrift,
    ShippingRatesError,
    delivery_methods_ensure,
    delivery_methods_refresh,
    shipping_rates_create,
    shipping_rates_drift,
    shipping_rates_import,
    shipping_rates_replace,
    shipping_rates_set_hidden,
    shipping_rates_take_remote,
)
from shop.core.http import next_url


def _linked_account(request: HttpRequest) -> AllegroAccount | None:
    account = account_current(request)
    return account if account is not None and account.is_linked else None


def _not_linked(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "allegro/shipping/list.html",
        page_context(request, title=_("Cenniki dostawy"), account=None, rows=[], limit=None),
    )


def rates_list(request: HttpRequest) -> HttpResponse:
    account = _linked_account(request)
    if account is None:
        return _not_linked(request)
    show_hidden = request.GET.get("hidden") == "1"
    rows = list(shipping_rates_for(account, hidden=show_hidden))
    names = delivery_method_names(account)
    for row in rows:
        row.method_labels = [names.get(mid, mid) for mid in row.method_ids]  # type: ignore[attr-defined]
    limit = shipping_rates_limit(account)
    hidden_count = account.shipping_rate_sets.filter(hidden=True).count()
    return render(
        request,
        "allegro/shipping/list.html",
        page_context(
            request,
            title=_("Cenniki dostawy"),
            account=account,
            rows=rows,
            limit=limit,
            show_hidden=show_hidden,
            hidden_count=hidden_count,
        ),
    )


@require_POST
def rates_import(request: HttpRequest) -> HttpResponse:
    account = _linked_account(request)
    if account is None:
        return redirect("allegro:shipping_rates")
    try:
        result = shipping_rates_import(account=account, user=request.user)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        messages.success(
            request,
            _("Zaimportowano cenniki z Allegro: nowe %(created)d, zaktualizowane %(updated)d.")
            % {"created": result.created, "updated": result.updated},
        )
        for failure in result.failed:
            messages.warning(request, failure)
    return redirect("allegro:shipping_rates")


@require_POST
def methods_refresh(request: HttpRequest) -> HttpResponse:
    account = _linked_account(request)
    back = next_url(request, "/")
    if account is None:
        return redirect("allegro:shipping_rates")
    try:
        count = delivery_methods_refresh(account=account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        messages.success(request, _("Odświeżono metody dostawy z Allegro (%(n)d).") % {"n": count})
    return redirect(back)


def _methods(request: HttpRequest, account: AllegroAccount) -> list[Any]:
    try:
        delivery_methods_ensure(account=account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    return delivery_methods_for(account)


def _render_form(
    request: HttpRequest,
    *,
    form: ShippingRatesForm,
    rates: AllegroShippingRates | None,
    drift: ShippingRatesSet | None = None,
    read_only: bool = False,
    status: int = 200,
) -> HttpResponse:
    account = form.rates.account if form.rates else _linked_account(request)
    changes = (
        differences(stored_rates_set(rates), drift, delivery_method_names(rates.account))
        if drift is not None and rates is not None
        else []
    )
    title = rates.name if rates is not None else _("Nowy cennik dostawy")
    return render(
        request,
        "allegro/shipping/form.html",
        page_context(
            request,
            title=title,
            account=account,
            form=form,
            rates=rates,
            drift=drift,
            drift_changes=changes,
            read_only=read_only,
            limit=shipping_rates_limit(account) if account else None,
        ),
        status=status,
    )


def rates_add(request: HttpRequest) -> HttpResponse:
    account = _linked_account(request)
    if account is None:
        return redirect("allegro:shipping_rates")
    form = ShippingRatesForm(request.POST or None, methods=_methods(request, account))
    if request.method == "POST" and form.is_valid():
        try:
            rates = shipping_rates_create(account=account, body=form.body(), user=request.user)
        except ShippingRatesError as exc:
            form.add_remote_errors(exc.errors, exc.message)
        else:
            messages.success(
                request, _("Zapisano cennik „%(name)s” w Allegro.") % {"name": rates.name}
            )
            return redirect("allegro:shipping_rates")
    return _render_form(request, form=form, rates=None)


def _own_rates(request: HttpRequest, pk: int) -> AllegroShippingRates:
    account = _linked_account(request)
    return get_object_or_404(
        AllegroShippingRates.objects.select_related("account"), pk=pk, account=account
    )


def rates_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rates = _own_rates(request, pk)
    methods = _methods(request, rates.account)
    if rates.managed_by_allegro:
        form = ShippingRatesForm(methods=methods, rates=rates, read_only=True)
        return _render_form(request, form=form, rates=rates, read_only=True)
    drift: ShippingRatesSet | None = None
    if request.method == "POST":
        form = ShippingRatesForm(request.POST, methods=methods, rates=rates)
        if form.is_valid():
            try:
                rates = shipping_rates_replace(
                    rates=rates,
                    body=form.body(),
                    base_fingerprint=form.cleaned_data.get("base_fingerprint") or rates.fingerprint,
                    overwrite="keep_local" in request.POST,
                    user=request.user,
                )
            except ShippingRatesDrift as exc:
                drift = exc.remote
            except ShippingRatesError as exc:
                form.add_remote_errors(exc.errors, exc.message)
            else:
                messages.success(
                    request, _("Zapisano cennik „%(name)s” w Allegro.") % {"name": rates.name}
                )
                return redirect("allegro:shipping_rates")
        return _render_form(request, form=form, rates=rates, drift=drift)
    try:
        drift = shipping_rates_drift(rates=rates)
    except AllegroError as exc:
        messages.warning(
            request,
            _("Nie udało się sprawdzić, czy cennik zmieniono w Allegro: %(error)s")
            % {"error": describe_error(exc)},
        )
    form = ShippingRatesForm(methods=methods, rates=rates)
    return _render_form(request, form=form, rates=rates, drift=drift)


@require_POST
def rates_take_remote(request: HttpRequest, pk: int) -> HttpResponse:
    """The merchant keeps Allegro's version of a list that changed there."""
    rates = _own_rates(request, pk)
    try:
        shipping_rates_take_remote(rates=rates, user=request.user)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        messages.success(request, _("Wczytano wersję cennika z Allegro."))
    return redirect("allegro:shipping_rates_edit", pk=rates.pk)


@require_POST
def rates_hide(request: HttpRequest, pk: int) -> HttpResponse:
    rates = _own_rates(request, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    shipping_rates_set_hidden(rates=rates, hidden=hidden, user=request.user)
    if hidden:
        messages.success(
            request,
            _(
                "Ukryto cennik „%(name)s” w sklepie. W Allegro nadal istnieje (Allegro nie "
                "pozwala usuwać cenników) i wlicza się do limitu."
            )
            % {"name": rates.name},
        )
    else:
        messages.success(request, _("Przywrócono cennik „%(name)s”.") % {"name": rates.name})
    return redirect("allegro:shipping_rates")


@require_POST
def rates_preview(request: HttpRequest) -> HttpResponse:
    """The buyer-cost table for the values currently in the form (htmx)."""
    account = _linked_account(request)
    methods = delivery_methods_for(account) if account is not None else []
    form = ShippingRatesForm(request.POST, methods=methods)
    return render(
        request,
        "allegro/shipping/_buyer_costs.html",
        {"preview": form.preview(), "items": form.preview_items()},
    )
