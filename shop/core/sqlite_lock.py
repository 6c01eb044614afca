"""SQLite: wait for the write lock in short steps, so a steady writer cannot starve the others.

SQLite's own busy handler sleeps ever longer between its attempts (100 ms each after the first
quarter second). A process that writes in a tight loop (a stock burst, an order import) holds the
write lock nearly all the time and frees it for a fraction of a millisecond between its
transactions, so a waiter that looks once every 100 ms keeps missing those gaps: in
``bench/stock_sync.py`` the sync's flush waited 0.8–1.6 s for each of its statements while the
1,000 writes ran, and delivered nothing until they ended.

Here SQLite's busy handler waits only a few milliseconds; a statement that opens a transaction
(``BEGIN IMMEDIATE``, or a statement in autocommit) and finds the database locked is tried again
at once, until the configured ``timeout`` has passed, as before. A statement inside an open
transaction is never retried (with ``transaction_mode = IMMEDIATE`` it already holds the lock).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError

# SQLite's handler tries at 0, 1 and 3 ms within this budget, then the statement is re-run.
SHORT_BUSY_MS = 3


class LockRetry:
    """An execute wrapper (see ``connection.execute_wrapper``) for one SQLite connection."""

    def __init__(self, connection: Any, timeout: float) -> None:
        self.connection = connection
        self.timeout = timeout
        self.retries = 0  # how many times a locked statement was tried again

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        deadline: float | None = None
        while True:
            try:
                return execute(sql, params, many, context)
            except OperationalError as exc:
                if "locked" not in str(exc) or self.connection.in_atomic_block:
                    raise
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + self.timeout
                if now >= deadline:
                    raise
                self.retries += 1


def sqlite_short_lock_waits(sender: object, connection: Any, **kwargs: object) -> None:
    """On each new SQLite connection: short busy waits, retried by ``LockRetry``."""
    if getattr(connection, "vendor", "") != "sqlite":
        return
    timeout = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
    connection.connection.execute(f"PRAGMA busy_timeout = {SHORT_BUSY_MS}")
    # The wrapper list outlives the connection (a reconnect fires this signal again).
    if not any(isinstance(w, LockRetry) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(LockRetry(connection, timeout))
