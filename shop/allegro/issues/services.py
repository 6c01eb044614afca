"""Discussions and complaints: the import per account, the seller's answers and claim decisions.

A seller's message is stored as ``pending`` before it is posted (a POST that Allegro would show
twice if repeated). When the answer is lost, the message stays pending and the next read of the
chat adopts the seller's message with the same text instead of posting it again. No HTTP runs
inside a database transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroAPIError, AllegroClient, AllegroError
from allegro_api.models.issues import ClaimStatusChange, Issue, IssueMessage
from allegro_api.resources.issues import ATTACHMENT_TYPES
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.common.files import allowed_type
from shop.allegro.issues.mapping import (
    issue_columns,
    message_columns,
    normalized_text,
    waiting_since,
)
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroIssue,
    AllegroIssueMessage,
    FeedbackImportState,
    IssueMessageState,
)
from shop.core.errors import ApplicationError

MAX_MESSAGE_LENGTH = 20000  # MessageRequest.text maxLength


def _store_issue(account: AllegroAccount, issue: Issue) -> tuple[AllegroIssue, bool, bool]:
    """Upsert one issue; returns (row, created, chat changed since the last read)."""
    columns = issue_columns(issue)
    form = AllegroCheckoutForm.objects.filter(
        account=account, form_id=columns["form_allegro_id"]
    ).first()
    row = AllegroIssue.objects.filter(allegro_id=issue.id).first()
    created = row is None
    if row is None:
        row = AllegroIssue(account=account, allegro_id=issue.id)
    changed = (
        created
        or row.chat_synced_at is None
        or row.last_message_at != columns["last_message_at"]
        or row.messages_count != columns["messages_count"]
        or row.status != columns["status"]
    )
    for name, value in columns.items():
        setattr(row, name, value)
    row.form = form
    row.save()
    return row, created, changed


def _store_chat(row: AllegroIssue, messages: list[IssueMessage]) -> int:
    """Upsert the chat; a pending seller message with the same text is adopted. Returns the
    number of messages new to the shop."""
    new = 0
    with transaction.atomic():
        known = {m.allegro_id: m for m in row.messages.exclude(allegro_id="")}
        pending = list(row.messages.filter(state=IssueMessageState.PENDING))
        for message in messages:
            columns = message_columns(message)
            existing = known.get(message.id)
            if existing is None and columns["role"] == "SELLER":
                existing = next(
                    (
                        p
                        for p in pending
                        if normalized_text(p.text) == normalized_text(columns["text"])
                    ),
                    None,
                )
                if existing is not None:
                    pending.remove(existing)
            if existing is None:
                existing = AllegroIssueMessage(issue=row, allegro_id=message.id)
                new += 1
            existing.allegro_id = message.id
            existing.state = IssueMessageState.RECEIVED
            existing.last_error = ""
            for name, value in columns.items():
                setattr(existing, name, value)
            existing.save()
        row.waiting_since = waiting_since(
            status=row.status,
            chat_active=row.chat_active,
            messages=[(m.role, m.sent_at) for m in row.messages.exclude(allegro_id="")],
        )
        row.chat_synced_at = timezone.now()
        row.save(update_fields=["waiting_since", "chat_synced_at", "updated_at"])
    return new


def issue_refresh(*, issue: AllegroIssue, client: AllegroClient | None = None) -> AllegroIssue:
    """Read one issue and its whole chat again."""
    client = client or client_for(issue.account)
    remote = client.issues.get(issue.allegro_id)
    row, _created, _changed = _store_issue(issue.account, remote)
    _store_chat(row, client.issues.chat(row.allegro_id))
    return row


def issues_import(
    *, account: AllegroAccount, client: AllegroClient | None = None
) -> dict[str, int]:
    """Read the account's issues; fetch the chat only of those whose conversation moved.

    ``GET /sale/issues`` has no "changed since" filter, so the list is read whole (100 a page);
    the chats, which cost a request each, are read only when the list shows a change.
    """
    client = client or client_for(account)
    counts: Counter[str] = Counter()
    for remote in client.issues.iter_all():
        row, created, changed = _store_issue(account, remote)
        counts["issues_new" if created else "issues_seen"] += 1
        if changed:
            counts["messages_new"] += _store_chat(row, client.issues.chat(row.allegro_id))
            counts["chats_read"] += 1
    counts["awaiting"] = AllegroIssue.objects.filter(
        account=account, waiting_since__isnull=False
    ).count()
    FeedbackImportState.objects.update_or_create(
        account=account, defaults={"issues_synced_at": timezone.now()}
    )
    return dict(counts)


def issue_attachment_download(
    *, message: AllegroIssueMessage, attachment_id: str, client: AllegroClient | None = None
) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of a file of this chat message, refused unless Allegro
    names a type a chat message may carry (never a page that could run in the back office)."""
    names = dict(message.files)
    if attachment_id not in names:
        raise ApplicationError(_("Ta wiadomość nie ma takiego załącznika."))
    client = client or client_for(message.issue.account)
    try:
        data, content_type = client.issues.download_attachment(attachment_id)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    kind = allowed_type(content_type, ATTACHMENT_TYPES)
    if kind is None:
        raise ApplicationError(_("Allegro podało nieoczekiwany typ pliku; pobieranie przerwano."))
    return data, kind, names[attachment_id]


