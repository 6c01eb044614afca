"""The one sender of Allegro batch offer commands (quantity, price, end, activate).

The stock/price sync plans its commands in ``push``; the offer list stores an end or resume
command in ``offers.services.actions``. Both leave a ``SyncCommand`` row whose UUID is stored
before the PUT and reused on every retry (a 409 means an earlier attempt arrived), and both are
sent here, under the account's lease, so two workers never send one account's commands at once.
The report is applied per offer: ``failures`` keeps Allegro's message for each offer that failed.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from allegro_api import AllegroAPIError, AllegroError, Conflict, RateLimited, ServerError
from allegro_api.models.commands import CommandReport, CommandTask
from allegro_api.resources.commands import CommandKind as ApiKind
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus
from shop.allegro.models.sync import (
    CommandKind,
    CommandOrigin,
    CommandStatus,
    OfferSync,
    SyncCommand,
    SyncQueue,
)
from shop.core.queue import task_enqueue

CLAIM_LEASE = timedelta(minutes=5)
MAX_OFFER_ATTEMPTS = 5
MAX_COMMAND_ATTEMPTS = 8
OFFER_BACKOFF = (30, 120, 600, 1800)
REPORT_POLLS = (0.2, 0.5, 1.0, 2.0)
# Seconds before the send task looks again at a command still in progress (by attempt).
COMMAND_BACKOFF = (1, 2, 5, 15, 30, 60, 120, 300)
COMMAND_TASK = "allegro.offer_command_send"
NO_RESULT = "Allegro nie zgłosiło wyniku dla tej oferty."

API_KIND: dict[str, ApiKind] = {
    CommandKind.QUANTITY: "offer-quantity-change-commands",
    CommandKind.PRICE: "offer-price-change-commands",
    CommandKind.END: "offer-publication-commands",
    CommandKind.ACTIVATE: "offer-publication-commands",
}


# -- the account lease -----------------------------------------------------------------------------


def account_claim(account_id: int, token: str, **also: Any) -> bool:
    """Take the account's lease (the sync queue row); False while another worker holds it.

    ``also`` are further fields of the row to set in the same statement when the lease is taken
    (the flush starts its round there: on SQLite each statement waits for the write lock).
    """
    now = timezone.now()
    SyncQueue.objects.get_or_create(account_id=account_id)
    return (
        SyncQueue.objects.filter(account_id=account_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, claim_token=token, **also)
        == 1
    )


def account_release(account_id: int, token: str) -> None:
    SyncQueue.objects.filter(account_id=account_id, claim_token=token).update(
        claimed_until=None, claim_token="", last_flush_at=timezone.now()
    )


# -- sending ---------------------------------------------------------------------------------------


def _put(client: Any, command: SyncCommand) -> CommandReport:
    commands = client.offer_commands
    command_id = str(command.command_id)
    match command.kind:
        case CommandKind.QUANTITY:
            assert command.quantity is not None
            return commands.change_quantity(
                offer_ids=command.offer_ids, value=command.quantity, command_id=command_id
            )
        case CommandKind.PRICE:
            assert command.price is not None
            return commands.set_price(
                offer_ids=command.offer_ids,
                amount=command.price,
                currency=command.currency,
                command_id=command_id,
            )
        case CommandKind.END | CommandKind.ACTIVATE:
            action = "END" if command.kind == CommandKind.END else "ACTIVATE"
            return commands.publish(
                offer_ids=command.offer_ids, action=action, command_id=command_id
            )
    raise ValueError(command.kind)


def _report_json(report: CommandReport) -> dict[str, Any]:
    return report.model_dump(mode="json", by_alias=True, exclude_none=True)


def command_send(*, client: Any, command: SyncCommand, wait: bool = True) -> SyncCommand:
    """PUT the command (with its stored UUID), follow its report, apply the per-offer results."""
    kind = API_KIND[command.kind]
    command.attempts += 1
    try:
        if command.status == CommandStatus.PENDING:
            try:
                report = _put(client, command)
            except Conflict:
                # An earlier attempt arrived but its answer was lost: the command exists.
                report = client.offer_commands.report(kind, str(command.command_id))
            command.status = CommandStatus.SENT
            command.sent_at = timezone.now()
        else:
            report = client.offer_commands.report(kind, str(command.command_id))
        polls = list(REPORT_POLLS) if wait else []
        while not report.completed and polls:
            time.sleep(polls.pop(0))
            report = client.offer_commands.report(kind, str(command.command_id))
    except (RateLimited, ServerError) as exc:
        return _command_retry(command, exc)
    except AllegroAPIError as exc:
        if command.status == CommandStatus.SENT:
            return _command_retry(command, exc)
        message = describe_error(exc)
        command.status = CommandStatus.FAILED
        command.error = message
        command.completed_at = timezone.now()
        command.save()
        _offers_failed(command, dict.fromkeys(command.offer_ids, message))
        return command
    except AllegroError as exc:
        return _command_retry(command, exc)
    command.report = _report_json(report)
    if not report.completed:
        command.save()
        return command
    failures: dict[str, str] = {}
    counts = report.task_count
    if counts is None or counts.failed or counts.success != len(command.offer_ids):
        failures = _failures(client, kind, command)
    command.failures = failures
    command.failed = len(failures)
    command.succeeded = len(command.offer_ids) - len(failures)
    command.status = CommandStatus.PARTIAL if failures else CommandStatus.DONE
    command.completed_at = timezone.now()
    command.error = ""
    with transaction.atomic():
        command.save()
        _offers_succeeded(command, [i for i in command.offer_ids if i not in failures])
        if failures:
            _offers_failed(command, failures)
    return command


def task_message(task: CommandTask) -> str:
    """Allegro's own words for a failed task: the user messages first, then the task's."""
    details = "; ".join(e.user_message or e.message or "" for e in task.error_details)
    return (details.strip("; ") or task.message or "FAIL")[:500]


def _failures(client: Any, kind: ApiKind, command: SyncCommand) -> dict[str, str]:
    failures: dict[str, str] = {}
    seen: set[str] = set()
    for task in client.offer_commands.iter_tasks(kind, str(command.command_id)):
        offer_id = task.offer.id if task.offer is not None else None
        if not offer_id:
            continue
        seen.add(str(offer_id))
        if (task.status or "").upper() != "SUCCESS":
            failures[str(offer_id)] = task_message(task)
    for offer_id in command.offer_ids:
        if offer_id not in seen:
            failures[offer_id] = NO_RESULT
    return failures


def _command_retry(command: SyncCommand, exc: Exception) -> SyncCommand:
    message = describe_error(exc) if isinstance(exc, AllegroError) else str(exc)
    command.error = message
    if command.attempts >= MAX_COMMAND_ATTEMPTS:
        command.status = CommandStatus.FAILED
        command.completed_at = timezone.now()
        command.save()
        _offers_failed(command, dict.fromkeys(command.offer_ids, message))
    else:
        command.save()
    return command


def _offers_succeeded(command: SyncCommand, offer_ids: list[str]) -> None:
    if not offer_ids:
        return
    offers = AllegroOffer.objects.filter(account_id=command.account_id, allegro_id__in=offer_ids)
    syncs = OfferSync.objects.filter(
        offer__account_id=command.account_id, offer__allegro_id__in=offer_ids
    )
    clean: dict[str, Any] = {
        "attempts": 0,
        "failed": False,
        "last_error": "",
        "next_attempt_at": None,
        "updated_at": timezone.now(),
    }
    match command.kind:
        case CommandKind.QUANTITY:
            offers.update(stock_available=command.quantity)
            syncs.update(pushed_quantity=command.quantity, **clean)
        case CommandKind.PRICE:
            offers.update(price=command.price)
            syncs.update(pushed_price=command.price, **clean)
        case CommandKind.END:
            offers.update(status=OfferStatus.ENDED)
            # Only an end of the sync's own is resumed by the sync when stock comes back.
            syncs.update(ended_by_sync=command.origin == CommandOrigin.SYNC, **clean)
        case CommandKind.ACTIVATE:
            offers.update(status=OfferStatus.ACTIVE)
            syncs.update(ended_by_sync=False, **clean)


def _offers_failed(command: SyncCommand, failures: dict[str, str]) -> None:
    """Retry each failed offer of the sync later (back-off), then give up and report it."""
    if command.origin != CommandOrigin.SYNC:
        # The merchant reads the result on the offer list and decides; nothing is re-sent.
        return
    now = timezone.now()
    syncs = OfferSync.objects.filter(
        offer__account_id=command.account_id, offer__allegro_id__in=list(failures)
    ).select_related("offer")
    for sync in syncs:
        sync.attempts += 1
        sync.last_error = f"{CommandKind(command.kind).label}: {failures[sync.offer.allegro_id]}"
        retry = sync.attempts < MAX_OFFER_ATTEMPTS
        sync.failed = not retry
        sync.next_attempt_at = (
            now + timedelta(seconds=OFFER_BACKOFF[min(sync.attempts, len(OFFER_BACKOFF)) - 1])
            if retry
            else None
        )
        sync.save(update_fields=["attempts", "last_error", "failed", "next_attempt_at"])
        AllegroOffer.objects.filter(pk=sync.offer_id).update(needs_push=retry)


def commands_send_pending(*, account: AllegroAccount) -> list[SyncCommand]:
    """Send the account's commands not yet completed, oldest first (caller holds the lease)."""
    pending = list(
        SyncCommand.objects.filter(
            account=account, status__in=[CommandStatus.PENDING, CommandStatus.SENT]
        ).order_by("pk")
    )
    if pending:
        client = client_for(account)
        try:
            for command in pending:
                command_send(client=client, command=command)
        finally:
            client.close()
    return pending


