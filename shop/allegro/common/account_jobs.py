"""The jobs every linked account runs: one periodic task per job and account.

A feature declares such a job with :func:`account_job`, which registers it in the scheduler and
hands the function the account (an account no longer usable is skipped). Linking an
account (and saving a linked one) creates the tasks of all of them, and ``migrate`` creates the
tasks a new release adds for accounts linked before it, so no feature waits for a page to be
opened or for the account to be saved again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask

from shop.allegro.common.selectors import account_login_of
from shop.allegro.models import AllegroAccount
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import job_get, register_job
from shop.scheduler.services.runs import job_queue
from shop.scheduler.services.schedule import periodic_task_ensure

AccountWork = Callable[[AllegroAccount], dict[str, Any]]

ACCOUNT_JOBS: list[str] = []


def account_job(
    key: str, *, title: str | Promise, every_seconds: int, count_labels: dict[str, Any]
) -> Callable[[AccountWork], Callable[[int], dict[str, Any]]]:
    """Register ``key`` as a scheduled job run for every linked account."""

    def register(work: AccountWork) -> Callable[[int], dict[str, Any]]:
        @functools.wraps(work)
        def run(account_id: int) -> dict[str, Any]:
            account = AllegroAccount.objects.get(pk=account_id)
            if not account.is_usable:
                return {"skipped": 1}
            return work(account)

        register_job(
            key,
            title=title,
            every_seconds=every_seconds,
            autoschedule=False,
            count_labels={**count_labels, "skipped": _("pominięto (konto niepowiązane)")},
            describe_kwargs=account_login_of,
        )(run)
        if key not in ACCOUNT_JOBS:
            ACCOUNT_JOBS.append(key)
        return run

    return register


def account_job_schedule(*, account: AllegroAccount, job: str) -> PeriodicTask:
    """The account's task of ``job``, created if missing (an existing one keeps its edits)."""
    return periodic_task_ensure(job=job_get(job), job_kwargs={"account_id": account.pk})


def account_jobs_schedule(*, account: AllegroAccount) -> list[PeriodicTask]:
    return [account_job_schedule(account=account, job=key) for key in ACCOUNT_JOBS]


def account_job_queue(*, account: AllegroAccount, job: str) -> TaskRun:
    """Queue a run of the account's ``job`` now, recorded against its scheduled task."""
    task = account_job_schedule(account=account, job=job)
    return job_queue(job=job, job_kwargs={"account_id": account.pk}, periodic_task_id=task.pk)
