# mypy: allow-untyped-defs
"""Stock changes reach the sync through the ledger, read after the writes commit."""

from __future__ import annotations

import threading

import pytest
from celery import current_app
from django.db import connection, transaction

from shop.allegro.models import AllegroOffer
from shop.allegro.models.sync import LedgerCursor, SyncQueue
from shop.allegro.sync import jobs
from shop.allegro.sync.services import ledger
from shop.allegro.sync.services.ledger import ledger_scan, ledger_wake
from shop.catalog.models import StockMovement, StockReason
from shop.catalog.services.stock import stock_adjust

pytestmark = pytest.mark.django_db


def marked() -> set[int]:
    return set(AllegroOffer.objects.filter(needs_push=True).values_list("pk", flat=True))


def test_a_scan_marks_the_offers_of_products_moved_since_the_cursor_once(
    synced_offer_factory, linked_account
):
    sold, sold_mirror, _r = synced_offer_factory(stock=5)
    _kept, _kept_mirror, _r2 = synced_offer_factory(stock=5)
    stock_adjust(product=sold, delta=-1, reason=StockReason.ORDER)  # no commit: no wake
    assert marked() == set()

    assert ledger_scan(queue=False) == {linked_account.pk}
    assert marked() == {sold_mirror.pk}
    cursor = LedgerCursor.objects.get()
    assert cursor.movement_id == StockMovement.objects.latest("pk").pk
    assert not SyncQueue.objects.filter(account=linked_account, queued_at__isnull=False).exists()

    AllegroOffer.objects.update(needs_push=False)
    assert ledger_scan() == set()  # read already
    assert marked() == set()


def test_a_scan_opens_the_round_and_the_flush_reads_what_no_scan_has(
    allegro, synced_offer_factory, linked_account
):
    from shop.allegro.sync.services.push import stock_sync_flush

    product, _mirror, remote = synced_offer_factory(stock=5)
    other, _other_mirror, other_remote = synced_offer_factory(stock=5)
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    ledger_scan()  # the test's transaction never commits: the flush it queues does not run
    stock_adjust(product=other, delta=-2, reason=StockReason.ORDER)  # no scan reads this one
    assert SyncQueue.objects.get(account=linked_account).queued_at is not None
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert (remote.available, other_remote.available) == (4, 3)


def test_offers_of_another_account_marked_by_a_flush_scan_get_their_own_round(
    allegro, synced_offer_factory, linked_account, monkeypatch, django_capture_on_commit_callbacks
):
    from shop.allegro.models import AllegroAccount, OfferStatus
    from shop.allegro.sync import tasks
    from shop.allegro.sync.services.push import stock_sync_flush

    product, _mirror, remote = synced_offer_factory(stock=5)
    second = AllegroAccount.objects.create(
        enabled=True, client_id="second-client", client_secret="second-secret"
    )
    other = AllegroOffer.objects.create(
        account=second,
        product=product,
        link_status="confirmed",
        allegro_id="17999999999",
        status=OfferStatus.ACTIVE,
        name=product.name,
        stock_available=5,
    )
    queued: list[int] = []
    monkeypatch.setattr(
        tasks.stock_sync_flush_task,
        "apply_async",
        lambda args, countdown: queued.append(args[0]),
    )
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)  # its wake never runs
    with django_capture_on_commit_callbacks(execute=True):
        stock_sync_flush(account_id=linked_account.pk, debounce=False)  # scans, then plans
    assert remote.available == 4
    other.refresh_from_db()
    assert other.needs_push
    assert queued == [second.pk]  # not left for the minute's sweep
    assert SyncQueue.objects.get(account=second).queued_at is not None


def test_the_sweep_reads_the_ledger_when_a_wake_was_lost(
    allegro, synced_offer_factory, linked_account
):
    product, _mirror, remote = synced_offer_factory(stock=5)
    stock_adjust(product=product, delta=-3, reason=StockReason.ORDER)  # its wake never runs
    assert remote.available == 5
    assert jobs.stock_sync_sweep() == {"accounts": 1}  # queues the flush; it runs inline here
    assert remote.available == 2


@pytest.fixture
def scans_queued(monkeypatch):
    """Wakes as a worker process sees them: a clock we move, and the scans queued (countdowns)."""
    from shop.allegro.sync import tasks

    clock = {"now": 1000.0}
    queued: list[float] = []
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(ledger, "_clock", lambda: clock["now"])
    monkeypatch.setattr(ledger, "_scan_starts_at", 0.0)
    monkeypatch.setattr(
        tasks.stock_ledger_scan_task,
        "apply_async",
        lambda args, countdown: queued.append(round(countdown, 3)),
    )
    return clock, queued


