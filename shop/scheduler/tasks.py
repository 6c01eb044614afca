from __future__ import annotations

from typing import Any

from celery import shared_task

from shop.scheduler.models import RunTrigger
from shop.scheduler.registry import RUN_JOB_TASK
from shop.scheduler.services.runs import job_run

__all__ = ["RUN_JOB_TASK", "run_job"]


@shared_task(name=RUN_JOB_TASK, ignore_result=True)
def run_job(
    job: str,
    job_kwargs: dict[str, Any] | None = None,
    trigger: str = RunTrigger.SCHEDULE,
    periodic_task_id: int | None = None,
    run_id: int | None = None,
) -> None:
    job_run(
        job=job,
        job_kwargs=job_kwargs,
        trigger=trigger,
        periodic_task_id=periodic_task_id,
        run_id=run_id,
    )
