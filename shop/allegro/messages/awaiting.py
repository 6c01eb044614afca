"""Message threads in the response-time guard (:mod:`shop.allegro.common.awaiting`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from shop.allegro.common.awaiting import AwaitingReply, awaiting_source
from shop.allegro.models import AllegroMessageThread


@awaiting_source("message")
def messages_awaiting(now: datetime) -> Iterable[AwaitingReply]:
    """Threads whose newest delivered words are the buyer's: one query.

    Allegro sets no deadline for answering a message, so none is given here; the list shows
    how long each buyer has waited.
    """
    threads = (
        AllegroMessageThread.objects.filter(waiting_since__isnull=False, account__enabled=True)
        .only("id", "interlocutor_login", "waiting_since", "account_id", "order_form_id")
        .order_by("waiting_since")
    )
    return [
        AwaitingReply(
            kind="message",
            title=_("Wiadomość od %(login)s") % {"login": t.interlocutor_login},
            url=reverse("allegro:message_thread", args=[t.pk]),
            waiting_since=t.waiting_since,  # type: ignore[arg-type]
            account_id=t.account_id,
        )
        for t in threads
    ]
