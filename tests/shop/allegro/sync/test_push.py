# mypy: allow-untyped-defs
"""Stock and price changes reach Allegro in batch commands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shop.allegro.models import AllegroOffer, OfferStatus
from shop.allegro.models.sync import (
    CommandKind,
    CommandStatus,
    OfferSync,
    SyncCommand,
    SyncQueue,
    SyncSettings,
)
from shop.allegro.sync.services.commands import MAX_OFFER_ATTEMPTS
from shop.allegro.sync.services.push import (
    debounce_remaining,
    flush_schedule,
    offers_mark,
    queue_change,
    stock_sync_flush,
    sync_plan,
    sync_settings_for,
)
from shop.catalog.models import StockReason
from shop.catalog.services.stock import stock_adjust

pytestmark = pytest.mark.django_db


def command_requests(allegro: Any, kind: str = "quantity-change") -> list[dict[str, Any]]:
    return [
        e
        for e in allegro.requests.entries()
        if f"offer-{kind}-commands" in e["path"] and e["method"] == "PUT"
    ]


def test_stock_change_is_sent_after_commit(
    allegro, synced_offer_factory, django_capture_on_commit_callbacks
):
    product, mirror, remote = synced_offer_factory(stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-3, reason=StockReason.CORRECTION)
    assert remote.available == 7
    mirror.refresh_from_db()
    assert mirror.stock_available == 7
    assert mirror.needs_push is False
    command = SyncCommand.objects.get()
    assert command.status == CommandStatus.DONE
    assert command.succeeded == 1
    assert OfferSync.objects.get(offer=mirror).pushed_quantity == 7


def test_many_changes_become_one_command_per_value(allegro, synced_offer_factory, linked_account):
    made = [synced_offer_factory(stock=20) for _ in range(30)]
    for product, _mirror, _remote in made:
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    for product, _mirror, _remote in made[:10]:
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    allegro.requests.clear()
    result = stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert result.offers == 30
    puts = command_requests(allegro)
    # 60 + 10 changes of 30 offers: two target values (17 and 18) → two commands.
    assert len(puts) == 2
    assert sorted(r.available for _p, _m, r in made) == [17] * 10 + [18] * 20
    # Reports completed at once without failures: no task report reads.
    assert not [e for e in allegro.requests.entries() if e["path"].endswith("/tasks")]


def test_command_holds_at_most_1000_offers(allegro, synced_offer_factory, linked_account):
    from shop.allegro.sync.services import push as stock_sync

    made = [synced_offer_factory(stock=5) for _ in range(5)]
    for product, _m, _r in made:
        stock_adjust(product=product, delta=1, reason=StockReason.DELIVERY)
    original = stock_sync.MAX_OFFERS_PER_CRITERION  # type: ignore[attr-defined]
    stock_sync.MAX_OFFERS_PER_CRITERION = 2  # type: ignore[attr-defined]
    try:
        plan = sync_plan(account=linked_account)
    finally:
        stock_sync.MAX_OFFERS_PER_CRITERION = original  # type: ignore[attr-defined]
    assert [len(c.offer_ids) for c in plan.commands] == [2, 2, 1]
    # UUIDs are stored before anything is sent.
    assert SyncCommand.objects.filter(status=CommandStatus.PENDING).count() == 3


def test_a_queued_task_is_not_queued_again(linked_account, monkeypatch):
    from shop.allegro.sync import tasks as sync_tasks

    sent: list[int] = []
    monkeypatch.setattr(
        sync_tasks.stock_sync_flush_task,
        "apply_async",
        lambda args, countdown: sent.append(args[0]),
    )
    assert flush_schedule(account_ids=[linked_account.pk]) == 1
    assert flush_schedule(account_ids=[linked_account.pk]) == 0
    assert sent == [linked_account.pk]
    SyncQueue.objects.update(queued_at=None)
    assert flush_schedule(account_ids=[linked_account.pk]) == 1


def test_flush_waits_for_a_quiet_moment_after_a_recent_flush(linked_account, settings):
    from django.utils import timezone

    settings.ALLEGRO_SYNC_QUIET_SECONDS = 30
    settings.ALLEGRO_SYNC_MAX_DELAY_SECONDS = 60
    SyncQueue.objects.create(account=linked_account, last_flush_at=timezone.now())
    queue_change(account_ids=[linked_account.pk])
    result = stock_sync_flush(account_id=linked_account.pk)
    assert 25 < result.deferred <= 30
    assert SyncCommand.objects.count() == 0


def test_the_wait_never_passes_the_max_delay(linked_account, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ALLEGRO_SYNC_QUIET_SECONDS = 30
    settings.ALLEGRO_SYNC_MAX_DELAY_SECONDS = 60
    settings.ALLEGRO_SYNC_IDLE_SECONDS = 120
    now = timezone.now()
    queue = SyncQueue(
        account=linked_account,
        first_change_at=now - timedelta(seconds=50),
        last_change_at=now,
        last_flush_at=now - timedelta(seconds=51),
    )
    # Changes keep coming (the quiet gap would be 30 s), but the round began 50 s ago.
    assert debounce_remaining(queue, now) == 10.0
    queue.first_change_at = now - timedelta(seconds=61)
    assert debounce_remaining(queue, now) == 0.0


@pytest.fixture
def queued_flushes(monkeypatch) -> list[tuple[int, float]]:
    """The flush tasks queued, as (account id, countdown), instead of running them inline."""
    from shop.allegro.sync import tasks as sync_tasks

    queued: list[tuple[int, float]] = []
    monkeypatch.setattr(
        sync_tasks.stock_sync_flush_task,
        "apply_async",
        lambda args, countdown: queued.append((args[0], countdown)),
    )
    return queued


def test_a_change_to_an_idle_account_is_flushed_at_once(
    synced_offer_factory, linked_account, queued_flushes, django_capture_on_commit_callbacks
):
    product, _mirror, _remote = synced_offer_factory(stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert queued_flushes == [(linked_account.pk, 0.0)]


def test_a_burst_queues_one_flush_and_sends_one_command_per_value(
    allegro,
    synced_offer_factory,
    linked_account,
    queued_flushes,
    settings,
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    settings.ALLEGRO_SYNC_QUIET_SECONDS = 5
    made = [synced_offer_factory(stock=10) for _ in range(12)]
    # A flush just ran: the account is not idle, so the burst is batched.
    SyncQueue.objects.create(account=linked_account, last_flush_at=timezone.now())
    for product, _mirror, _remote in made + made:
        with django_capture_on_commit_callbacks(execute=True):
            stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert len(queued_flushes) == 1
    assert 0 < queued_flushes[0][1] <= 5
    allegro.requests.clear()
    result = stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert result.offers == 12
    # 24 changes of 12 offers, all now at 8: one command, one request.
    assert len(command_requests(allegro)) == 1
    assert len(allegro.requests.entries()) == 1
    assert [r.available for _p, _m, r in made] == [8] * 12


def test_changes_during_a_running_flush_open_one_next_round(
    synced_offer_factory, linked_account, queued_flushes, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    made = [synced_offer_factory(stock=10) for _ in range(5)]
    # A flush holds the account (planning or sending); its round was cleared when it started.
    SyncQueue.objects.create(
        account=linked_account,
        claimed_until=timezone.now() + timedelta(minutes=1),
        claim_token="running",
    )
    for product, _mirror, _remote in made:
        with django_capture_on_commit_callbacks(execute=True):
            stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    # One round for all five writes, and it waits for a quiet gap rather than going at once.
    assert len(queued_flushes) == 1
    assert queued_flushes[0][1] > 0
    queue = SyncQueue.objects.get(account=linked_account)
    assert queue.queued_at is not None
    assert queue.first_change_at is not None and queue.first_change_at < queue.last_change_at


def test_a_rolled_back_change_queues_no_flush(
    synced_offer_factory, linked_account, queued_flushes, django_capture_on_commit_callbacks
):
    from django.db import transaction

    product, _mirror, _remote = synced_offer_factory(stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert queued_flushes == []
    assert SyncQueue.objects.filter(account=linked_account, queued_at__isnull=False).count() == 0


def test_a_busy_inline_flush_gives_the_queued_flag_back(
    allegro, synced_offer_factory, linked_account, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    product, _mirror, remote = synced_offer_factory(stock=4)
    SyncQueue.objects.create(
        account=linked_account,
        claimed_until=timezone.now() + timedelta(minutes=1),
        claim_token="other",
    )
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert remote.available == 4
    assert SyncQueue.objects.get(account=linked_account).queued_at is None


def test_a_claimed_account_is_not_flushed_twice(allegro, synced_offer_factory, linked_account):
    from datetime import timedelta

    from django.utils import timezone

    product, _mirror, remote = synced_offer_factory(stock=4)
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    SyncQueue.objects.update_or_create(
        account=linked_account,
        defaults={"claimed_until": timezone.now() + timedelta(minutes=1), "claim_token": "other"},
    )
    assert stock_sync_flush(account_id=linked_account.pk, debounce=False).busy
    assert remote.available == 4
    SyncQueue.objects.filter(account=linked_account).update(claimed_until=None)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 3


def test_failed_offer_is_retried_then_reported(allegro, synced_offer_factory, linked_account):
    product, mirror, remote = synced_offer_factory(stock=10)
    good, good_mirror, good_remote = synced_offer_factory(stock=10)
    del allegro.world.sale.offers[remote.id]  # gone on Allegro: its task fails
    for _ in range(MAX_OFFER_ATTEMPTS):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
        stock_adjust(product=good, delta=-1, reason=StockReason.ORDER)
        OfferSync.objects.update(next_attempt_at=None)
        stock_sync_flush(account_id=linked_account.pk, debounce=False)
    sync = OfferSync.objects.get(offer=mirror)
    assert sync.failed is True
    assert "nie istnieje" in sync.last_error
    assert good_remote.available == 10 - MAX_OFFER_ATTEMPTS
    assert OfferSync.objects.get(offer=good_mirror).failed is False
    command = SyncCommand.objects.filter(status=CommandStatus.PARTIAL).first()
    assert command is not None
    assert remote.id in command.failures


def test_server_errors_keep_the_command_and_its_uuid(allegro, synced_offer_factory, linked_account):
    product, _mirror, remote = synced_offer_factory(stock=4)
    allegro.http_client().post(
        "/_emulator/faults",
        json={"pathRegex": "offer-quantity-change-commands", "status": 503, "rate": 1.0},
    )
    stock_adjust(product=product, delta=-2, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    command = SyncCommand.objects.get()
    assert command.status == CommandStatus.PENDING
    assert command.attempts == 1
    allegro.http_client().delete("/_emulator/faults")
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    command.refresh_from_db()
    assert command.status == CommandStatus.DONE
    assert remote.available == 2
    puts = {e["path"] for e in command_requests(allegro)}
    assert puts == {f"/sale/offer-quantity-change-commands/{command.command_id}"}


def test_zero_stock_ends_the_offer_and_restock_resumes_it(
    allegro, synced_offer_factory, linked_account
):
    product, mirror, remote = synced_offer_factory(stock=2)
    stock_adjust(product=product, delta=-2, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.status == "ENDED"
    mirror.refresh_from_db()
    assert mirror.status == OfferStatus.ENDED
    stock_adjust(product=product, delta=5, reason=StockReason.DELIVERY)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.status == "ACTIVE"
    assert remote.available == 5
    mirror.refresh_from_db()
    assert mirror.status == OfferStatus.ACTIVE


def test_safety_reserve_is_kept_back(allegro, synced_offer_factory, linked_account):
    conf = sync_settings_for(linked_account)
    conf.safety_reserve = 2
    conf.save()
    product, _mirror, remote = synced_offer_factory(stock=10)
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 7


def test_price_follows_the_rule(allegro, synced_offer_factory, linked_account):
    # 50.00 → 125.99 is beyond the default guard (30 %); this account allows it.
    SyncSettings.objects.create(
        account=linked_account,
        markup=Decimal("1.2"),
        fixed_amount=Decimal(5),
        rounding="99",
        price_guard_percent=Decimal(200),
    )
    product, mirror, remote = synced_offer_factory(stock=3, price="50.00")
    product.price = Decimal("100.00")
    product.save()
    offers_mark(product_ids=[product.pk])
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.price == "125.99"
    mirror.refresh_from_db()
    assert mirror.price == Decimal("125.99")
    assert len(command_requests(allegro, "price-change")) == 1
    # Nothing changed since: nothing is sent.
    offers_mark(product_ids=[product.pk])
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert len(command_requests(allegro, "price-change")) == 1


def test_admin_price_edit_reaches_allegro(
    allegro, synced_offer_factory, admin_client, django_capture_on_commit_callbacks
):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    url = f"/backend/catalog/product/{product.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "price": "61.50",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    assert remote.price == "61.50"
    assert AllegroOffer.objects.get(pk=_mirror.pk).price == Decimal("61.50")
    assert SyncCommand.objects.filter(kind=CommandKind.PRICE, status=CommandStatus.DONE).exists()


def test_a_mirror_made_for_a_link_is_never_pushed(
    allegro, linked_account, django_capture_on_commit_callbacks
):
    from shop.allegro.models import LinkSource
    from shop.allegro.offers.services.links import offer_mirror_for, offer_product_link
    from shop.catalog.models import Product

    product = Product.objects.create(name="Kubek", sku="KUB-1", price=Decimal(5), stock=8)
    stub = offer_mirror_for(account=linked_account, allegro_id="7800000001", name="Kubek")
    offer_product_link(offer=stub, product=product, source=LinkSource.ORDER_PAGE)
    assert offers_mark(product_ids=[product.pk]) == set()
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-3, reason=StockReason.CORRECTION)
    stub.refresh_from_db()
    assert stub.needs_push is False
    assert sync_plan(account=linked_account).commands == []
    assert not SyncCommand.objects.exists()
    assert command_requests(allegro) == []


def test_marking_writes_only_live_or_ended_confirmed_offers_with_an_allegro_id(
    synced_offer_factory, linked_account, queued_flushes
):
    from shop.allegro.models import OfferLinkStatus

    made = [synced_offer_factory(stock=10) for _ in range(5)]
    mirrors = [mirror for _p, mirror, _r in made]
    AllegroOffer.objects.filter(pk=mirrors[1].pk).update(status=OfferStatus.ENDED)
    AllegroOffer.objects.filter(pk=mirrors[2].pk).update(status=OfferStatus.INACTIVE)
    AllegroOffer.objects.filter(pk=mirrors[3].pk).update(link_status=OfferLinkStatus.TO_REVIEW)
    AllegroOffer.objects.filter(pk=mirrors[4].pk).update(allegro_id="")
    touched = offers_mark(product_ids=[p.pk for p, _m, _r in made])
    assert touched == {linked_account.pk}
    marked = set(AllegroOffer.objects.filter(needs_push=True).values_list("pk", flat=True))
    assert marked == {mirrors[0].pk, mirrors[1].pk}
    assert offers_mark(product_ids=[made[2][0].pk, made[3][0].pk, made[4][0].pk]) == set()


def test_a_sale_costs_the_sync_no_statement_and_its_scan_after_commit_two(
    synced_offer_factory, linked_account, queued_flushes, django_capture_on_commit_callbacks
):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    product, mirror, _remote = synced_offer_factory(stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert len(queued_flushes) == 1  # the round is open now
    AllegroOffer.objects.filter(pk=mirror.pk).update(needs_push=False)  # as if planned
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as in_write,
        transaction.atomic(),
    ):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert [q["sql"] for q in in_write.captured_queries if "allegro_" in q["sql"]] == []
    mirror.refresh_from_db()
    assert not mirror.needs_push  # nothing is marked before the commit
    with (
        CaptureQueriesContext(connection) as after_commit,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for callback in callbacks:  # the commit's wake: the scan runs inline in eager mode
            callback()
    sync = [
        q["sql"]
        for q in after_commit.captured_queries
        if "allegro_" in q["sql"] and "allegro_ledgercursor" not in q["sql"]
    ]
    assert len(sync) == 2, sync  # the offers' mark and the queue row's touch
    mirror.refresh_from_db()
    assert mirror.needs_push
    assert len(queued_flushes) == 1
    queue = SyncQueue.objects.get(account=linked_account)
    assert queue.first_change_at is not None and queue.first_change_at < queue.last_change_at


def test_a_busy_flush_leaves_the_round_open_and_a_taken_lease_closes_it(
    allegro,
    synced_offer_factory,
    linked_account,
    queued_flushes,
    django_capture_on_commit_callbacks,
):
    from datetime import timedelta

    from django.utils import timezone

    product, _mirror, remote = synced_offer_factory(stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    SyncQueue.objects.update_or_create(
        account=linked_account,
        defaults={"claimed_until": timezone.now() + timedelta(minutes=1), "claim_token": "other"},
    )
    assert stock_sync_flush(account_id=linked_account.pk, debounce=False).busy is True
    queue = SyncQueue.objects.get(account=linked_account)
    assert queue.queued_at is not None and queue.first_change_at is not None
    assert queue.claim_token == "other"
    SyncQueue.objects.filter(account=linked_account).update(claimed_until=None, claim_token="")
    result = stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert (result.busy, result.offers) == (False, 1)
    queue.refresh_from_db()
    assert (queue.queued_at, queue.first_change_at, queue.last_change_at) == (None, None, None)
    assert queue.last_flush_at is not None and queue.claimed_until is None
    assert remote.available == 9
