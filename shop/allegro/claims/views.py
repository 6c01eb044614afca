"""Sprzedaż → Zwroty prowizji: line items to claim, filing in bulk, filed claims and their state."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.allegro.claims.selectors import candidates_for, claims_of
from shop.allegro.claims.services import claim_cancel, claims_file
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroRefundClaim
from shop.core.errors import ApplicationError
from shop.core.plural import plural_pl


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("allegro:claims")


def claims_page(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    candidates = candidates_for(account=account)
    return render(
        request,
        "allegro/claims/list.html",
        page_context(
            request,
            title=_("Zwroty prowizji"),
            account=account,
            candidates=candidates,
            open_count=sum(1 for c in candidates if c.is_open),
            claims=list(claims_of(account=account)[:200]),
            can_call=account.is_usable,
        ),
    )


def _quantities(request: HttpRequest, ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for pk in ids:
        raw = request.POST.get(f"qty-{pk}", "")
        if raw.isdigit():
            found[pk] = int(raw)
    return found


@require_POST
def claims_file_view(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
    if not ids:
        messages.warning(request, _("Zaznacz pozycje, dla których złożyć wnioski."))
        return _back(request)
    filed, errors = claims_file(line_item_ids=ids, quantities=_quantities(request, ids))
    if filed:
        messages.success(
            request,
            _("Złożono %(count)s o zwrot prowizji.")
            % {"count": f"{filed} {plural_pl(filed, _('wniosek'), _('wnioski'), _('wniosków'))}"},
        )
    for error in errors:
        messages.error(request, error)
    return _back(request)


@require_POST
def claim_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(AllegroRefundClaim.objects.select_related("account"), pk=pk)
    try:
        claim_cancel(claim=claim)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Wycofano wniosek o zwrot prowizji."))
    return _back(request)
