"""Stock and prices of linked offers follow the shop within seconds, in batch commands.

Flow: a change of a product marks its linked offers (``needs_push``) and notes the change on
the account's queue row (``queue_change``); the first change of a round also takes the row's
"flush queued" flag, and its task is queued when the transaction commits. A price change does
this inside its transaction; a stock change does it through the ledger scan after it commits
(``ledger.py``), so a sale's write costs the sync nothing. Marking costs two statements
(``UPDATE … RETURNING`` on the offers, one on the queue row).

The debounce adapts to the load (``debounce_remaining``):

* idle: the round's first change came ``ALLEGRO_SYNC_IDLE_SECONDS`` or more after the last flush
  and no flush is running: the task is queued with countdown 0 and sends at once;
* under load: the flush waits for a quiet gap (``ALLEGRO_SYNC_QUIET_SECONDS`` without a change),
  but never longer than ``ALLEGRO_SYNC_MAX_DELAY_SECONDS`` after the round's first change.

A flush claims the account (a lease on the queue row, so two workers never flush one account at
once) and clears the round (the flag and the change times) in the same statement: every change
that commits while it plans or sends opens the next round, which waits for its own quiet gap, so
everything marked meanwhile goes in one follow-up round however slow the writes are. Planning
stores the commands in one transaction (offers grouped by target value, ≤ 1000 per command,
UUIDs stored before sending); they are sent outside any transaction through the one command
sender (``commands``), which applies the task reports per offer. Offers whose task failed are
retried with a back-off, then reported.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from allegro_api.resources.commands import MAX_OFFERS_PER_CRITERION
from shop.allegro.models import (
    AllegroAccount,
    AllegroOffer,
    OfferLinkStatus,
    OfferStatus,
    SellingFormat,
)
from shop.allegro.models.sync import (
    CommandKind,
    CommandStatus,
    OfferSync,
    SyncCommand,
    SyncQueue,
    SyncSettings,
)
from shop.allegro.sync.rules import PriceRule, price_target, quantity_compute, rule_from
from shop.allegro.sync.services.commands import (
    account_claim,
    account_release,
    commands_send_pending,
)
from shop.allegro.sync.services.guard import OfferChange, changes_guard
from shop.catalog.models import Product
from shop.core.queue import task_enqueue

logger = logging.getLogger(__name__)

LIVE = (OfferStatus.ACTIVE, OfferStatus.ACTIVATING)
MARKABLE = (*LIVE, OfferStatus.ENDED)
STALE_QUEUE = timedelta(minutes=5)
# Only a link the merchant made or the import corroborated is pushed to; a proposal under
# "Do potwierdzenia" never is (it sets no product, and this filter says so at every door).
CONFIRMED = Q(link_status=OfferLinkStatus.CONFIRMED)
FLUSH_TASK = "allegro.stock_sync_flush"
# The two statements every stock or price write runs (see ``offers_mark``).
MARK_FIELDS = ("needs_push", "link_status", "allegro_id", "product", "status", "account")
MARK_SQL = (
    "UPDATE {table} SET {needs_push} = %s WHERE {link_status} = %s AND {allegro_id} <> %s"
    " AND {product} IN ({products}) AND {status} IN ({statuses}) RETURNING {account}"
)
TOUCH_FIELDS = ("last_change_at", "first_change_at", "queued_at", "account")
TOUCH_SQL = (
    "UPDATE {table} SET {last_change_at} = %s, {first_change_at} = COALESCE({first_change_at}, %s)"
    " WHERE {account} = %s AND {queued_at} IS NOT NULL"
)


def quiet_seconds() -> float:
    return float(settings.ALLEGRO_SYNC_QUIET_SECONDS)


def max_delay_seconds() -> float:
    return float(settings.ALLEGRO_SYNC_MAX_DELAY_SECONDS)


def idle_seconds() -> float:
    return float(settings.ALLEGRO_SYNC_IDLE_SECONDS)


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


def offers_mark(*, product_ids: Iterable[int], queue: bool = True) -> set[int]:
    """Mark the offers linked to these products (inside the caller's transaction).

    Returns the accounts touched; with ``queue`` the change is noted on their queue rows and
    their flush is queued when the transaction commits. It runs for every price change and
    every ledger scan (``ledger.py``), so it costs one statement on the offers and one on the
    queue row, written in SQL (as ``rate_budget`` does): building them with the ORM cost more
    than running them (bench/stock_sync.py).
    """
    ids = list(product_ids)
    if not ids:
        return set()
    account_ids = _offers_mark_returning(ids)
    if account_ids and queue:
        queue_change(account_ids=account_ids)
    return account_ids


def _offers_mark_returning(product_ids: list[int]) -> set[int]:
    # Every linked row is written (even one already marked): the row lock makes a flush that is
    # planning right now skip it until this transaction commits, so no change is read stale.
    if not _returning_supported():
        offers = AllegroOffer.objects.filter(
            CONFIRMED, product_id__in=product_ids, status__in=MARKABLE
        ).exclude(allegro_id="")
        account_ids = set(offers.order_by().values_list("account_id", flat=True).distinct())
        if account_ids:
            offers.update(needs_push=True)
        return account_ids
    sql = MARK_SQL.format(
        **_columns(AllegroOffer, MARK_FIELDS),
        products=", ".join(["%s"] * len(product_ids)),
        statuses=", ".join(["%s"] * len(MARKABLE)),
    )
    params: list[Any] = [True, OfferLinkStatus.CONFIRMED.value, "", *product_ids, *MARKABLE]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _returning_supported() -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35)


def _columns(model: type[models.Model], fields: Sequence[str]) -> dict[str, str]:
    quote = connection.ops.quote_name
    meta = model._meta
    names = {name: quote(str(meta.get_field(name).column)) for name in fields}  # type: ignore[union-attr]
    return {**names, "table": quote(meta.db_table)}


def _queued_touch(account_id: int, now: datetime) -> bool:
    """The round is open already (the common case under load): move its last change time."""
    value = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            TOUCH_SQL.format(**_columns(SyncQueue, TOUCH_FIELDS)), [value, value, account_id]
        )
        return cursor.rowcount == 1


def queue_change(*, account_ids: Iterable[int]) -> None:
    """Note a change on the accounts' queue rows (inside the writing transaction).

    The first change of a round takes the "flush queued" flag in the same transaction (a change
    rolled back queues nothing) and queues the task on commit, with the debounce's countdown:
    0 when the account is idle. Later changes of the round only move ``last_change_at``.
    """
    queued: dict[int, float] = {}
    for account_id in account_ids:
        now = timezone.now()
        if _queued_touch(account_id, now):
            continue
        rows = SyncQueue.objects.filter(account_id=account_id)
        touch = {"last_change_at": now, "first_change_at": Coalesce("first_change_at", now)}
        taken = rows.filter(queued_at__isnull=True).update(queued_at=now, **touch)
        if not taken:
            _queue, taken = SyncQueue.objects.get_or_create(
                account_id=account_id,
                defaults={"first_change_at": now, "last_change_at": now, "queued_at": now},
            )
        if not taken:
            # Created by a concurrent change after our first look: that one queues the flush.
            rows.update(**touch)
            continue
        queued[account_id] = debounce_remaining(rows.get(), now)
    if queued:
        transaction.on_commit(lambda: _flushes_enqueue(queued))


def _flushes_enqueue(countdowns: dict[int, float]) -> None:
    for account_id, countdown in countdowns.items():
        task_enqueue(FLUSH_TASK, account_id, countdown=countdown)


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


def account_idle(queue: SyncQueue, now: datetime) -> bool:
    """No flush is running, and none ran in the idle interval before the round's first change."""
    if queue.claimed_until is not None and queue.claimed_until > now:
        return False
    if queue.last_flush_at is None:
        return True
    first = queue.first_change_at or queue.last_change_at or now
    return (first - queue.last_flush_at).total_seconds() >= idle_seconds()


def debounce_remaining(queue: SyncQueue, now: datetime) -> float:
    """Seconds to wait before flushing: none when idle, else a quiet gap within the max delay."""
    if queue.last_change_at is None or account_idle(queue, now):
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
    sync = offer.sync if _has_sync(offer) else None
    quantity = quantity_compute(
        product.stock, conf.safety_reserve, sync.quantity_override if sync else None
    )
    price: Decimal | None = None
    if conf.price_enabled and offer.selling_format == SellingFormat.BUY_NOW:
        price = price_target(
            product.price, rule_from(conf, sync), sync.price_override if sync else None
        )
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
    # Every sale that committed before now goes in this plan, also those of the last tenth of
    # a second that no scan has read yet; other accounts' offers it marks open their own
    # rounds. (Imported here: the scan marks through this module.)
    from shop.allegro.sync.services.ledger import ledger_scan

    others = ledger_scan(queue=False) - {account.pk}
    if others:
        queue_change(account_ids=others)
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
        planned: list[OfferChange] = []
        for offer in offers:
            if offer.product is None or not offer.allegro_id or not conf.stock_enabled:
                continue
            if offer.link_status != OfferLinkStatus.CONFIRMED:
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
            change = OfferChange(offer, _known_quantity(offer), _known_price(offer))
            if live and conf.end_at_zero and target.quantity == 0:
                change.quantity, change.end = 0, True
            elif resume or target.quantity != change.known_quantity:
                change.quantity = target.quantity
            change.activate = resume
            if target.price is not None and target.price != change.known_price:
                change.price = target.price
            planned.append(change)
        # The guard keeps back what the merchant has to see first (see guard.py).
        quantity: dict[int, list[str]] = defaultdict(list)
        prices: dict[tuple[Decimal, str], list[str]] = defaultdict(list)
        end: list[str] = []
        activate: list[str] = []
        for change in changes_guard(conf=conf, offers=offers, changes=planned):
            allegro_id = change.offer.allegro_id
            if change.end:
                end.append(allegro_id)
            elif change.quantity is not None:
                quantity[change.quantity].append(allegro_id)
            if change.activate:
                activate.append(allegro_id)
            if change.price is not None:
                prices[(change.price, change.offer.currency or "PLN")].append(allegro_id)
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


def stock_sync_flush(*, account_id: int, debounce: bool = True) -> FlushResult:
    """Send what is marked for one account; called by the flush task (which holds the flag)."""
    result = FlushResult()
    queue, _new = SyncQueue.objects.get_or_create(account_id=account_id)
    now = timezone.now()
    if debounce:
        wait = debounce_remaining(queue, now)
        if wait > 0:
            result.deferred = wait
            return result
    token = str(uuid.uuid4())
    # Taking the lease also closes the round: from here on a change opens the next one (a new
    # task, which sees this flush running and waits for a quiet gap), so whatever commits while
    # this one plans and sends is grouped.
    round_closed = {
        "queued_at": None,
        "first_change_at": None,
        "last_change_at": None,
        "last_flush_at": timezone.now(),
    }
    if not account_claim(account_id, token, **round_closed):
        # The flag stays ours: the task comes back once the other sender is done.
        result.busy = True
        return result
    try:
        account = AllegroAccount.objects.get(pk=account_id)
        if not account.is_usable:
            return result
        plan = sync_plan(account=account)
        result.offers = plan.offers
        sent = commands_send_pending(account=account)
        result.commands = len(sent)
        result.failed_offers = sum(command.failed for command in sent)
    finally:
        account_release(account_id, token)
    return result


def flush_unqueue(*, account_id: int) -> None:
    """Give the "flush queued" flag back (a busy flush run inline does not come back)."""
    SyncQueue.objects.filter(account_id=account_id).update(queued_at=None)


def flush_followup(*, account_id: int) -> None:
    """After a flush: queue another one if work is left that no queued flush will pick up.

    Changes that committed during the flush queued their own round already. This catches rows
    the plan skipped (locked by a write still open) and commands left pending; the flush waits
    for a quiet gap like any round, so they go together with whatever comes next.
    """
    dirty = (
        AllegroOffer.objects.filter(account_id=account_id, needs_push=True)
        .filter(Q(sync__isnull=True) | Q(sync__next_attempt_at__isnull=True))
        .exists()
        or SyncCommand.objects.filter(
            account_id=account_id, status=CommandStatus.PENDING, attempts=0
        ).exists()
    )
    if dirty:
        flush_schedule(account_ids=[account_id])


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
            AllegroOffer.objects.filter(
                CONFIRMED, account=account, product__isnull=False, status__in=MARKABLE
            )
            .exclude(allegro_id="")
            .update(needs_push=True)
        )
        if count:
            queue_change(account_ids=[account.pk])
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
