"""The scheduled import of ratings, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.issues.schedule import IMPORT_RATINGS_JOB
from shop.allegro.models import AllegroAccount
from shop.allegro.ratings.services import ratings_import


@account_job(
    IMPORT_RATINGS_JOB,
    title=_("Oceny z Allegro"),
    every_seconds=600,
    count_labels={
        "ratings_new": _("nowe oceny"),
        "ratings_updated": _("zmienione oceny"),
        "negative": _("nowe oceny negatywne"),
        "unanswered_negative": _("negatywne bez odpowiedzi"),
    },
)
def import_ratings(account: AllegroAccount) -> dict[str, Any]:
    return ratings_import(account=account)
