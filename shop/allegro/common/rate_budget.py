"""The shared request budget of an Allegro application, kept in the database.

Used when no Redis is configured: every process of the deployment (web server, Celery
workers, beat) draws from one ``RateBudgetWindow`` row per application, so together they
stay under Allegro's limit, and a 429 recorded by one pauses all of them. It follows
:class:`allegro_api.RedisRateBudget`: a fixed window of ``window`` seconds holding at most
``limit`` requests, and a block that only ever grows.

Each call is one short statement in autocommit (the client never runs inside a transaction):
a conditional ``UPDATE`` takes a slot only while the block is over and the window has room, so
two processes can never both take the last slot — on SQLite the write lock serialises the
statements, on PostgreSQL the row lock makes the second one re-check its condition. Nothing
is cached in the process, so a block recorded elsewhere stops the very next request here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.db import connection

from shop.allegro.models import RateBudgetWindow

# A failed UPDATE followed by a read that shows room means another process moved the window
# in between; that many rounds settle it (the last answer is a short wait, never a free slot).
ATTEMPTS = 3
RACE_WAIT = 0.05

# SET expressions see the row as it was, so the CASE tests the stored window.
TAKE_SQL = (
    "UPDATE {table} SET {used} = CASE WHEN {window_index} = %s THEN {used} + 1 ELSE 1 END,"
    " {window_index} = %s WHERE {key} = %s AND {blocked_until} <= %s"
    " AND ({window_index} < %s OR ({window_index} = %s AND {used} < %s))"
)


class DatabaseRateBudget:
    """A :class:`allegro_api.RateBudget` shared through one database row named ``key``."""

    def __init__(
        self,
        *,
        key: str,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.key = key
        self.limit = limit
        self.window = window
        self._clock = clock

    def acquire(self) -> float:
        now = self._clock()
        index = math.floor(now / self.window)
        window_end = (index + 1) * self.window
        for _ in range(ATTEMPTS):
            if self._take(now, index):
                return 0.0
            state = (
                RateBudgetWindow.objects.filter(key=self.key)
                .values_list("window_index", "used", "blocked_until")
                .first()
            )
            if state is None:
                self._create()
                continue
            stored_index, used, blocked_until = state
            if blocked_until > now:
                return blocked_until - now
            # A machine whose clock runs behind waits for its own window to end.
            if stored_index > index or (stored_index == index and used >= self.limit):
                return window_end - now
        return RACE_WAIT

    def _take(self, now: float, index: int) -> bool:
        """One slot, if the block is over and the window has room: one conditional UPDATE.

        Written in SQL because it runs before every request: the ORM spends more time
        building this statement than the database spends running it.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                TAKE_SQL.format(**_names()), [index, index, self.key, now, index, index, self.limit]
            )
            return cursor.rowcount == 1

    def block_until(self, until: float) -> None:
        self._create()
        RateBudgetWindow.objects.filter(key=self.key, blocked_until__lt=until).update(
            blocked_until=until
        )

    def blocked_until(self) -> float:
        value = (
            RateBudgetWindow.objects.filter(key=self.key)
            .values_list("blocked_until", flat=True)
            .first()
        )
        return float(value or 0.0)

    def _create(self) -> None:
        # INSERT … ON CONFLICT DO NOTHING: two processes creating it at once both go on.
        RateBudgetWindow.objects.bulk_create(
            [RateBudgetWindow(key=self.key)], ignore_conflicts=True
        )


def _names() -> dict[str, str]:
    quote = connection.ops.quote_name
    names = {field: quote(field) for field in ("key", "used", "window_index", "blocked_until")}
    return {**names, "table": quote(RateBudgetWindow._meta.db_table)}
