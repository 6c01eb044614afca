"""Keeping django-celery-beat's PeriodicTask rows in step with the registered jobs."""

from __future__ import annotations

import json
from typing import Any

from django_celery_beat.models import IntervalSchedule, PeriodicTask

from shop.scheduler.registry import JOBS, RUN_JOB_TASK, Job


def periodic_task_name(job: Job, job_kwargs: dict[str, Any] | None = None) -> str:
    suffix = "".join(f" [{k}={v}]" for k, v in sorted((job_kwargs or {}).items()))
    return f"{job.title}{suffix}"[:200]


def periodic_task_ensure(
    *, job: Job, job_kwargs: dict[str, Any] | None = None, enabled: bool | None = None
) -> PeriodicTask:
    """Create the job's periodic task if missing; an existing one keeps the merchant's edits."""
    kwargs: dict[str, Any] = {"job": job.key, "job_kwargs": job_kwargs or {}}
    existing = periodic_task_find(job=job, job_kwargs=job_kwargs)
    if existing is not None:
        if enabled is not None and existing.enabled != enabled:
            existing.enabled = enabled
            existing.save(update_fields=["enabled"])
        return existing
    interval, _created = IntervalSchedule.objects.get_or_create(
        every=job.every_seconds, period=IntervalSchedule.SECONDS
    )
    task = PeriodicTask.objects.create(
        name=periodic_task_name(job, job_kwargs),
        task=RUN_JOB_TASK,
        interval=interval,
        kwargs=json.dumps(kwargs),
        enabled=job.enabled_by_default if enabled is None else enabled,
    )
    # The task must know its own row to record runs against it.
    kwargs["periodic_task_id"] = task.pk
    task.kwargs = json.dumps(kwargs)
    task.save(update_fields=["kwargs"])
    return task


def periodic_task_find(
    *, job: Job, job_kwargs: dict[str, Any] | None = None
) -> PeriodicTask | None:
    wanted = job_kwargs or {}
    for task in PeriodicTask.objects.filter(task=RUN_JOB_TASK, kwargs__contains=job.key):
        data = periodic_task_job_kwargs(task)
        if data.get("job") == job.key and (data.get("job_kwargs") or {}) == wanted:
            return task
    return None


def periodic_task_job_kwargs(task: PeriodicTask) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(task.kwargs or "{}")
    return data


def periodic_tasks_ensure_all() -> list[PeriodicTask]:
    """The built-in jobs without arguments (per-account jobs are created by their apps)."""
    return [periodic_task_ensure(job=job) for job in JOBS.values() if job.autoschedule]
