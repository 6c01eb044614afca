"""Running a scheduled job: one at a time (a database lock), each run recorded.

The lock is a short lease that a heartbeat thread renews while the job runs. A worker that dies
(SIGKILL, a lost machine) stops renewing it, so the next run takes the job over within one lease
and records the dead run as failed; nothing waits for a long timeout.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from shop.core.queue import task_enqueue
from shop.core.redact import redact
from shop.core.services.audit import audit_log_write
from shop.scheduler.models import JobLock, RunStatus, RunTrigger, TaskRun
from shop.scheduler.registry import RUN_JOB_TASK, job_get
from shop.scheduler.services.schedule import periodic_task_job_kwargs

logger = logging.getLogger(__name__)

# A holder that has not renewed its lease for this long is dead; the heartbeat renews it three
# times per lease, so one slow renewal never loses a live run its lock.
LEASE_SECONDS = 45
HEARTBEAT_SECONDS = 15
# A queued run that no worker picked up in this time is recorded as failed.
QUEUED_TIMEOUT = timedelta(minutes=15)


def lock_name(job: str, job_kwargs: dict[str, Any] | None) -> str:
    if not job_kwargs:
        return job
    return f"{job}:{json.dumps(job_kwargs, sort_keys=True, separators=(',', ':'))}"[:100]


def task_lock_name(task: PeriodicTask) -> str:
    data = periodic_task_job_kwargs(task)
    return lock_name(str(data.get("job", "")), data.get("job_kwargs") or None)


def holder_token() -> str:
    """Names the process holding a lock, so that the task page can say who it is."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def job_lock_acquire(*, name: str, seconds: int = LEASE_SECONDS) -> str | None:
    """Take the job's lock row; ``None`` when another holder's lease has not expired."""
    JobLock.objects.get_or_create(job=name)
    holder = holder_token()
    now = timezone.now()
    with transaction.atomic():
        lock = JobLock.objects.select_for_update().get(job=name)
        if lock.held_until is not None and lock.held_until > now:
            return None
        if lock.holder:
            logger.warning("job lock %s taken over from %s (lease expired)", name, lock.holder)
            runs_of_holder_fail(
                holder=lock.holder,
                reason=_("Proces %(holder)s przestał działać (brak sygnału życia od %(at)s).")
                % {"holder": lock.holder, "at": timezone.localtime(lock.held_until)},
            )
        lock.held_until = now + timedelta(seconds=seconds)
        lock.holder = holder
        lock.save(update_fields=["held_until", "holder"])
    return holder


def job_lock_renew(*, name: str, holder: str, seconds: int = LEASE_SECONDS) -> bool:
    """Extend the lease; ``False`` when the lock is no longer ours (released by hand)."""
    until = timezone.now() + timedelta(seconds=seconds)
    return JobLock.objects.filter(job=name, holder=holder).update(held_until=until) == 1


def job_lock_release(*, name: str, holder: str) -> None:
    JobLock.objects.filter(job=name, holder=holder).update(held_until=None, holder="")


class Heartbeat(threading.Thread):
    """Renews a lock's lease until stopped; runs beside the job in the same process."""

    def __init__(self, *, name: str, holder: str) -> None:
        super().__init__(name=f"heartbeat {name}", daemon=True)
        self.lock_name = name
        self.holder = holder
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    if not job_lock_renew(name=self.lock_name, holder=self.holder):
                        logger.warning("job lock %s is no longer held by us", self.lock_name)
                        return
                except Exception:
                    logger.exception("job lock %s: heartbeat failed", self.lock_name)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


@contextmanager
def job_lock_held(name: str) -> Iterator[str | None]:
    """Hold the lock (with its heartbeat) for the block; yields ``None`` when another holds it."""
    holder = job_lock_acquire(name=name)
    if holder is None:
        yield None
        return
    heartbeat = Heartbeat(name=name, holder=holder)
    heartbeat.start()
    try:
        yield holder
    finally:
        heartbeat.stop()
        job_lock_release(name=name, holder=holder)


def runs_of_holder_fail(*, holder: str, reason: str) -> int:
    return TaskRun.objects.filter(status=RunStatus.RUNNING, holder=holder).update(
        status=RunStatus.FAILURE, finished_at=timezone.now(), error=reason
    )


