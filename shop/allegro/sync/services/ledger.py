"""Stock changes reach the sync through the catalog's ledger, read after the writes commit.

A sale's stock write (``stock_adjust``) costs the sync nothing inside its transaction. When it
commits, ``ledger_wake`` makes sure a scan starts after that moment; the scan (``ledger_scan``)
reads the movements past the cursor, marks the linked offers and notes the change on their
accounts' queue rows (``offers_mark``, which opens the round and queues the flush with the
debounce, as a price change does). A flush scans first too, so it plans everything that
committed before it (the other accounts' offers it marks open their own rounds).

Why not mark inside the write: every sale then updated the offers table and the account's queue
row, a row every concurrent stock write of that account waited on until commit, and the sync
doubled a sale's write time on PostgreSQL (bench/stock_sync.py).

The wake is throttled per process: under load one scan is queued per ``SCAN_STEP``, and a
commit skips the queueing while a scan queued earlier has not started yet (it will read the
commit). A wake that is lost (the process dies between commit and queueing, the broker is down)
is caught by the sweep, which scans too.

PostgreSQL hands ids out in call order but rows become visible in commit order, so a scan can
see movement 51 while 50 is still uncommitted. The cursor keeps such ids as gaps and reads them
again until every transaction that was running when the gap was seen has ended (the snapshot's
``xmin`` has passed the gap's ``xmax``): by then the row is visible or was rolled back. This
holds because a movement's transaction has its id before it takes a movement id (the product's
UPDATE comes first in ``stock_adjust_many``). SQLite runs one writer at a time: ids grow in
commit order and there are no gaps to keep.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shop.allegro.models.sync import LedgerCursor
from shop.allegro.sync.services.push import offers_mark
from shop.catalog.models import StockMovement
from shop.core.queue import task_enqueue, tasks_run_inline

logger = logging.getLogger(__name__)

SCAN_TASK = "allegro.stock_ledger_scan"
# Under load a process queues one scan per step: the rounds' debounce works in tenths of a
# second, and a scan per sale would cost the worker more than the sale.
SCAN_STEP = 0.1
# A queued scan this close to its start may be reading already: queue another one.
WAKE_MARGIN = 0.02
SCAN_BATCH = 5000
# More gaps than this are read as one range (reading too much only marks offers again).
MAX_GAPS = 100

SCAN_SQL = (
    "SELECT s.xmin, s.xmax, m.id, m.product_id FROM (SELECT"
    " pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin,"
    " pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) AS s"
    " LEFT JOIN {table} AS m ON {condition} ORDER BY m.id LIMIT %s"
)

_clock = time.time  # wall-clock, as the worker's countdowns are
_wake_lock = threading.Lock()
_scan_starts_at = 0.0  # wall-clock time the last scan queued by this process starts


def ledger_wake() -> None:
    """After a stock write commits: make sure a scan starts after this moment."""
    global _scan_starts_at
    if tasks_run_inline():
        task_enqueue(SCAN_TASK)
        return
    now = _clock()
    with _wake_lock:
        if _scan_starts_at - WAKE_MARGIN > now:
            return
        start = max(now, _scan_starts_at + SCAN_STEP)
        _scan_starts_at = start
    try:
        task_enqueue(SCAN_TASK, countdown=start - now)
    except Exception:  # the broker is down: whatever it raises, the sale is committed already
        # Failing here would show the merchant an error for a stock change that was saved (and
        # invite saving it twice). The next commit tries again; the sweep reads the ledger.
        logger.warning("Stock sync: the ledger scan could not be queued", exc_info=True)
        with _wake_lock:
            _scan_starts_at = 0.0


def ledger_scan(*, queue: bool = True) -> set[int]:
    """Mark the offers of every product moved since the cursor; returns the accounts marked.

    ``queue``: note the change on the accounts' queue rows (a round and its flush follow); a
    flush that scans before planning passes False, as it plans the marks itself.
    """
    accounts: set[int] = set()
    while True:
        with transaction.atomic():
            cursor = _cursor_locked()
            start = cursor.movement_id
            movements, xmin, xmax = _movements_after(cursor)
            _cursor_advance(cursor, [pk for pk, _product in movements], xmin, xmax)
            products = sorted({product for _pk, product in movements})
            if products:
                accounts |= offers_mark(product_ids=products, queue=queue)
        if len(movements) < SCAN_BATCH or cursor.movement_id == start:
            return accounts


def _cursor_locked() -> LedgerCursor:
    found = LedgerCursor.objects.select_for_update().filter(pk=1).first()
    if found is not None:
        return found
    LedgerCursor.objects.get_or_create(pk=1)
    return LedgerCursor.objects.select_for_update().get(pk=1)


def _movements_after(cursor: LedgerCursor) -> tuple[list[tuple[int, int]], int | None, int | None]:
    """The (id, product) rows past the cursor or in its gaps, with the snapshot's xmin/xmax."""
    if connection.vendor != "postgresql":
        rows = (
            StockMovement.objects.filter(pk__gt=cursor.movement_id)
            .order_by("pk")
            .values_list("pk", "product_id")[:SCAN_BATCH]
        )
        return list(rows), None, None
    quote = connection.ops.quote_name
    condition = ["m.id > %s"]
    params: list[Any] = [cursor.movement_id]
    for first, last, _xmax in cursor.gaps:
        condition.append("m.id BETWEEN %s AND %s")
        params += [first, last]
    # One statement, so the rows and the snapshot's bounds come from the same snapshot.
    sql = SCAN_SQL.format(
        table=quote(StockMovement._meta.db_table), condition=" OR ".join(condition)
    )
    with connection.cursor() as db:
        db.execute(sql, [*params, SCAN_BATCH])
        rows = db.fetchall()
    xmin, xmax = int(rows[0][0]), int(rows[0][1])
    return [(row[2], row[3]) for row in rows if row[2] is not None], xmin, xmax


def _cursor_advance(
    cursor: LedgerCursor, seen: Sequence[int], xmin: int | None, xmax: int | None
) -> None:
    after = sorted(pk for pk in seen if pk > cursor.movement_id)
    gaps: list[list[int]] = []
    if xmin is not None and xmax is not None:
        # A gap stays while a transaction that was running when it was seen may still run.
        gaps = [gap for gap in cursor.gaps if xmin < gap[2]]
        previous = cursor.movement_id
        for pk in after:
            if pk > previous + 1:
                gaps.append([previous + 1, pk - 1, xmax])
            previous = pk
        if len(gaps) > MAX_GAPS:
            gaps = [[min(g[0] for g in gaps), max(g[1] for g in gaps), max(g[2] for g in gaps)]]
    if after:
        cursor.movement_id = after[-1]
    cursor.gaps = gaps
    cursor.scanned_at = timezone.now()
    cursor.save(update_fields=["movement_id", "gaps", "scanned_at"])
