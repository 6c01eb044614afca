"""The scheduled message import, one periodic task per linked account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shop.allegro.common.account_jobs import account_job
from shop.allegro.common.selectors import account_login_of
from shop.allegro.messages.schedule import IMPORT_MESSAGES_JOB
from shop.allegro.messages.services import messages_import
from shop.allegro.models import AllegroAccount
from shop.scheduler.registry import register_job


@account_job(IMPORT_MESSAGES_JOB)
@register_job(
    IMPORT_MESSAGES_JOB,
    title=_("Wiadomości z Allegro"),
    every_seconds=120,
    autoschedule=False,
    count_labels={
        "threads_read": _("przejrzane wątki"),
        "threads_changed": _("wątki z nowymi wiadomościami"),
        "messages_new": _("nowe wiadomości"),
        "pages": _("strony listy wątków"),
        "requests": _("zapytania do Allegro"),
        "skipped": _("pominięto (konto niepowiązane)"),
    },
    describe_kwargs=account_login_of,
)
def import_messages(account_id: int) -> dict[str, Any]:
    account = AllegroAccount.objects.get(pk=account_id)
    if not account.is_usable:
        return {"skipped": 1}
    return messages_import(account=account)
