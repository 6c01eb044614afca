"""The order import's place in the task schedule: one periodic task per linked account."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask

from shop.allegro.common.account_jobs import account_job_queue, account_job_schedule
from shop.allegro.models import AllegroAccount
from shop.scheduler.models import TaskRun

IMPORT_ORDERS_JOB = "allegro.import_orders"


def order_import_schedule(*, account: AllegroAccount) -> PeriodicTask:
    return account_job_schedule(account=account, job=IMPORT_ORDERS_JOB)


def order_import_queue(*, account: AllegroAccount) -> TaskRun:
    """Queue an import of the account's orders now, recorded against its scheduled task."""
    return account_job_queue(account=account, job=IMPORT_ORDERS_JOB)
