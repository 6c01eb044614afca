"""Scheduled work of the offer list: the offer-event journal and the full reconciliation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.selectors import accounts_usable
from shop.allegro.offers.services.importer import (
    RECONCILE_JOB,
    offer_events_follow,
    offers_import,
)
from shop.scheduler.registry import register_job


@register_job(
    "allegro.offer_events",
    title=_("Allegro: zmiany ofert (dziennik zdarzeń)"),
    every_seconds=60,
    count_labels={"events": _("odczytane zdarzenia"), "offers": _("odświeżone oferty")},
)
def follow_offer_events() -> dict[str, int]:
    totals = {"accounts": 0, "events": 0, "offers": 0}
    for account in accounts_usable():
        totals["accounts"] += 1
        for key, value in offer_events_follow(account=account).items():
            totals[key] += value
    return totals


@register_job(
    RECONCILE_JOB,
    title=_("Allegro: pełna synchronizacja ofert"),
    every_seconds=6 * 3600,
    count_labels={
        "created": _("nowe oferty"),
        "updated": _("zmienione oferty"),
        "linked": _("powiązane automatycznie"),
        "to_review": _("do potwierdzenia"),
    },
)
def reconcile_offers() -> dict[str, int]:
    totals = {"accounts": 0, "created": 0, "updated": 0, "linked": 0, "to_review": 0}
    for account in accounts_usable():
        totals["accounts"] += 1
        for key, value in offers_import(account=account).items():
            totals[key] += value
    return totals
