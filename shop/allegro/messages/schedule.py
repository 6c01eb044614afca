"""The message import's place in the task schedule: one periodic task per account."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask

from shop.allegro.models import AllegroAccount
from shop.scheduler.registry import job_get
from shop.scheduler.services.schedule import periodic_task_ensure

IMPORT_MESSAGES_JOB = "allegro.import_messages"


def message_import_schedule(*, account: AllegroAccount) -> PeriodicTask:
    """Create the account's import task (an existing one keeps the merchant's edits)."""
    return periodic_task_ensure(
        job=job_get(IMPORT_MESSAGES_JOB), job_kwargs={"account_id": account.pk}
    )
