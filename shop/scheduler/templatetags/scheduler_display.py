"""Template filters of the scheduler's pages: a run's summary and an interval in words."""

from __future__ import annotations

from django import template

from shop.scheduler import display
from shop.scheduler.models import TaskRun

register = template.Library()


@register.filter
def run_summary(run: TaskRun | None) -> str:
    return display.run_summary(run.job, run.counts) if run is not None else ""


@register.filter
def every_label(seconds: int | None) -> str:
    return display.every_label(seconds)
