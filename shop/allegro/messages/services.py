"""Writes of the message centre: the incremental import, answers with attachments, read flags."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroClient, AllegroTransportError
from allegro_api.models.messaging import Message, Thread
from allegro_api.resources.messaging import MAX_PAGE
from shop.allegro.common.client import client_for
from shop.allegro.common.files import allowed_type
from shop.allegro.messages.mapping import (
    ATTACHMENT_MIME_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_MESSAGE_LENGTH,
    message_row,
    repeats_allegro_notice,
)
from shop.allegro.models import (
    AllegroAccount,
    AllegroMessage,
    AllegroMessageAttachment,
    AllegroMessageThread,
)

#: The first import of an account reads threads active in this many days, not the whole history.
FIRST_IMPORT_DAYS = 60


class MessageRefused(ValueError):
    """What the back office does not send, with the reason shown to the merchant."""


@dataclass(frozen=True)
class OutgoingFile:
    name: str
    content_type: str
    data: bytes


def outgoing_file_check(file: OutgoingFile) -> None:
    """The checks Allegro makes on an attachment, made before anything is sent."""
    if file.content_type not in ATTACHMENT_MIME_TYPES:
        raise MessageRefused(
            _("Plik %(name)s: Allegro przyjmuje tylko obrazy (JPG, PNG, GIF, BMP, TIFF) i PDF.")
            % {"name": file.name}
        )
    if not file.data:
        raise MessageRefused(_("Plik %(name)s jest pusty.") % {"name": file.name})
    if len(file.data) > MAX_ATTACHMENT_BYTES:
        raise MessageRefused(
            _("Plik %(name)s jest większy niż 5 MB, a tyle przyjmuje Allegro.")
            % {"name": file.name}
        )


def _store_messages(
    thread: AllegroMessageThread, messages: list[Message], *, send_key: str = ""
) -> int:
    """Upsert the messages and their attachment metadata; returns how many were new."""
    new = 0
    for message in messages:
        row = message_row(message)
        if not row.message_id or row.created_at is None:
            continue
        stored, created = AllegroMessage.objects.update_or_create(
            thread=thread,
            message_id=row.message_id,
            defaults={
                "author_login": row.author_login,
                "from_buyer": row.from_buyer,
                "text": row.text,
                "created_at": row.created_at,
                "status": row.status,
                "order_form_id": row.order_form_id,
                "offer_id": row.offer_id,
                "raw": row.raw,
            },
        )
        if send_key and not stored.send_key:
            stored.send_key = send_key
            stored.save(update_fields=["send_key"])
        if created:
            new += 1
            AllegroMessageAttachment.objects.bulk_create(
                AllegroMessageAttachment(message=stored, **a) for a in row.attachments
            )
    return new


def _thread_recount(thread: AllegroMessageThread) -> None:
    """Last activity, linked order/offer and since when the buyer waits, from stored messages."""
    messages = thread.messages.all()
    # A message Allegro held back (BLOCKED) never reached the buyer: it answers nothing.
    answered = (
        messages.filter(from_buyer=False).exclude(status="BLOCKED").aggregate(at=Max("created_at"))
    )["at"]
    waiting = messages.filter(from_buyer=True)
    if answered is not None:
        waiting = waiting.filter(created_at__gt=answered)
    thread.waiting_since = waiting.aggregate(at=Min("created_at"))["at"]
    latest = messages.aggregate(at=Max("created_at"))["at"]
    if latest is not None and (thread.last_message_at is None or latest > thread.last_message_at):
        thread.last_message_at = latest
    linked = messages.exclude(order_form_id="").order_by("-created_at").first()
    if linked is not None:
        thread.order_form_id = linked.order_form_id
        thread.offer_id = linked.offer_id or thread.offer_id
    thread.save(
        update_fields=[
            "waiting_since",
            "last_message_at",
            "order_form_id",
            "offer_id",
            "read",
            "interlocutor_login",
            "raw",
            "updated_at",
        ]
    )


def _messages_after(
    client: AllegroClient, thread_id: str, after: datetime | None, counts: Counter[str]
) -> list[Message]:
    """The thread's messages newer than ``after`` (all when ``None``), newest first, paged
    through the ``before`` cursor."""
    fetched: list[Message] = []
    before: datetime | None = None
    while True:
        page = client.messaging.messages(thread_id, before=before, after=after)
        counts["requests"] += 1
        fetched.extend(page.messages)
        if len(page.messages) < MAX_PAGE or page.messages[-1].created_at is None:
            return fetched
        before = page.messages[-1].created_at


def thread_sync(
    *,
    account: AllegroAccount,
    remote: Thread,
    client: AllegroClient,
    counts: Counter[str],
) -> AllegroMessageThread:
    """Read the thread's messages newer than the newest stored one, then store them."""
    thread = AllegroMessageThread.objects.filter(account=account, thread_id=remote.id).first()
    after = None
    if thread is not None:
        after = thread.messages.aggregate(at=Max("created_at"))["at"]
    fetched = _messages_after(client, remote.id or "", after, counts)
    with transaction.atomic():
        thread, _created = AllegroMessageThread.objects.get_or_create(
            account=account, thread_id=remote.id or ""
        )
        thread.interlocutor_login = (remote.interlocutor.login if remote.interlocutor else "") or ""
        thread.read = bool(remote.read)
        thread.last_message_at = remote.last_message_date_time or thread.last_message_at
        thread.raw = remote.to_api()
        counts["messages_new"] += _store_messages(thread, fetched)
        _thread_recount(thread)
    return thread


