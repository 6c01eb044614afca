"""The scheduled order import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.models import AllegroAccount
from shop.allegro.orders.services.fulfillment import fulfillment_flush
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB


@account_job(
    IMPORT_ORDERS_JOB,
    title=_("Import zamówień z Allegro"),
    every_seconds=60,
    count_labels={
        "events_read": _("odczytane zdarzenia"),
        "forms_fetched": _("pobrane formularze"),
        "orders_created": _("nowe zamówienia"),
        "orders_updated": _("zmienione zamówienia"),
        "orders_cancelled": _("anulowane zamówienia"),
        "orders_unchanged": _("zamówienia bez zmian"),
        "forms_superseded": _("połączone płatności"),
        "forms_gone": _("formularze wycofane w Allegro"),
        "quarantined": _("odłożone z błędem"),
        "released": _("zaimportowane po błędzie"),
        "requests": _("zapytania do Allegro"),
        "backfill": _("pobieranie zamówień z przeszłości"),
        "sweep": _("pełny przegląd"),
        "fulfillment_sent": _("wysłane statusy realizacji"),
    },
)
def import_orders(account: AllegroAccount) -> dict[str, Any]:
    counts = orders_import(account=account).as_counts()
    # Seller statuses that a passing failure held back go out with the next import.
    counts["fulfillment_sent"] = fulfillment_flush(account=account)
    return counts
