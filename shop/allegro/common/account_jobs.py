"""The jobs every linked account runs: one periodic task per job and account.

A feature declares such a job with :func:`account_job` above its ``register_job``. Linking an
account (and saving a linked one) creates the tasks of all of them, and ``migrate`` creates the
tasks a new release adds for accounts linked before it, so no feature waits for a page to be
opened or for the account to be saved again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django_celery_beat.models import PeriodicTask

from shop.allegro.models import AllegroAccount
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import job_get
from shop.scheduler.services.runs import job_queue
from shop.scheduler.services.schedule import periodic_task_ensure

F = TypeVar("F", bound=Callable[..., object])

ACCOUNT_JOBS: list[str] = []


def account_job(key: str) -> Callable[[F], F]:
    """Mark the registered job ``key`` (taking ``account_id``) as run for every linked account."""

    def mark(func: F) -> F:
        if key not in ACCOUNT_JOBS:
            ACCOUNT_JOBS.append(key)
        return func

    return mark


def account_job_schedule(*, account: AllegroAccount, job: str) -> PeriodicTask:
    """The account's task of ``job``, created if missing (an existing one keeps its edits)."""
    return periodic_task_ensure(job=job_get(job), job_kwargs={"account_id": account.pk})


def account_jobs_schedule(*, account: AllegroAccount) -> list[PeriodicTask]:
    return [account_job_schedule(account=account, job=key) for key in ACCOUNT_JOBS]


def account_job_queue(*, account: AllegroAccount, job: str) -> TaskRun:
    """Queue a run of the account's ``job`` now, recorded against its scheduled task."""
    task = account_job_schedule(account=account, job=job)
    return job_queue(job=job, job_kwargs={"account_id": account.pk}, periodic_task_id=task.pk)