def messages_import(
    *, account: AllegroAccount, client: AllegroClient | None = None
) -> dict[str, int]:
    """Bring the account's message centre up to date without re-reading it.

    Threads come newest activity first; paging stops at the first thread whose last message is
    already stored and not newer than the newest activity seen before this run — every thread
    after it is older and unchanged. Only changed threads have their new messages read.
    """
    client = client or client_for(account)
    counts: Counter[str] = Counter()
    watermark = account.message_threads.aggregate(at=Max("last_message_at"))["at"]
    cutoff = None if watermark is not None else timezone.now() - timedelta(days=FIRST_IMPORT_DAYS)
    changed: dict[str, Thread] = {}
    offset = 0
    done = False
    while not done:
        page = client.messaging.threads(limit=MAX_PAGE, offset=offset)
        counts["requests"] += 1
        counts["pages"] += 1
        stored = {
            t.thread_id: t
            for t in account.message_threads.filter(
                thread_id__in=[t.id for t in page.threads if t.id]
            )
        }
        for remote in page.threads:
            counts["threads_read"] += 1
            known = stored.get(remote.id or "")
            moment = remote.last_message_date_time
            if known is not None and known.last_message_at == moment:
                if known.read != bool(remote.read):
                    known.read = bool(remote.read)
                    known.save(update_fields=["read", "updated_at"])
                if watermark is not None and moment is not None and moment <= watermark:
                    done = True
                    break
                continue
            if cutoff is not None and moment is not None and moment < cutoff:
                done = True
                break
            changed.setdefault(remote.id or "", remote)
        if len(page.threads) < MAX_PAGE:
            break
        offset += len(page.threads)
    for remote in changed.values():
        thread_sync(account=account, remote=remote, client=client, counts=counts)
        counts["threads_changed"] += 1
    return dict(counts)


def thread_mark_read(*, thread: AllegroMessageThread, client: AllegroClient | None = None) -> None:
    client = client or client_for(thread.account)
    remote = client.messaging.mark_read(thread.thread_id)
    thread.read = bool(remote.read) if remote.read is not None else True
    thread.save(update_fields=["read", "updated_at"])


def message_reply(
    *,
    thread: AllegroMessageThread,
    text: str,
    files: list[OutgoingFile],
    send_key: str,
    client: AllegroClient | None = None,
) -> AllegroMessage:
    """Answer in the thread: files are checked, declared and uploaded, then the text is sent.

    ``send_key`` comes from the form: a form sent twice (double click, reload) finds its message
    stored under that key and sends nothing. When the answer to the POST is lost, the thread is
    read again and a just-written message with the same text is taken as the one sent, since
    Allegro has no idempotency key for messages.
    """
    text = text.strip()
    if not text:
        raise MessageRefused(_("Wpisz treść odpowiedzi."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessageRefused(_("Allegro przyjmuje najwyżej 2000 znaków w wiadomości."))
    for file in files:
        outgoing_file_check(file)
    with_pdf = any(f.content_type == "application/pdf" for f in files)
    if thread.waiting_since is None and repeats_allegro_notice(text, with_pdf=with_pdf):
        # The buyer has not written since the last answer: this message would be the seller's
        # own, and Allegro would not deliver it (#13038).
        raise MessageRefused(
            _(
                "Kupujący nie napisał nic od Twojej ostatniej odpowiedzi, więc Allegro potraktuje "
                "tę wiadomość jako rozpoczętą przez Ciebie i nie doręczy jej: powtarza ona "
                "powiadomienia Allegro (faktura, wpłata, wysyłka, przesyłka, prośba o ocenę). "
                "Fakturę dołącz w zamówieniu, numer przesyłki dodaj w zamówieniu — Allegro samo "
                "powiadomi kupującego."
            )
        )
    existing = AllegroMessage.objects.filter(thread=thread, send_key=send_key).first()
    if existing is not None:
        return existing
    client = client or client_for(thread.account)
    attachment_ids = []
    for file in files:
        attachment_id = client.messaging.declare_attachment(
            file_name=file.name, size=len(file.data)
        )
        client.messaging.upload_attachment(attachment_id, file.data, content_type=file.content_type)
        attachment_ids.append(attachment_id)
    newest = thread.messages.aggregate(at=Max("created_at"))["at"]
    sent: Message | None = None
    lost: AllegroTransportError | None = None
    try:
        sent = client.messaging.reply(thread.thread_id, text=text, attachment_ids=attachment_ids)
    except AllegroTransportError as exc:
        lost = exc
    # What the buyer wrote since the last import comes along, so the next import (which reads
    # after the newest stored message, now this answer) cannot skip it.
    fetched = _messages_after(client, thread.thread_id, newest, Counter())
    if sent is None:
        mine = [m for m in fetched if m.author and not m.author.is_interlocutor and m.text == text]
        if not mine:
            assert lost is not None
            raise lost
        sent = mine[0]
    with transaction.atomic():
        _store_messages(thread, [m for m in fetched if m.id != sent.id])
        _store_messages(thread, [sent], send_key=send_key)
        thread.read = True
        _thread_recount(thread)
    return AllegroMessage.objects.get(thread=thread, message_id=sent.id)


def new_send_key() -> str:
    return uuid.uuid4().hex


def attachment_download(
    *, attachment: AllegroMessageAttachment, client: AllegroClient | None = None
) -> tuple[bytes, str]:
    """The file from Allegro, refused unless its type is one a message may carry."""
    client = client or client_for(attachment.message.thread.account)
    data, content_type = client.messaging.download_attachment(attachment.attachment_id)
    kind = allowed_type(content_type, ATTACHMENT_MIME_TYPES)
    if kind is None:
        raise MessageRefused(_("Allegro podało nieoczekiwany typ pliku; pobieranie przerwano."))
    return data, kind
