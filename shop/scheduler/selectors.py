from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shop.scheduler.display import task_title
from shop.scheduler.models import JobLock, TaskRun
from shop.scheduler.registry import RUN_JOB_TASK, job_get
from shop.scheduler.services.runs import task_lock_name
from shop.scheduler.services.schedule import periodic_task_find, periodic_task_job_kwargs


@dataclass
class ScheduledTaskRow:
    task: PeriodicTask
    job_key: str
    title: str
    every_seconds: int | None
    last_run: TaskRun | None
    next_run: datetime | None


def scheduled_task_rows() -> list[ScheduledTaskRow]:
    """One row per periodic task with its latest run; two queries whatever the count."""
    latest = TaskRun.objects.filter(periodic_task=OuterRef("pk")).order_by("-started_at", "-id")
    tasks = (
        PeriodicTask.objects.filter(task=RUN_JOB_TASK)
        .select_related("interval")
        .annotate(last_run_id=Subquery(latest.values("id")[:1]))
        .order_by("name")
    )
    tasks = list(tasks)
    runs = TaskRun.objects.in_bulk([t.last_run_id for t in tasks if t.last_run_id])
    rows = []
    now = timezone.now()
    for task in tasks:
        job_key = str(periodic_task_job_kwargs(task).get("job", ""))
        every = task.interval.every if task.interval else None
        if task.interval and task.interval.period != "seconds":
            every = int(task.interval.schedule.run_every.total_seconds())
        next_run = None
        if task.enabled and every:
            next_run = max(now, (task.last_run_at or now) + timedelta(seconds=every))
        rows.append(
            ScheduledTaskRow(
                task=task,
                job_key=job_key,
                title=task_title(task),
                every_seconds=every,
                last_run=runs.get(task.last_run_id),
                next_run=next_run,
            )
        )
    return rows


def task_lock_held(task: PeriodicTask) -> JobLock | None:
    """The task's lock while a process holds it (its lease may have run out already)."""
    return JobLock.objects.filter(job=task_lock_name(task)).exclude(holder="").first()


def task_run_latest(task_id: int) -> TaskRun | None:
    return TaskRun.objects.filter(periodic_task_id=task_id).first()


def job_run_latest(*, job: str, job_kwargs: dict[str, Any] | None = None) -> TaskRun | None:
    """The latest run of a job's periodic task (scheduled or by hand)."""
    task = periodic_task_find(job=job_get(job), job_kwargs=job_kwargs)
    return task_run_latest(task.pk) if task else None
