"""The import of discussions, complaints and ratings in the task schedule: per account."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask

from shop.allegro.models import AllegroAccount
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import job_get
from shop.scheduler.services.runs import job_queue
from shop.scheduler.services.schedule import periodic_task_ensure

IMPORT_ISSUES_JOB = "allegro.import_issues"
IMPORT_RATINGS_JOB = "allegro.import_ratings"


def feedback_import_schedule(*, account: AllegroAccount) -> list[PeriodicTask]:
    """Create the account's two import tasks (existing ones keep the merchant's edits)."""
    return [
        periodic_task_ensure(job=job_get(name), job_kwargs={"account_id": account.pk})
        for name in (IMPORT_ISSUES_JOB, IMPORT_RATINGS_JOB)
    ]


def feedback_import_queue(*, account: AllegroAccount, job: str) -> TaskRun:
    """Queue one of the two imports now, recorded against the account's scheduled task."""
    task = periodic_task_ensure(job=job_get(job), job_kwargs={"account_id": account.pk})
    return job_queue(job=job, job_kwargs={"account_id": account.pk}, periodic_task_id=task.pk)
