from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from shop.allegro.models import AllegroAccount, LinkStatus

SESSION_ACCOUNT_KEY = "allegro_account_id"


def account_current(request: HttpRequest) -> AllegroAccount | None:
    """The account the pages work with: the one picked in the switcher, else the first.

    Read once per request (the view and the page chrome both ask).
    """
    cached = getattr(request, "_allegro_account", None)
    if cached is not None and cached.pk == request.session.get(SESSION_ACCOUNT_KEY, cached.pk):
        return cached
    account = _account_current(request)
    request._allegro_account = account  # type: ignore[attr-defined]
    return account


def _account_current(request: HttpRequest) -> AllegroAccount | None:
    accounts = AllegroAccount.objects.order_by("id")
    picked = request.session.get(SESSION_ACCOUNT_KEY)
    if picked is not None:
        account = accounts.filter(pk=picked).first()
        if account is not None:
            return account
    return accounts.first()


def accounts_needing_relink() -> list[AllegroAccount]:
    return list(AllegroAccount.objects.filter(status=LinkStatus.RELINK_REQUIRED, enabled=True))


def accounts_usable() -> list[AllegroAccount]:
    return list(AllegroAccount.objects.filter(status=LinkStatus.LINKED, enabled=True))


def account_login_of(job_kwargs: dict[str, Any]) -> str:
    """The account a per-account scheduled job works on, by its Allegro login (its pages)."""
    account_id = job_kwargs.get("account_id")
    if not isinstance(account_id, int):
        return ""
    account = AllegroAccount.objects.filter(pk=account_id).first()
    return str(account) if account is not None else ""


def account_badge(request: HttpRequest, waiting: Callable[[AllegroAccount], QuerySet[Any]]) -> str:
    """A menu badge: how many rows of the current account wait (empty when none)."""
    account = account_current(request)
    if account is None:
        return ""
    count = waiting(account).count()
    return str(count) if count else ""
