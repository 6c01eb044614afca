from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shop.scheduler.models import TaskRun
from shop.scheduler.registry import JOBS
from shop.scheduler.services.schedule import periodic_task_job_kwargs
from shop.scheduler.tasks import RUN_JOB_TASK


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
        job = JOBS.get(job_key)
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
                title=str(job.title) if job else task.name,
                every_seconds=every,
                last_run=runs.get(task.last_run_id),
                next_run=next_run,
            )
        )
    return rows
