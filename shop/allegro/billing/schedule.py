"""The fee import's place in the task schedule: one periodic task per linked account."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask

from shop.allegro.models import AllegroAccount
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import job_get
from shop.scheduler.services.runs import job_queue
from shop.scheduler.services.schedule import periodic_task_ensure

IMPORT_BILLING_JOB = "allegro.import_billing"


def billing_import_schedule(*, account: AllegroAccount) -> PeriodicTask:
    """Create the account's fee import task (an existing one keeps the merchant's edits)."""
    return periodic_task_ensure(
        job=job_get(IMPORT_BILLING_JOB), job_kwargs={"account_id": account.pk}
    )


def billing_import_queue(*, account: AllegroAccount) -> TaskRun:
    """Queue a fee import now, recorded against the account's scheduled task."""
    task = billing_import_schedule(account=account)
    return job_queue(
        job=IMPORT_BILLING_JOB, job_kwargs={"account_id": account.pk}, periodic_task_id=task.pk
    )
