"""The scheduled jobs the shop knows, in one place (HackSoft's setup_periodic_tasks pattern).

A job is a plain function returning a dict of counts; ``job_run`` wraps it with the lock (a short
lease renewed by a heartbeat while it runs) and the run record. Apps add their jobs with
``@register_job`` in their ``jobs.py`` modules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

JobFunc = Callable[..., dict[str, Any]]
# Names the object a per-object job works on ({"account_id": 1} → "sklep_abc"), for its pages.
KwargsDescriber = Callable[[dict[str, Any]], str]
CountLabels = Mapping[str, str | Promise]

# The Celery task that runs every scheduled job (beat's PeriodicTask rows name it).
RUN_JOB_TASK = "shop.scheduler.run_job"


@dataclass(frozen=True)
class Job:
    key: str
    title: str | Promise
    func: JobFunc
    every_seconds: int
    enabled_by_default: bool = True
    # False for jobs that run per object (an Allegro account): their app schedules them.
    autoschedule: bool = True
    # Polish names of the keys of the dict the job returns (its run's summary).
    count_labels: CountLabels = field(default_factory=dict)
    describe_kwargs: KwargsDescriber | None = None


JOBS: dict[str, Job] = {}


def register_job(
    key: str,
    *,
    title: str | Promise,
    every_seconds: int,
    enabled_by_default: bool = True,
    autoschedule: bool = True,
    count_labels: CountLabels | None = None,
    describe_kwargs: KwargsDescriber | None = None,
) -> Callable[[JobFunc], JobFunc]:
    def decorator(func: JobFunc) -> JobFunc:
        JOBS[key] = Job(
            key,
            title,
            func,
            every_seconds,
            enabled_by_default,
            autoschedule,
            count_labels=count_labels or {},
            describe_kwargs=describe_kwargs,
        )
        return func

    return decorator


def job_get(key: str) -> Job:
    try:
        return JOBS[key]
    except KeyError:
        raise LookupError(f"unknown scheduled job {key!r}") from None
