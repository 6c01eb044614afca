"""The scheduled refresh of invoice scans, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.invoices.schedule import REFRESH_INVOICES_JOB
from shop.allegro.invoices.services import invoices_refresh_pending
from shop.allegro.models import AllegroAccount


@account_job(
    REFRESH_INVOICES_JOB,
    title=_("Faktury w Allegro: stan sprawdzania plików"),
    every_seconds=300,
    count_labels={
        "checked": _("sprawdzone zamówienia"),
        "accepted": _("faktury przyjęte"),
        "rejected": _("faktury odrzucone"),
        "still_waiting": _("nadal sprawdzane"),
        "resumed": _("dokończone wysyłki"),
        "failed": _("wysyłki z błędem"),
        "errors": _("błędy odczytu"),
        "requests": _("zapytania do Allegro"),
    },
)
def refresh_invoices(account: AllegroAccount) -> dict[str, Any]:
    return invoices_refresh_pending(account=account)
