"""Allegro → Rozliczenia: fees per day or month, the chart, the CSV export, unmatched entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.allegro.billing.export import billing_csv
from shop.allegro.billing.schedule import IMPORT_BILLING_JOB
from shop.allegro.billing.selectors import (
    entries_between,
    fees_per_period,
    unmatched_entries,
)
from shop.allegro.common.account_jobs import account_job_queue
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import FeeGroup
from shop.backoffice.chart import Series, stacked_bars
from shop.scheduler.selectors import job_run_latest
from shop.scheduler.views import run_started

DEFAULT_DAYS = 30
MAX_DAYS = 731
UNMATCHED_ROWS = 200
GROUP_COLORS = {
    FeeGroup.COMMISSION: "#f97316",
    FeeGroup.DELIVERY: "#0ea5e9",
    FeeGroup.PROMOTION: "#a855f7",
    FeeGroup.OTHER: "#6b7280",
}


@dataclass(frozen=True)
class Range:
    start: date
    end: date
    period: str  # "day" or "month"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _range(request: HttpRequest) -> Range:
    today = timezone.localdate()
    end = _date(request.GET.get("date_to")) or today
    start = _date(request.GET.get("date_from")) or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, end - timedelta(days=MAX_DAYS))
    period = "month" if request.GET.get("period") == "month" else "day"
    return Range(start, end, period)


def settlements(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    chosen = _range(request)
    rows = fees_per_period(
        account=account, start=chosen.start, end=chosen.end, period=chosen.period
    )
    series = [
        Series(
            key=g.value,
            label=str(g.label),
            color=GROUP_COLORS[g],
            values=[max(r.by_group[g.value], Decimal(0)) for r in rows],
        )
        for g in FeeGroup
    ]
    totals = {g.value: sum((r.by_group[g.value] for r in rows), Decimal(0)) for g in FeeGroup}
    context = {
        "account": account,
        "range": chosen,
        "groups": [(g.value, str(g.label)) for g in FeeGroup],
        "rows": [(r, [r.by_group[g.value] for g in FeeGroup]) for r in reversed(rows)],
        "totals": [totals[g.value] for g in FeeGroup],
        "grand_total": sum(totals.values(), Decimal(0)),
        "chart": stacked_bars([r.start for r in rows], series, unit=" zł"),
        "legend": series,
        "unmatched": list(
            unmatched_entries(account=account, start=chosen.start, end=chosen.end)[:UNMATCHED_ROWS]
        ),
        "query": request.GET.urlencode(),
        "import_run": job_run_latest(job=IMPORT_BILLING_JOB, job_kwargs={"account_id": account.pk}),
    }
    return render(
        request,
        "allegro/billing/settlements.html",
        page_context(request, title=_("Rozliczenia Allegro"), **context),
    )


def settlements_csv(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    chosen = _range(request)
    entries = entries_between(account=account, start=chosen.start, end=chosen.end).select_related(
        "form__order"
    )
    response = HttpResponse(billing_csv(entries), content_type="text/csv; charset=utf-8")
    name = f"rozliczenia-allegro-{chosen.start:%Y-%m-%d}-{chosen.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def settlements_import(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:settlements")
    run = account_job_queue(account=account, job=IMPORT_BILLING_JOB)
    return run_started(
        request,
        run,
        message=_("Zlecono import rozliczeń; jego postęp widać poniżej."),
        back=reverse("allegro:settlements"),
        reload_when_done=True,
    )
