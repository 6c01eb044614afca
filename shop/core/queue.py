"""Queue a Celery task by its registered name.

Services decide *that* background work follows; the task modules, which call the services,
decide *how*. Naming the task instead of importing it keeps imports pointing one way
(tasks → services) while the call still goes through the real task object, so eager mode in
tests and routing in production apply as usual.
"""

from __future__ import annotations

from typing import Any

from celery import current_app


def task_enqueue(name: str, *args: Any, countdown: float = 0) -> None:
    current_app.tasks[name].apply_async(args=args, countdown=countdown)


def tasks_run_inline() -> bool:
    """Tasks run in the caller (eager mode: tests, ``make run`` without a worker)."""
    return bool(current_app.conf.task_always_eager)