def test_a_wake_scans_at_once_when_idle_and_once_a_step_under_load(scans_queued):
    clock, queued = scans_queued

    def wake_at(moment: float) -> list[float]:
        clock["now"] = moment
        ledger_wake()
        return queued

    assert wake_at(1000.0) == [0.0]  # idle: at once
    # The first scan may be reading already: the next one starts a step later.
    assert wake_at(1000.01) == [0.0, 0.09]
    for moment in (1000.02, 1000.05, 1000.07):  # before that scan starts: it will read them
        assert wake_at(moment) == [0.0, 0.09]
    assert wake_at(1000.085) == [0.0, 0.09, 0.115]  # within the margin of its start
    assert wake_at(1010.0)[-1] == 0.0


def test_a_broker_that_is_down_fails_no_saved_sale_and_the_next_commit_tries_again(
    synced_offer_factory, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from kombu.exceptions import OperationalError

    from shop.allegro.sync import tasks

    product, _mirror, _remote = synced_offer_factory(stock=5)
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(ledger, "_scan_starts_at", 0.0)
    queued: list[float] = []

    def broker_down(args, countdown):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.stock_ledger_scan_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    product.refresh_from_db()
    assert product.stock == 4
    assert "could not be queued" in caplog.text
    monkeypatch.setattr(
        tasks.stock_ledger_scan_task,
        "apply_async",
        lambda args, countdown: queued.append(countdown),
    )
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    assert queued == [0.0]  # not held back by the scan that was never queued


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sale_that_commits_after_a_later_one_is_not_lost_on_postgres(
    allegro, synced_offer_factory, linked_account
):
    """PostgreSQL hands the slow sale the lower movement id; the scan that sees the later sale
    first keeps the lower id as a gap and reads it again once the slow sale commits."""
    slow, _m1, slow_remote = synced_offer_factory(stock=5)
    fast, _m2, fast_remote = synced_offer_factory(stock=5)
    rolled_back, _m3, rolled_remote = synced_offer_factory(stock=5)
    written, proceed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def sell_slowly(product, delta: int, commit: bool) -> None:
        try:
            with transaction.atomic():
                stock_adjust(product=product.pk, delta=delta, reason=StockReason.ORDER)
                written.set()
                proceed.wait(10)
                if not commit:
                    raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=sell_slowly, args=(slow, -2, True))
    thread.start()
    assert written.wait(10)
    stock_adjust(product=fast.pk, delta=-1, reason=StockReason.ORDER)  # commits: scan, flush
    assert (fast_remote.available, slow_remote.available) == (4, 5)
    assert LedgerCursor.objects.get().gaps  # the slow sale's id, below the fast one's
    proceed.set()
    thread.join()
    assert not errors
    assert slow_remote.available == 3  # its commit's scan read the gap

    written.clear()
    proceed.clear()
    thread = threading.Thread(target=sell_slowly, args=(rolled_back, -1, False))
    thread.start()
    assert written.wait(10)
    stock_adjust(product=fast.pk, delta=-1, reason=StockReason.ORDER)
    assert LedgerCursor.objects.get().gaps
    proceed.set()
    thread.join()
    stock_adjust(product=fast.pk, delta=-1, reason=StockReason.ORDER)
    # The rolled-back sale's transaction has ended: its gap is dropped, nothing was sent for it.
    assert gaps_waiting_for_an_open_transaction()
    assert (fast_remote.available, rolled_remote.available) == (2, 5)


def gaps_waiting_for_an_open_transaction() -> bool:
    """Every gap the cursor keeps is one a transaction still running may fill (none when no
    other session of the server has one open)."""
    with connection.cursor() as db:
        db.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        (xmin,) = db.fetchone()
    return all(xmin < gap[2] for gap in LedgerCursor.objects.get().gaps)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_all_reach_allegro_on_postgres(
    allegro, synced_offer_factory, linked_account
):
    """Eight sellers at once, each commit waking a scan while the others' sales are open."""
    from shop.allegro.sync.services.push import stock_sync_flush

    made = [synced_offer_factory(stock=50) for _ in range(8)]
    barrier = threading.Barrier(len(made))
    errors: list[BaseException] = []

    def sell(product) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                stock_adjust(product=product.pk, delta=-1, reason=StockReason.ORDER)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sell, args=(product,)) for product, _m, _r in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    # A flush that was busy inline gives its flag back: the last round is this one.
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert [remote.available for _p, _m, remote in made] == [40] * len(made)
    assert LedgerCursor.objects.get().movement_id == StockMovement.objects.latest("pk").pk
    assert gaps_waiting_for_an_open_transaction()