# -- one command, from its own task ----------------------------------------------------------------


def command_enqueue(*, command: SyncCommand) -> None:
    """Queue the send task once the row that holds the UUID is committed."""
    transaction.on_commit(lambda: task_enqueue(COMMAND_TASK, command.pk))


@dataclass
class CommandRun:
    command: SyncCommand | None
    # Seconds until the task should look again (busy account or command still in progress).
    again_in: float = 0.0


def command_run(*, command_pk: int) -> CommandRun:
    """Send one stored command (the offer list's end/resume), under the account's lease."""
    command = SyncCommand.objects.filter(pk=command_pk).select_related("account").first()
    if command is None or not command.in_progress:
        return CommandRun(command)
    token = str(uuid.uuid4())
    if not account_claim(command.account_id, token):
        return CommandRun(command, again_in=float(COMMAND_BACKOFF[0]))
    try:
        # Another sender (the sync's flush) may have completed it before the lease was ours.
        command.refresh_from_db()
        if not command.in_progress or not command.account.is_usable:
            # An account to re-link waits for the sync's sweep once it is usable again.
            return CommandRun(command)
        with client_for(command.account) as client:
            command_send(client=client, command=command)
    finally:
        account_release(command.account_id, token)
    if command.in_progress and command.attempts < MAX_COMMAND_ATTEMPTS:
        return CommandRun(command, again_in=float(COMMAND_BACKOFF[command.attempts - 1]))
    return CommandRun(command)
