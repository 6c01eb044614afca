"""The scheduled import of discussions and complaints, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.issues.schedule import IMPORT_ISSUES_JOB
from shop.allegro.issues.services import issues_import
from shop.allegro.models import AllegroAccount


@account_job(
    IMPORT_ISSUES_JOB,
    title=_("Dyskusje i reklamacje z Allegro"),
    every_seconds=300,
    count_labels={
        "issues_new": _("nowe dyskusje i reklamacje"),
        "issues_seen": _("odczytane bez zmian lub zmienione"),
        "chats_read": _("odczytane rozmowy"),
        "messages_new": _("nowe wiadomości"),
        "awaiting": _("czekają na odpowiedź"),
    },
)
def import_issues(account: AllegroAccount) -> dict[str, Any]:
    return issues_import(account=account)
