"""How the scheduler's pages name tasks, intervals and what a run did, in Polish words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import PeriodicTask

from shop.core.plural import plural_pl
from shop.scheduler.registry import JOBS, CountLabels, Job
from shop.scheduler.services.schedule import periodic_task_job_kwargs

# Keys many jobs return; a job's own ``count_labels`` come first.
COMMON_COUNT_LABELS: CountLabels = {
    "accounts": gettext_lazy("konta"),
    "skipped": gettext_lazy("pominięto"),
    "failed": gettext_lazy("nieudane"),
    "errors": gettext_lazy("błędy"),
    "deleted": gettext_lazy("usunięte zapisy"),
}
# Keys the run record shows elsewhere (its own duration) or that are not counts.
HIDDEN_COUNTS = frozenset({"duration_ms", "error_messages"})


def task_title(task: PeriodicTask) -> str:
    """The job's title and, for a per-object job, what it works on ("… — sklep_abc")."""
    data = periodic_task_job_kwargs(task)
    job = JOBS.get(str(data.get("job", "")))
    if job is None:
        return task.name
    job_kwargs = data.get("job_kwargs") or {}
    subject = job.describe_kwargs(job_kwargs) if job.describe_kwargs and job_kwargs else ""
    return f"{job.title} — {subject}" if subject else str(job.title)


def every_label(seconds: int | None) -> str:
    """An interval as the merchant says it: "co 15 min", "co 6 godz.", "co 2 dni"."""
    if not seconds:
        return "—"
    if seconds % 86400 == 0:
        days = seconds // 86400
        if days == 1:
            return _("codziennie")
        return _("co %(n)d %(unit)s") % {
            "n": days,
            "unit": plural_pl(days, _("dzień"), _("dni"), _("dni")),
        }
    if seconds % 3600 == 0:
        return _("co %(n)d godz.") % {"n": seconds // 3600}
    if seconds % 60 == 0:
        return _("co %(n)d min") % {"n": seconds // 60}
    return _("co %(n)d s") % {"n": seconds}


def _count_label(key: str, job: Job | None) -> str:
    own = job.count_labels.get(key) if job else None
    label = own or COMMON_COUNT_LABELS.get(key)
    return str(label) if label else key.replace("_", " ")


def run_summary(job_key: str, counts: dict[str, Any] | None) -> str:
    """What a run did in one line: "odczytane zdarzenia: 12, pobrane formularze: 4".

    Zeros and false flags are left out (a quiet run reads "bez zmian"); a true flag shows its
    name alone ("pobieranie zamówień z przeszłości").
    """
    job = JOBS.get(job_key)
    parts: list[str] = []
    for key, value in (counts or {}).items():
        if key in HIDDEN_COUNTS or isinstance(value, list | dict):
            continue
        if isinstance(value, bool):
            if value:
                parts.append(_count_label(key, job))
        elif isinstance(value, int | float):
            if value:
                parts.append(f"{_count_label(key, job)}: {value}")
        elif value:
            parts.append(f"{_count_label(key, job)}: {value}")
    return ", ".join(parts) if parts else _("bez zmian")
