from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
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


# The menu badges of the current account, by key: what each counts. All of them are counted in
# one query per request, however many features add one.
_BADGES: dict[str, Callable[[AllegroAccount], QuerySet[Any]]] = {}


def menu_badge(
    key: str, waiting: Callable[[AllegroAccount], QuerySet[Any]]
) -> Callable[[HttpRequest], str]:
    """Declare a menu badge: how many rows of ``waiting(account)`` the current account has."""
    _BADGES[key] = waiting

    def badge(request: HttpRequest) -> str:
        count = badge_count(request, key)
        return str(count) if count else ""

    return badge


def badge_count(request: HttpRequest, key: str) -> int:
    """One badge's count; the first call of a request counts every declared badge at once."""
    counts: dict[str, int] | None = getattr(request, "_allegro_badge_counts", None)
    if counts is None or key not in counts:
        counts = {**(counts or {}), **_badge_counts(account_current(request))}
        request._allegro_badge_counts = counts  # type: ignore[attr-defined]
    return counts.get(key, 0)


def _badge_counts(account: AllegroAccount | None) -> dict[str, int]:
    if account is None:
        return dict.fromkeys(_BADGES, 0)
    counted = {
        f"badge_{key}": Coalesce(
            Subquery(
                waiting(account)
                .order_by()
                .annotate(_all=Value(1))
                .values("_all")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )
        for key, waiting in _BADGES.items()
    }
    found = AllegroAccount.objects.filter(pk=account.pk).values(**counted).first()
    row: dict[str, Any] = dict(found) if found else {}
    return {key: int(row.get(f"badge_{key}") or 0) for key in _BADGES}
