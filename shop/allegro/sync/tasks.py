"""Celery tasks of the stock and price sync and of the offer command sender: thin wrappers."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from shop.allegro.sync.services.commands import COMMAND_TASK, command_run
from shop.allegro.sync.services.ledger import SCAN_TASK, ledger_scan
from shop.allegro.sync.services.push import (
    FLUSH_TASK,
    flush_followup,
    flush_unqueue,
    quiet_seconds,
    stock_sync_flush,
)


@shared_task(bind=True, name=FLUSH_TASK, ignore_result=True)
def stock_sync_flush_task(self, account_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    eager = bool(self.request.is_eager)
    result = stock_sync_flush(account_id=account_id, debounce=not eager)
    if result.deferred:
        # Still inside the debounce window: the queued flag stays set, come back later.
        self.apply_async(args=(account_id,), countdown=result.deferred)
    elif result.busy and not eager:
        # Another sender holds the account; the queued flag stays set, come back shortly.
        self.apply_async(args=(account_id,), countdown=max(quiet_seconds(), 0.5))
    elif result.busy:
        # Inline runs do not come back: the next change or the sweep queues a flush again.
        flush_unqueue(account_id=account_id)
    else:
        flush_followup(account_id=account_id)
    return result.as_counts()


@shared_task(name=SCAN_TASK, ignore_result=True)
def stock_ledger_scan_task() -> int:
    return len(ledger_scan())


@shared_task(bind=True, name=COMMAND_TASK, ignore_result=True)
def offer_command_send_task(self, command_pk: int) -> None:  # type: ignore[no-untyped-def]
    run = command_run(command_pk=command_pk)
    # Inline (eager) runs do not come back: the sync's sweep finishes what is left.
    if run.again_in and not self.request.is_eager:
        self.apply_async(args=(command_pk,), countdown=run.again_in)
