from __future__ import annotations

from typing import Any

from django.http import HttpRequest

ALLEGRO_PREFIX = "/backend/allegro/"


def allegro_accounts(request: HttpRequest) -> dict[str, Any]:
    """On Allegro pages: the re-link banner and the account switcher."""
    if not request.path.startswith(ALLEGRO_PREFIX):
        return {}
    from shop.allegro.common.selectors import account_current, accounts_needing_relink
    from shop.allegro.models import AllegroAccount

    return {
        "allegro_relink_accounts": accounts_needing_relink(),
        "allegro_accounts": list(AllegroAccount.objects.order_by("id")),
        "allegro_account": account_current(request),
    }
