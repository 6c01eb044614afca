"""Scheduled work of Wysyłam z Allegro: parcels whose command nobody followed to the end."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shop.allegro.shipments.services import parcels_follow_pending
from shop.scheduler.registry import register_job


@register_job(
    "allegro.parcels_follow",
    title=_("Wysyłam z Allegro: dokończenie tworzenia przesyłek"),
    every_seconds=120,
    count_labels={
        "checked": _("sprawdzone przesyłki"),
        "created": _("utworzone"),
        "failed": _("odrzucone przez Allegro"),
        "errors": _("błędy odczytu"),
    },
)
def parcels_follow() -> dict[str, int]:
    return parcels_follow_pending()
