"""Pure conversions for the message centre: API messages to rows, reply templates, safe text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from allegro_api.models.messaging import Message
from allegro_api.resources.messaging import (
    ATTACHMENT_MIME_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_MESSAGE_LENGTH,
)

__all__ = [
    "ATTACHMENT_MIME_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_MESSAGE_LENGTH",
    "MessageRow",
    "attachment_id_of",
    "fill_template",
    "message_row",
    "repeats_allegro_notice",
    "tracking_url",
    "waited_label",
    "waited_long",
]

#: Allegro sets no deadline for answering a message; a buyer waiting longer than this is
#: flagged (the shop's own goal, a working day).
REPLY_GOAL = timedelta(hours=24)

#: Public tracking pages by Allegro carrier id (``/order/carriers``); others get no link.
TRACKING_URLS = {
    "INPOST": "https://inpost.pl/sledzenie-przesylek?number={}",
    "ALLEGRO": "https://allegro.pl/allegrodelivery/sledzenie-paczki?numer={}",
    "DPD": "https://tracktrace.dpd.com.pl/parcelDetails?p1={}",
    "DHL": "https://www.dhl.com/pl-pl/home/sledzenie-przesylek.html?tracking-id={}",
    "POCZTA_POLSKA": "https://emonitoring.poczta-polska.pl/?numer={}",
    "ORLEN": "https://www.orlenpaczka.pl/sledz-paczke/?numer={}",
    "UPS": "https://www.ups.com/track?loc=pl_PL&tracknum={}",
    "GLS": "https://gls-group.com/PL/pl/sledzenie-paczek?match={}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={}",
}
PLACEHOLDERS = ("kupujacy", "numer_zamowienia", "link_sledzenia")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# What Allegro's own notifications already tell the buyer: since 2 March 2026 Allegro does not
# deliver a message the seller starts with it (allegro/allegro-api#12176, #12437, #13038).
_NOTICE = re.compile(
    r"faktur|paragon|wpłat|zapłat|wysłan|nadan|numer przesyłki|śledzeni|status przesyłki|"
    r"wystaw(?:ić|ienie)? (?:ocen|komentarz|opini)|ocen[ęy] transakcji",
    re.IGNORECASE,
)
# Only http(s) addresses become links; the match stops at whitespace and at characters that
# cannot end an address in running text.


@dataclass(frozen=True)
class MessageRow:
    message_id: str
    author_login: str
    from_buyer: bool
    text: str
    created_at: datetime | None
    status: str
    order_form_id: str
    offer_id: str
    attachments: list[dict[str, str]]
    raw: dict[str, Any]


def attachment_id_of(url: str | None) -> str:
    """Allegro names an attachment by its download address; the id is its last segment."""
    return (url or "").rstrip("/").rsplit("/", 1)[-1]


def message_row(message: Message) -> MessageRow:
    relates = message.relates_to
    return MessageRow(
        message_id=message.id or "",
        author_login=(message.author.login if message.author else None) or "",
        from_buyer=bool(message.author and message.author.is_interlocutor),
        text=message.text or "",
        created_at=message.created_at,
        status=message.status or "",
        order_form_id=(relates.order.id if relates and relates.order else None) or "",
        offer_id=(relates.offer.id if relates and relates.offer else None) or "",
        attachments=[
            {
                "attachment_id": attachment_id_of(a.url),
                "file_name": a.file_name or "",
                "mime_type": a.mime_type or "",
                "status": a.status or "",
            }
            for a in message.attachments
            if a.url
        ],
        raw=message.to_api(),
    )


def repeats_allegro_notice(text: str, *, with_pdf: bool) -> bool:
    """A fiscal document, payment, dispatch, parcel status or a rating request — what Allegro
    holds back when the seller writes it unasked (answers to the buyer are not affected)."""
    return with_pdf or _NOTICE.search(text) is not None


def tracking_url(carrier_id: str, waybill: str) -> str:
    pattern = TRACKING_URLS.get(carrier_id.upper())
    return pattern.format(waybill) if pattern and waybill else ""


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders; an unknown ``{...}`` stays as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def waited_label(since: datetime, now: datetime) -> str:
    """How long the buyer has waited, in Polish words ("2 godziny, 5 minut")."""
    if now - since < timedelta(minutes=1):
        return _("niecałą minutę")
    return timesince(since, now)


def waited_long(since: datetime, now: datetime) -> bool:
    return now - since > REPLY_GOAL