def runs_abandoned_fail() -> int:
    """Record as failed the runs whose process died and the queued runs no worker took."""
    now = timezone.now()
    live = JobLock.objects.filter(held_until__gt=now).exclude(holder="").values("holder")
    dead = TaskRun.objects.filter(status=RunStatus.RUNNING).exclude(holder__in=live)
    before, _mark, after = _("Proces %(holder)s przestał działać (brak sygnału życia).").partition(
        "%(holder)s"
    )
    failed = dead.update(
        status=RunStatus.FAILURE,
        finished_at=now,
        error=Concat(Value(before), F("holder"), Value(after), output_field=TextField()),
    )
    stale = TaskRun.objects.filter(status=RunStatus.QUEUED, started_at__lt=now - QUEUED_TIMEOUT)
    failed += stale.update(
        status=RunStatus.FAILURE,
        finished_at=now,
        error=_("Żaden proces roboczy nie podjął zadania; sprawdź, czy działa Celery."),
    )
    return failed


def job_queue(
    *,
    job: str,
    job_kwargs: dict[str, Any] | None = None,
    periodic_task_id: int | None = None,
    trigger: str = RunTrigger.MANUAL,
) -> TaskRun:
    """Record a queued run and hand it to a worker once the transaction commits."""
    job_get(job)
    run = TaskRun.objects.create(
        job=job,
        periodic_task_id=periodic_task_id,
        trigger=trigger,
        started_at=timezone.now(),
        status=RunStatus.QUEUED,
    )
    kwargs = job_kwargs or {}
    transaction.on_commit(
        lambda: task_enqueue(RUN_JOB_TASK, job, kwargs, trigger, periodic_task_id, run.pk)
    )
    return run


def _run_to_start(
    *,
    job: str,
    trigger: str,
    periodic_task_id: int | None,
    run_id: int | None,
) -> TaskRun:
    run = TaskRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).first() if run_id else None
    return run or TaskRun(job=job, periodic_task_id=periodic_task_id, trigger=trigger)


def job_run(
    *,
    job: str,
    job_kwargs: dict[str, Any] | None = None,
    trigger: str = RunTrigger.SCHEDULE,
    periodic_task_id: int | None = None,
    run_id: int | None = None,
) -> TaskRun:
    """Run ``job`` unless it is already running; record the outcome either way."""
    definition = job_get(job)
    name = lock_name(job, job_kwargs)
    runs_abandoned_fail()
    run = _run_to_start(job=job, trigger=trigger, periodic_task_id=periodic_task_id, run_id=run_id)
    with job_lock_held(name) as holder:
        run.started_at = timezone.now()
        if holder is None:
            logger.info("job %s skipped: another run holds the lock", name)
            run.status, run.finished_at, run.duration_ms = RunStatus.SKIPPED, run.started_at, 0
            run.save()
            return run
        run.status, run.holder = RunStatus.RUNNING, holder
        run.save()
        clock = time.perf_counter()
        try:
            run.counts = definition.func(**(job_kwargs or {})) or {}
            run.status = RunStatus.SUCCESS
        except BaseException as exc:
            # BaseException too: a worker's shutdown, gunicorn's SystemExit or Ctrl-C must still
            # leave a finished record (a SIGKILL cannot; runs_abandoned_fail catches that one).
            logger.exception("job %s failed", name)
            run.status = RunStatus.FAILURE
            run.error = redact(f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}")
            run.counts = getattr(exc, "counts", {}) or {}
            run_finish(run, clock)
            if not isinstance(exc, Exception):
                raise
            return run
        run_finish(run, clock)
    return run


def run_finish(run: TaskRun, clock: float) -> None:
    run.finished_at = timezone.now()
    run.duration_ms = int((time.perf_counter() - clock) * 1000)
    run.save(update_fields=["status", "error", "counts", "finished_at", "duration_ms"])


def task_lock_release(*, task: PeriodicTask, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Free a task's lock by hand (its process is gone); the run it held is recorded as failed."""
    name = task_lock_name(task)
    with transaction.atomic():
        lock = JobLock.objects.select_for_update().filter(job=name).first()
        if lock is None or not lock.holder:
            return False
        runs_of_holder_fail(
            holder=lock.holder,
            reason=_("Blokadę zwolnił ręcznie użytkownik %(user)s.") % {"user": user},
        )
        audit_log_write(
            action="scheduler.lock_released",
            obj=task,
            user=user,
            changes={"lock": name, "holder": lock.holder, "held_until": str(lock.held_until)},
        )
        lock.held_until, lock.holder = None, ""
        lock.save(update_fields=["held_until", "holder"])
    return True
