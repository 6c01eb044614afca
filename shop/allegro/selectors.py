from __future__ import annotations

from django.http import HttpRequest

from shop.allegro.models import AllegroAccount, LinkStatus

SESSION_ACCOUNT_KEY = "allegro_account_id"


def account_current(request: HttpRequest) -> AllegroAccount | None:
    """The account the pages work with: the one picked in the switcher, else the first."""
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
