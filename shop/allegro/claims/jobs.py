"""The scheduled follow-up of commission refund claims, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.claims.selectors import candidates_for
from shop.allegro.claims.services import FOLLOW_CLAIMS_JOB, claims_follow
from shop.allegro.common.account_jobs import account_job
from shop.allegro.models import AllegroAccount


@account_job(
    FOLLOW_CLAIMS_JOB,
    title=_("Zwroty prowizji Allegro"),
    every_seconds=3600,
    count_labels={
        "checked": _("sprawdzone wnioski"),
        "to_granted": _("przyznane zwroty"),
        "to_rejected": _("odrzucone wnioski"),
        "to_rejected_after_appeal": _("odrzucone po odwołaniu"),
        "to_waiting_for_payment_refund": _("czekające na zwrot wpłaty"),
        "to_appealed": _("odwołania w toku"),
        "to_cancelled": _("wycofane wnioski"),
        "to_in_progress": _("potwierdzone wnioski"),
        "unconfirmed": _("niepotwierdzone w Allegro"),
        "errors": _("błędy odczytu"),
        "to_file": _("pozycje do złożenia wniosku"),
        "closing_soon": _("termin mija wkrótce"),
    },
)
def follow_claims(account: AllegroAccount) -> dict[str, Any]:
    counts: dict[str, Any] = dict(claims_follow(account=account))
    candidates = [c for c in candidates_for(account=account) if c.is_open]
    counts["to_file"] = len(candidates)
    counts["closing_soon"] = sum(1 for c in candidates if c.closing_soon)
    return counts
