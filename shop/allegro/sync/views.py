"""Allegro → Synchronizacja stanów i cen: settings, price rule dry run, failures, drift report,
and the changes the guard held back ("Wstrzymane zmiany")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroAccount
from shop.allegro.models.sync import DriftReport, Rounding, SyncSettings
from shop.allegro.sync.rules import PriceRule
from shop.allegro.sync.selectors import (
    drift_report_latest,
    drift_rows,
    held_changes_count,
    held_changes_open,
    linked_offers,
    sync_commands_open,
    sync_commands_recent,
    sync_failures,
    sync_offers_pending,
)
from shop.allegro.sync.services.drift import drift_check, drift_heal
from shop.allegro.sync.services.held import held_changes_resolve
from shop.allegro.sync.services.preview import price_change_preview
from shop.allegro.sync.services.push import offers_mark_all, price_rule_apply, sync_settings_for

PREVIEW_LIMIT = 200


class SyncSettingsForm(forms.ModelForm):
    class Meta:
        model = SyncSettings
        fields = [
            "stock_enabled",
            "safety_reserve",
            "end_at_zero",
            "price_enabled",
            "price_guard_percent",
            "quantity_guard_units",
            "quantity_guard_factor",
        ]


class PriceRuleForm(forms.Form):
    markup = forms.DecimalField(
        label=gettext_lazy("Mnożnik ceny"),
        max_digits=6,
        decimal_places=4,
        min_value=Decimal("0.01"),
        max_value=Decimal(99),
    )
    fixed_amount = forms.DecimalField(
        label=gettext_lazy("Kwota stała (PLN)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(-100000),
        max_value=Decimal(100000),
    )
    rounding = forms.ChoiceField(label=gettext_lazy("Zaokrąglenie"), choices=Rounding.choices)
    price_floor = forms.DecimalField(
        label=gettext_lazy("Cena minimalna"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(1),
    )
    price_ceiling = forms.DecimalField(
        label=gettext_lazy("Cena maksymalna"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(1),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        floor, ceiling = data.get("price_floor"), data.get("price_ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            self.add_error("price_ceiling", _("Cena maksymalna musi być wyższa od minimalnej."))
        return data

    def rule(self) -> PriceRule:
        data = self.cleaned_data
        return PriceRule(
            markup=data["markup"],
            fixed_amount=data["fixed_amount"],
            rounding=data["rounding"],
            floor=data.get("price_floor"),
            ceiling=data.get("price_ceiling"),
        )


def _rule_initial(conf: SyncSettings) -> dict[str, Any]:
    return {
        "markup": conf.markup,
        "fixed_amount": conf.fixed_amount,
        "rounding": conf.rounding,
        "price_floor": conf.price_floor,
        "price_ceiling": conf.price_ceiling,
    }


def _account(request: HttpRequest) -> AllegroAccount | None:
    account = account_current(request)
    return account if account is not None and account.is_linked else None


def _page(request: HttpRequest, account: AllegroAccount | None, **extra: Any) -> HttpResponse:
    context: dict[str, Any] = {"account": account}
    if account is not None:
        conf = sync_settings_for(account)
        report = drift_report_latest(account)
        context.update(
            conf=conf,
            settings_form=extra.pop("settings_form", None) or SyncSettingsForm(instance=conf),
            rule_form=extra.pop("rule_form", None) or PriceRuleForm(initial=_rule_initial(conf)),
            pending=sync_offers_pending(account),
            open_commands=sync_commands_open(account),
            commands=sync_commands_recent(account),
            failures=sync_failures(account),
            held=held_changes_count(account),
            report=report,
            drift=list(drift_rows(report)) if report else [],
        )
    context.update(extra)
    return render(
        request,
        "allegro/sync/page.html",
        page_context(request, title=_("Synchronizacja stanów i cen"), **context),
    )


def sync_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _account(request))


@require_POST
def sync_settings_save(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if account is None:
        return redirect("allegro:sync")
    form = SyncSettingsForm(request.POST, instance=sync_settings_for(account))
    if not form.is_valid():
        return _page(request, account, settings_form=form)
    form.save()
    offers_mark_all(account=account)
    messages.success(request, _("Zapisano ustawienia; oferty zostaną zaktualizowane."))
    return redirect("allegro:sync")


@require_POST
def price_rule(request: HttpRequest) -> HttpResponse:
    """``preview`` shows old and new price per offer; ``apply`` stores the rule and sends it."""
    account = _account(request)
    if account is None:
        return redirect("allegro:sync")
    conf = sync_settings_for(account)
    form = PriceRuleForm(request.POST)
    if not form.is_valid():
        return _page(request, account, rule_form=form)
    if "apply" in request.POST:
        price_rule_apply(conf=conf, rule=form.rule())
        messages.success(request, _("Zapisano regułę cen; nowe ceny zostaną wysłane do Allegro."))
        return redirect("allegro:sync")
    offers = linked_offers(account)
    rows = price_change_preview(offers=offers[:PREVIEW_LIMIT], conf=conf, rule=form.rule())
    return _page(
        request,
        account,
        rule_form=form,
        preview=rows,
        preview_total=offers.count(),
        preview_changed=sum(1 for row in rows if row.changes),
        preview_held=sum(1 for row in rows if row.held),
    )


@require_POST
def drift_run(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if account is None:
        return redirect("allegro:sync")
    report = drift_check(account=account)
    if report.error:
        messages.error(request, report.error)
    else:
        messages.success(
            request,
            _("Sprawdzono %(n)d ofert, różnic: %(d)d.")
            % {"n": report.offers_checked, "d": report.differences},
        )
    return redirect("allegro:sync")


@require_POST
def drift_fix(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request)
    if account is None:
        return redirect("allegro:sync")
    report = get_object_or_404(DriftReport, pk=pk, account=account)
    healed = drift_heal(report=report, user=request.user)
    messages.success(request, _("Wysłano poprawki dla %(n)d różnic.") % {"n": healed})
    return redirect("allegro:sync")


# -- held changes ----------------------------------------------------------------------------------


def held_page(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    rows = list(held_changes_open(account)) if account is not None else []
    return render(
        request,
        "allegro/sync/held.html",
        page_context(request, title=_("Wstrzymane zmiany"), account=account, rows=rows),
    )


def _seen(request: HttpRequest, ids: list[str]) -> dict[int, Decimal]:
    """id → the proposed value the page showed for it (rows with a broken value are skipped)."""
    seen: dict[int, Decimal] = {}
    for raw in ids:
        try:
            pk = int(raw)
            seen[pk] = Decimal(request.POST.get(f"proposed_{pk}", ""))
        except (ValueError, InvalidOperation):
            continue
    return seen


@require_POST
def held_resolve(request: HttpRequest) -> HttpResponse:
    """``action`` is ``accept`` or ``reject`` for the ticked rows, or ``accept:<id>`` for one."""
    account = _account(request)
    if account is None:
        return redirect("allegro:sync_held")
    action, _sep, one = request.POST.get("action", "").partition(":")
    if action not in ("accept", "reject"):
        return redirect("allegro:sync_held")
    seen = _seen(request, [one] if one else request.POST.getlist("row"))
    if not seen:
        messages.warning(request, _("Nie zaznaczono żadnej zmiany."))
        return redirect("allegro:sync_held")
    result = held_changes_resolve(
        account=account, seen=seen, accept=action == "accept", user=request.user
    )
    if result.done:
        if action == "accept":
            text = _("Zatwierdzono zmian: %(n)d; zostaną wysłane do Allegro.")
        else:
            text = _("Odrzucono zmian: %(n)d; na Allegro zostają obecne wartości.")
        messages.success(request, text % {"n": result.done})
    if result.stale:
        messages.warning(
            request,
            _("Zmian, które w międzyczasie się zmieniły lub zostały rozstrzygnięte: %(n)d.")
            % {"n": result.stale},
        )
    return redirect("allegro:sync_held")


def held_changes_badge(request: HttpRequest) -> str:
    """The menu badge: open held changes of every account (empty when there are none)."""
    count = held_changes_count()
    return str(count) if count else ""