def issue_message_send(
    *,
    issue: AllegroIssue,
    text: str,
    attachment: tuple[str, bytes, str] | None = None,
    client: AllegroClient | None = None,
) -> AllegroIssueMessage:
    """Post the seller's answer once, whatever happens to the connection.

    ``attachment``: (file name, bytes, content type), uploaded before the message is posted;
    its Allegro id is kept on the pending message, so a repeat does not upload it again.
    """
    text = normalized_text(text)
    if not text:
        raise ApplicationError(_("Wpisz treść odpowiedzi."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ApplicationError(_("Odpowiedź może mieć najwyżej 20000 znaków."))
    if not issue.chat_active or not issue.is_open:
        raise ApplicationError(
            _("Allegro nie przyjmuje już wiadomości w tej sprawie, bo została zakończona.")
        )
    client = client or client_for(issue.account)
    with transaction.atomic():
        duplicate = issue.messages.filter(state=IssueMessageState.PENDING, text=text).first()
        if duplicate is None:
            message = AllegroIssueMessage.objects.create(
                issue=issue,
                role="SELLER",
                login=issue.account.login or "",
                text=text,
                state=IssueMessageState.PENDING,
                sent_at=timezone.now(),
            )
    if duplicate is not None:
        # An earlier attempt may have arrived: the chat tells, and nothing is posted twice.
        issue_refresh(issue=issue, client=client)
        duplicate.refresh_from_db()
        if duplicate.state == IssueMessageState.RECEIVED:
            return duplicate
        message = duplicate
    ids = [str(a["id"]) for a in message.attachments if a.get("id")]
    if attachment is not None and not ids:
        name, data, content_type = attachment
        try:
            ids = [client.issues.attach(file_name=name, data=data, content_type=content_type)]
        except AllegroError as exc:
            message.state = IssueMessageState.FAILED
            message.last_error = describe_error(exc)
            message.save(update_fields=["state", "last_error", "updated_at"])
            raise ApplicationError(message.last_error) from exc
        message.attachments = [{"id": ids[0], "fileName": name, "url": ""}]
        message.save(update_fields=["attachments", "updated_at"])
    try:
        sent = client.issues.add_message(issue.allegro_id, text=text, attachment_ids=ids)
    except AllegroAPIError as exc:
        if exc.status >= 500:
            raise ApplicationError(
                _(
                    "Nie wiadomo, czy Allegro przyjęło odpowiedź: %(error)s Sprawdzimy to przy "
                    "następnym odświeżeniu; nie wysyłaj jej ponownie."
                )
                % {"error": describe_error(exc)}
            ) from exc
        message.state = IssueMessageState.FAILED
        message.last_error = describe_error(exc)
        message.save(update_fields=["state", "last_error", "updated_at"])
        raise ApplicationError(message.last_error) from exc
    except AllegroError as exc:
        raise ApplicationError(
            _(
                "Nie wiadomo, czy Allegro przyjęło odpowiedź: %(error)s Sprawdzimy to przy "
                "następnym odświeżeniu; nie wysyłaj jej ponownie."
            )
            % {"error": describe_error(exc)}
        ) from exc
    with transaction.atomic():
        message.allegro_id = sent.id
        message.state = IssueMessageState.RECEIVED
        message.sent_at = sent.created_at or message.sent_at
        message.save()
        issue.waiting_since = None
        issue.last_message_status = "SELLER_REPLIED"
        issue.last_message_at = message.sent_at
        issue.messages_count = issue.messages.exclude(allegro_id="").count()
        issue.save(
            update_fields=[
                "waiting_since",
                "last_message_status",
                "last_message_at",
                "messages_count",
                "updated_at",
            ]
        )
    return message


def claim_decide(
    *,
    issue: AllegroIssue,
    decision: str,
    message: str,
    partial_refund: str = "",
    client: AllegroClient | None = None,
    now: datetime | None = None,
) -> AllegroIssue:
    """Accept or reject a claim (``ACCEPTED_*`` / ``REJECTED_*``) before its deadline."""
    from shop.allegro.issues.selectors import claim_decisions_allowed

    allowed, why = claim_decisions_allowed(issue, now=now)
    if not allowed:
        raise ApplicationError(why)
    message = normalized_text(message)
    if not message:
        raise ApplicationError(_("Wpisz uzasadnienie decyzji dla kupującego."))
    refund: dict[str, Any] | None = None
    if decision == "ACCEPTED_PARTIAL_REFUND":
        try:
            amount = Decimal(partial_refund.replace(",", "."))
        except InvalidOperation:
            amount = Decimal(0)
        if amount <= 0:
            raise ApplicationError(_("Podaj kwotę częściowego zwrotu."))
        refund = {"amount": f"{amount:.2f}", "currency": "PLN"}
    client = client or client_for(issue.account)
    try:
        client.issues.change_status(
            issue.allegro_id,
            ClaimStatusChange(status=decision, message=message, partial_refund=refund),
        )
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    return issue_refresh(issue=issue, client=client)
