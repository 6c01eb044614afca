"""The scheduled import of customer returns, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.models import AllegroAccount
from shop.allegro.returns.schedule import IMPORT_RETURNS_JOB
from shop.allegro.returns.services import refunds_follow, refunds_retry, returns_import


@account_job(
    IMPORT_RETURNS_JOB,
    title=_("Import zwrotów z Allegro"),
    every_seconds=600,
    count_labels={
        "read": _("odczytane zwroty"),
        "created": _("nowe zwroty"),
        "updated": _("zmienione zwroty"),
        "unchanged": _("zwroty bez zmian"),
        "requests": _("zapytania do Allegro"),
        "refunds_sent": _("wysłane ponownie zwroty wpłat"),
        "refunds_changed": _("zmienione statusy zwrotów wpłat"),
    },
)
def import_returns(account: AllegroAccount) -> dict[str, Any]:
    counts = returns_import(account=account).as_counts()
    # Refunds whose answer was lost are looked up on Allegro, then sent at most once more.
    counts["refunds_sent"] = refunds_retry(account=account)
    counts["refunds_changed"] = refunds_follow(account=account)
    return counts
