"""The scheduled fee import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.billing.schedule import IMPORT_BILLING_JOB
from shop.allegro.billing.services import billing_import
from shop.allegro.common.account_jobs import account_job
from shop.allegro.models import AllegroAccount


@account_job(
    IMPORT_BILLING_JOB,
    title=_("Import rozliczeń (opłat) z Allegro"),
    every_seconds=3600,
    count_labels={
        "entries_read": _("odczytane operacje"),
        "entries_created": _("nowe operacje"),
        "entries_updated": _("zmienione operacje"),
        "entries_unchanged": _("operacje bez zmian"),
        "entries_linked": _("powiązane z zamówieniami"),
        "requests": _("zapytania do Allegro"),
    },
)
def import_billing(account: AllegroAccount) -> dict[str, Any]:
    return billing_import(account=account).as_counts()
