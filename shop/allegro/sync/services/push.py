"""Stock and prices of linked offers follow the shop within seconds, in batch commands.

Flow: a stock or price change of a product marks its linked offers (``needs_push``) and the
account's queue row inside the writing transaction; after commit one flush task per account is
queued (a conditional update of ``SyncQueue.queued_at`` keeps a second one from being queued).
The task waits for a quiet moment (``ALLEGRO_SYNC_QUIET_SECONDS``, at most
``ALLEGRO_SYNC_MAX_DELAY_SECONDS`` after the first change), claims the account (a lease on the
queue row, so two workers never flush one account at once), plans the commands in one
transaction (offers grouped by target value, ≤ 1000 per command, UUIDs stored before sending),
then sends them outside any transaction and applies the task reports per offer. Offers whose
task failed are retried with a back-off, then reported.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from allegro_api import AllegroAPIError, AllegroError, Conflict, RateLimited, ServerError
from allegro_api.models.commands import CommandReport
from allegro_api.resources.commands import MAX_OFFERS_PER_CRITERION
from allegro_api.resources.commands import CommandKind as ApiKind
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus, SellingFormat
from shop.allegro.models.sync import (
    CommandKind,
    CommandStatus,
    OfferSync,
    SyncCommand,
    SyncQueue,
    SyncSettings,
)
from shop.allegro.sync.rules import PriceRule, price_compute, quantity_compute, rule_from
from shop.catalog.models import Product
from shop.core.queue import task_enqueue

logger = logging.getLogger(__name__)

LIVE = (OfferStatus.ACTIVE, OfferStatus.ACTIVATING)
MARKABLE = (*LIVE, OfferStatus.ENDED)
CLAIM_LEASE = timedelta(minutes=5)
STALE_QUEUE = timedelta(minutes=5)
MAX_OFFER_ATTEMPTS = 5
MAX_COMMAND_ATTEMPTS = 8
OFFER_BACKOFF = (30, 120, 600, 1800)
REPORT_POLLS = (0.2, 0.5, 1.0, 2.0)
FLUSH_TASK = "allegro.stock_sync_flush"

API_KIND: dict[str, ApiKind] = {
    CommandKind.QUANTITY: "offer-quantity-change-commands",
    CommandKind.PRICE: "offer-price-change-commands",
    CommandKind.END: "offer-publication-commands",
    CommandKind.ACTIVATE: "offer-publication-commands",
}


def quiet_seconds() -> float:
    return float(settings.ALLEGRO_SYNC_QUIET_SECONDS)


def max_delay_seconds() -> float:
    return float(settings.ALLEGRO_SYNC_MAX_DELAY_SECONDS)


def sync_settings_for(account: AllegroAccount | int) -> SyncSettings:
    account_id = account if isinstance(account, int) else account.pk
    found = SyncSettings.objects.filter(account_id=account_id).first()
    if found is not None:
        return found
    created, _new = SyncSettings.objects.get_or_create(
        account_id=account_id,
        defaults={
            "safety_reserve": settings.ALLEGRO_SYNC_SAFETY_RESERVE,
            "end_at_zero": settings.ALLEGRO_SYNC_END_AT_ZERO,
            "price_enabled": settings.ALLEGRO_SYNC_PRICES,
        },
    )
    return created


# -- marking ---------------------------------------------------------------------------------------


def offers_mark(*, product_ids: Iterable[int]) -> set[int]:
    """Mark the offers linked to these products (inside the caller's transaction).

    Returns the accounts touched; their flush is queued when the transaction commits.
    """
    ids = list(product_ids)
    if not ids:
        return set()
    offers = AllegroOffer.objects.filter(product_id__in=ids, status__in=MARKABLE).exclude(
        allegro_id=""
    )
    account_ids = set(offers.order_by().values_list("account_id", flat=True).distinct())
    if not account_ids:
        return set()
    # Every linked row is written (even one already marked): the row lock makes a flush that is
    # planning right now skip it until this transaction commits, so no change is read stale.
    offers.update(needs_push=True)
    queue_touch(account_ids=account_ids)
    transaction.on_commit(lambda: flush_schedule(account_ids=account_ids))
    return account_ids


def queue_touch(*, account_ids: Iterable[int]) -> None:
    now = timezone.now()
    for account_id in account_ids:
        updated = SyncQueue.objects.filter(account_id=account_id).update(
            last_change_at=now, first_change_at=Coalesce("first_change_at", now)
        )
        if not updated:
            SyncQueue.objects.get_or_create(
                account_id=account_id, defaults={"first_change_at": now, "last_change_at": now}
            )


def flush_schedule(*, account_ids: Iterable[int], countdown: float | None = None) -> int:
    """Queue one flush task per account unless one is queued already; returns how many."""
    queued = 0
    for account_id in account_ids:
        now = timezone.now()
        taken = SyncQueue.objects.filter(account_id=account_id, queued_at__isnull=True).update(
            queued_at=now
        )
        if not taken:
            if SyncQueue.objects.filter(account_id=account_id).exists():
                continue
            SyncQueue.objects.get_or_create(account_id=account_id, defaults={"queued_at": now})
        delay = quiet_seconds() if countdown is None else countdown
        task_enqueue(FLUSH_TASK, account_id, countdown=max(0.0, delay))
        queued += 1
    return queued


def debounce_remaining(queue: SyncQueue, now: datetime) -> float:
    """Seconds to wait before flushing: a quiet moment, but never past the maximum delay."""
    if queue.last_change_at is None:
        return 0.0
    quiet = (queue.last_change_at - now).total_seconds() + quiet_seconds()
    first = queue.first_change_at or queue.last_change_at
    latest = (first - now).total_seconds() + max_delay_seconds()
    return max(0.0, min(quiet, latest))


# -- planning --------------------------------------------------------------------------------------


@dataclass
class Target:
    quantity: int
    price: Decimal | None


def offer_target(offer: AllegroOffer, conf: SyncSettings) -> Target:
    product = offer.product
    assert product is not None
    quantity = quantity_compute(product.stock, conf.safety_reserve)
    price: Decimal | None = None
    if conf.price_enabled and offer.selling_format == SellingFormat.BUY_NOW:
        sync = getattr(offer, "sync", None) if _has_sync(offer) else None
        price = price_compute(product.price, rule_from(conf, sync))
    return Target(quantity, price)


def _has_sync(offer: AllegroOffer) -> bool:
    try:
        offer.sync  # noqa: B018
    except OfferSync.DoesNotExist:
        return False
    return True


def _known_quantity(offer: AllegroOffer) -> int:
    sync = offer.sync if _has_sync(offer) else None
    if sync is not None and sync.pushed_quantity is not None:
        return sync.pushed_quantity
    return offer.stock_available


def _known_price(offer: AllegroOffer) -> Decimal | None:
    sync = offer.sync if _has_sync(offer) else None
    if sync is not None and sync.pushed_price is not None:
        return sync.pushed_price
    return offer.price


def offer_resumable(offer: AllegroOffer) -> bool:
    if _has_sync(offer) and offer.sync.ended_by_sync:
        return True
    publication = (offer.raw or {}).get("publication") or {}
    return publication.get("endedBy") == "EMPTY_STOCK"


@dataclass
class Plan:
    commands: list[SyncCommand] = field(default_factory=list)
    offers: int = 0


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), MAX_OFFERS_PER_CRITERION):
        yield list(ids[start : start + MAX_OFFERS_PER_CRITERION])


def sync_plan(*, account: AllegroAccount, now: datetime | None = None) -> Plan:
    """Turn the marked offers into stored commands (one transaction, no HTTP)."""
    now = now or timezone.now()
    conf = sync_settings_for(account)
    plan = Plan()
    with transaction.atomic():
        offers = list(
            AllegroOffer.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(account=account, needs_push=True)
            .exclude(sync__next_attempt_at__gt=now)
            .select_related("product", "sync")
            .order_by("pk")
        )
        if not offers:
            return plan
        # Read the products again in a statement of its own: under READ COMMITTED the join
        # above comes from the snapshot taken before the offer rows were locked, so a ledger
        # write that committed while we waited for a lock would otherwise be planned stale and
        # its mark cleared (found by the PostgreSQL run of bench/stock_sync.py).
        fresh = Product.objects.in_bulk([o.product_id for o in offers if o.product_id])
        for offer in offers:
            if offer.product_id in fresh:
                offer.product = fresh[offer.product_id]
        quantity: dict[int, list[str]] = defaultdict(list)
        prices: dict[tuple[Decimal, str], list[str]] = defaultdict(list)
        end: list[str] = []
        activate: list[str] = []
        for offer in offers:
            if offer.product is None or not offer.allegro_id or not conf.stock_enabled:
                continue
            target = offer_target(offer, conf)
            live = offer.status in LIVE
            resume = (
                offer.status == OfferStatus.ENDED
                and conf.end_at_zero
                and target.quantity > 0
                and offer_resumable(offer)
            )
            if not live and not resume:
                continue
            if live and conf.end_at_zero and target.quantity == 0:
                end.append(offer.allegro_id)
            elif resume or target.quantity != _known_quantity(offer):
                quantity[target.quantity].append(offer.allegro_id)
            if resume:
                activate.append(offer.allegro_id)
            if target.price is not None and target.price != _known_price(offer):
                prices[(target.price, offer.currency or "PLN")].append(offer.allegro_id)
        commands: list[SyncCommand] = []
        for value, ids in sorted(quantity.items()):
            for chunk in _chunks(ids):
                commands.append(
                    SyncCommand(
                        account=account, kind=CommandKind.QUANTITY, quantity=value, offer_ids=chunk
                    )
                )
        for (amount, currency), ids in sorted(prices.items()):
            for chunk in _chunks(ids):
                commands.append(
                    SyncCommand(
                        account=account,
                        kind=CommandKind.PRICE,
                        price=amount,
                        currency=currency,
                        offer_ids=chunk,
                    )
                )
        for kind, ids in ((CommandKind.END, end), (CommandKind.ACTIVATE, activate)):
            for chunk in _chunks(ids):
                commands.append(SyncCommand(account=account, kind=kind, offer_ids=chunk))
        for command in commands:
            command.command_id = uuid.uuid4()
        SyncCommand.objects.bulk_create(commands)
        OfferSync.objects.bulk_create(
            [OfferSync(offer=o) for o in offers if not _has_sync(o)], ignore_conflicts=True
        )
        AllegroOffer.objects.filter(pk__in=[o.pk for o in offers]).update(needs_push=False)
        plan.commands = commands
        plan.offers = len(offers)
    return plan


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


def _failures(client: Any, kind: ApiKind, command: SyncCommand) -> dict[str, str]:
    failures: dict[str, str] = {}
    seen: set[str] = set()
    for task in client.offer_commands.iter_tasks(kind, str(command.command_id)):
        offer_id = task.offer.id if task.offer is not None else None
        if not offer_id:
            continue
        seen.add(str(offer_id))
        if (task.status or "").upper() != "SUCCESS":
            details = task.error_details
            message = task.message or (details[0].user_message if details else "") or "FAIL"
            failures[str(offer_id)] = message[:500]
    for offer_id in command.offer_ids:
        if offer_id not in seen:
            failures[offer_id] = "Allegro nie zgłosiło wyniku dla tej oferty."
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
            syncs.update(ended_by_sync=True, **clean)
        case CommandKind.ACTIVATE:
            offers.update(status=OfferStatus.ACTIVE)
            syncs.update(ended_by_sync=False, **clean)


def _offers_failed(command: SyncCommand, failures: dict[str, str]) -> None:
    """Retry each failed offer later (back-off), then give up and report it."""
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


# -- the flush -------------------------------------------------------------------------------------


@dataclass
class FlushResult:
    deferred: float = 0.0
    busy: bool = False
    offers: int = 0
    commands: int = 0
    failed_offers: int = 0
    requests: int = 0

    def as_counts(self) -> dict[str, Any]:
        return {
            "deferred": self.deferred,
            "busy": int(self.busy),
            "offers": self.offers,
            "commands": self.commands,
            "failed_offers": self.failed_offers,
        }


def _claim(account_id: int, token: str) -> bool:
    now = timezone.now()
    SyncQueue.objects.get_or_create(account_id=account_id)
    return (
        SyncQueue.objects.filter(account_id=account_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, claim_token=token)
        == 1
    )


def _release(account_id: int, token: str) -> None:
    SyncQueue.objects.filter(account_id=account_id, claim_token=token).update(
        claimed_until=None, claim_token="", last_flush_at=timezone.now()
    )


def stock_sync_flush(*, account_id: int, debounce: bool = True) -> FlushResult:
    """Send what is marked for one account; called by the flush task."""
    result = FlushResult()
    queue, _new = SyncQueue.objects.get_or_create(account_id=account_id)
    now = timezone.now()
    if debounce:
        wait = debounce_remaining(queue, now)
        if wait > 0:
            result.deferred = wait
            return result
    # From here on a new change queues a new task.
    SyncQueue.objects.filter(account_id=account_id).update(
        queued_at=None, first_change_at=None, last_change_at=None
    )
    token = str(uuid.uuid4())
    if not _claim(account_id, token):
        result.busy = True
        return result
    try:
        account = AllegroAccount.objects.get(pk=account_id)
        if not account.is_usable:
            return result
        plan = sync_plan(account=account)
        result.offers = plan.offers
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
                    result.commands += 1
                    result.failed_offers += command.failed
            finally:
                client.close()
    finally:
        _release(account_id, token)
    return result


def flush_followup(*, account_id: int) -> None:
    """After a flush: queue another one if changes came in meanwhile."""
    dirty = (
        AllegroOffer.objects.filter(account_id=account_id, needs_push=True)
        .filter(Q(sync__isnull=True) | Q(sync__next_attempt_at__isnull=True))
        .exists()
        or SyncCommand.objects.filter(
            account_id=account_id, status=CommandStatus.PENDING, attempts=0
        ).exists()
    )
    if dirty:
        flush_schedule(account_ids=[account_id], countdown=0.0)


def sync_sweep() -> dict[str, int]:
    """Safety net for lost tasks: queue a flush where work is due."""
    now = timezone.now()
    SyncQueue.objects.filter(queued_at__lt=now - STALE_QUEUE).update(queued_at=None)
    due = set(
        AllegroOffer.objects.filter(needs_push=True)
        .filter(
            Q(sync__isnull=True)
            | Q(sync__next_attempt_at__isnull=True)
            | Q(sync__next_attempt_at__lte=now)
        )
        .values_list("account_id", flat=True)
        .distinct()
    )
    due |= set(
        SyncCommand.objects.filter(status__in=[CommandStatus.PENDING, CommandStatus.SENT])
        .values_list("account_id", flat=True)
        .distinct()
    )
    usable = [a.pk for a in AllegroAccount.objects.filter(pk__in=due) if a.is_usable]
    return {"accounts": flush_schedule(account_ids=usable, countdown=0.0)}


def offers_mark_all(*, account: AllegroAccount) -> int:
    """Mark every linked offer of the account (after a rule change)."""
    with transaction.atomic():
        count = (
            AllegroOffer.objects.filter(account=account, product__isnull=False, status__in=MARKABLE)
            .exclude(allegro_id="")
            .update(needs_push=True)
        )
        if count:
            queue_touch(account_ids=[account.pk])
            transaction.on_commit(lambda: flush_schedule(account_ids=[account.pk]))
    return count


def next_attempt(account_id: int) -> datetime | None:
    value: datetime | None = OfferSync.objects.filter(
        offer__account_id=account_id, offer__needs_push=True
    ).aggregate(at=Min("next_attempt_at"))["at"]
    return value


def price_rule_apply(*, conf: SyncSettings, rule: PriceRule) -> SyncSettings:
    """Store ``rule`` as the account's template and queue every linked offer."""
    conf.markup = rule.markup
    conf.fixed_amount = rule.fixed_amount
    conf.rounding = rule.rounding
    conf.price_floor = rule.floor
    conf.price_ceiling = rule.ceiling
    conf.price_enabled = True
    conf.save()
    offers_mark_all(account=conf.account)
    return conf
