"""Running a scheduled job: one at a time (a database lock), each run recorded."""

from __future__ import annotations

import json
import logging
import time
import traceback
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.core.redact import redact
from shop.scheduler.models import JobLock, RunStatus, RunTrigger, TaskRun
from shop.scheduler.registry import job_get

logger = logging.getLogger(__name__)


def lock_name(job: str, job_kwargs: dict[str, Any] | None) -> str:
    if not job_kwargs:
        return job
    return f"{job}:{json.dumps(job_kwargs, sort_keys=True, separators=(',', ':'))}"[:100]


def job_lock_acquire(*, name: str, seconds: int) -> str | None:
    """Take the job's lock row; ``None`` when another run holds it and has not expired."""
    JobLock.objects.get_or_create(job=name)
    holder = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        lock = JobLock.objects.select_for_update().get(job=name)
        if lock.held_until is not None and lock.held_until > now:
            return None
        lock.held_until = now + timedelta(seconds=seconds)
        lock.holder = holder
        lock.save(update_fields=["held_until", "holder"])
    return holder


def job_lock_release(*, name: str, holder: str) -> None:
    JobLock.objects.filter(job=name, holder=holder).update(held_until=None, holder="")


def job_run(
    *,
    job: str,
    job_kwargs: dict[str, Any] | None = None,
    trigger: str = RunTrigger.SCHEDULE,
    periodic_task_id: int | None = None,
) -> TaskRun:
    """Run ``job`` unless it is already running; record the outcome either way."""
    definition = job_get(job)
    name = lock_name(job, job_kwargs)
    started = timezone.now()
    holder = job_lock_acquire(name=name, seconds=definition.lock_seconds)
    run = TaskRun.objects.create(
        job=job,
        periodic_task_id=periodic_task_id,
        trigger=trigger,
        started_at=started,
        status=RunStatus.RUNNING if holder else RunStatus.SKIPPED,
        finished_at=None if holder else started,
        duration_ms=None if holder else 0,
    )
    if holder is None:
        logger.info("job %s skipped: another run holds the lock", name)
        return run
    clock = time.perf_counter()
    try:
        counts = definition.func(**(job_kwargs or {})) or {}
    except Exception as exc:
        logger.exception("job %s failed", name)
        run.status = RunStatus.FAILURE
        run.error = redact(f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}")
        counts = getattr(exc, "counts", {}) or {}
    else:
        run.status = RunStatus.SUCCESS
    finally:
        job_lock_release(name=name, holder=holder)
    run.counts = counts
    run.finished_at = timezone.now()
    run.duration_ms = int((time.perf_counter() - clock) * 1000)
    run.save(update_fields=["status", "error", "counts", "finished_at", "duration_ms"])
    return run
