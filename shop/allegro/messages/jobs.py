"""The scheduled message import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.messages.schedule import IMPORT_MESSAGES_JOB
from shop.allegro.messages.services import messages_import
from shop.allegro.models import AllegroAccount


@account_job(
    IMPORT_MESSAGES_JOB,
    title=_("Wiadomości z Allegro"),
    every_seconds=120,
    count_labels={
        "threads_read": _("przejrzane wątki"),
        "threads_changed": _("wątki z nowymi wiadomościami"),
        "messages_new": _("nowe wiadomości"),
        "pages": _("strony listy wątków"),
        "requests": _("zapytania do Allegro"),
    },
)
def import_messages(account: AllegroAccount) -> dict[str, Any]:
    return messages_import(account=account)
