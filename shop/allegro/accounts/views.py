"""Aplikacje → Allegro: configuration, linking (OAuth), unlinking, account switching."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.accounts.forms import AccountConfigForm
from shop.allegro.accounts.services import (
    LINK_STATE_MAX_AGE_SECONDS,
    LinkError,
    OtherSellerError,
    account_check_connection,
    account_configure,
    account_link_complete,
    account_link_start,
    account_unlink,
    address_mismatch,
    redirect_uri,
)
from shop.allegro.common.client import environment_name
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import SESSION_ACCOUNT_KEY, account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroAccount
from shop.core.http import next_url, parse_id
from shop.core.redact import redact

SESSION_LINK_KEY = "allegro_link"
# The login of a seller refused on relinking, offered to be added as a new account.
SESSION_OTHER_SELLER_KEY = "allegro_other_seller"


def _account_or_new(request: HttpRequest) -> AllegroAccount:
    account = account_current(request)
    if account is None:
        account = AllegroAccount.objects.create()
    return account


def config(request: HttpRequest) -> HttpResponse:
    account = _account_or_new(request)
    initial = {
        f: getattr(account, f)
        for f in ("enabled", "sandbox", "client_id", "province", "city", "post_code")
    }
    form = AccountConfigForm(request.POST or None, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        account_configure(account=account, data=form.cleaned_data, user=request.user)
        messages.success(request, _("Zapisano konfigurację Allegro."))
        return redirect("allegro:config")
    return render(
        request,
        "allegro/accounts/config.html",
        page_context(
            request,
            title=_("Allegro — konfiguracja"),
            account=account,
            form=form,
            redirect_uri=redirect_uri(),
            wrong_address=address_mismatch(request.build_absolute_uri()),
            allegro_environment=environment_name(account),
            other_seller=request.session.get(SESSION_OTHER_SELLER_KEY, ""),
        ),
    )


@require_POST
def link(request: HttpRequest) -> HttpResponse:
    account = _account_or_new(request)
    try:
        start = account_link_start(account=account, current_url=request.build_absolute_uri())
    except LinkError as exc:
        messages.error(request, exc.message)
        return redirect("allegro:config")
    request.session[SESSION_LINK_KEY] = {
        "state": start.state,
        "verifier": start.verifier,
        "account_id": account.pk,
        "started": time.time(),
    }
    return redirect(start.url)


def callback(request: HttpRequest) -> HttpResponse:
    """Allegro sends the seller back here with ``code`` and ``state`` (or ``error``)."""
    pending = request.session.get(SESSION_LINK_KEY) or {}
    state = str(request.GET.get("state", ""))
    if not state or not constant_time_compare(state, str(pending.get("state", ""))):
        # A visit without the link's own state (a stale tab, a forged link) leaves the link in
        # progress alone, so the seller's genuine return still completes it.
        messages.error(
            request,
            _(
                "Odpowiedź Allegro nie pasuje do rozpoczętego powiązania (nieprawidłowy lub już "
                "użyty parametr state). Kliknij „Powiąż konto” jeszcze raz."
            ),
        )
        return redirect("allegro:config")
    request.session.pop(SESSION_LINK_KEY, None)  # single use from here on
    if time.time() - float(pending.get("started", 0)) > LINK_STATE_MAX_AGE_SECONDS:
        messages.error(
            request, _("Powiązanie trwało zbyt długo. Kliknij „Powiąż konto” jeszcze raz.")
        )
        return redirect("allegro:config")
    if request.GET.get("error"):
        if request.GET["error"] == "access_denied":
            message = _("Nie udzielono dostępu w Allegro — konto nie zostało powiązane.")
        else:
            message = _("Allegro zwróciło błąd: %(error)s.") % {
                "error": redact(str(request.GET["error"])[:100])
            }
        messages.error(request, message)
        return redirect("allegro:config")
    account = get_object_or_404(AllegroAccount, pk=pending["account_id"])
    try:
        account = account_link_complete(
            account=account,
            code=request.GET.get("code", ""),
            verifier=pending["verifier"],
            user=request.user,
        )
    except OtherSellerError as exc:
        # The page's banner says what happened and offers the way on; no second message.
        request.session[SESSION_OTHER_SELLER_KEY] = exc.login
        return redirect("allegro:config")
    except LinkError as exc:
        messages.error(request, exc.message)
        return redirect("allegro:config")
    request.session.pop(SESSION_OTHER_SELLER_KEY, None)
    request.session[SESSION_ACCOUNT_KEY] = account.pk
    messages.success(request, _("Powiązano konto Allegro %(login)s.") % {"login": account.login})
    return redirect("allegro:config")


@require_POST
def unlink(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is not None:
        account_unlink(account=account, user=request.user)
        messages.success(request, _("Odłączono konto Allegro."))
    return redirect("allegro:config")


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    account = get_object_or_404(AllegroAccount, pk=parse_id(request.POST.get("account")))
    request.session[SESSION_ACCOUNT_KEY] = account.pk
    return redirect(next_url(request, "allegro:config"))


@require_POST
def add_account(request: HttpRequest) -> HttpResponse:
    """A new account with the current one's application keys; ``link`` starts linking it."""
    current = account_current(request)
    request.session.pop(SESSION_OTHER_SELLER_KEY, None)
    # Enabled from the start: a linked account that imports nothing surprises everyone.
    account = AllegroAccount.objects.create(
        enabled=True,
        client_id=current.client_id if current else "",
        client_secret=current.client_secret if current else "",
        sandbox=current.sandbox if current else False,
        province=current.province if current else "",
        city=current.city if current else "",
        post_code=current.post_code if current else "",
    )
    request.session[SESSION_ACCOUNT_KEY] = account.pk
    if request.POST.get("link"):
        return link(request)
    messages.success(request, _("Dodano konto. Powiąż je z kontem sprzedawcy Allegro."))
    return redirect("allegro:config")


@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """Sprawdź połączenie: one ``GET /me`` with the stored tokens."""
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    try:
        login = account_check_connection(account=account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        messages.success(request, _("Połączenie działa: konto %(login)s.") % {"login": login})
    return redirect("allegro:config")
