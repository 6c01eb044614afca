from __future__ import annotations

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from shop.core.services.audit import audit_log_write
from shop.scheduler.display import task_title
from shop.scheduler.forms import ScheduleForm
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import RUN_JOB_TASK
from shop.scheduler.selectors import scheduled_task_rows, task_lock_held, task_run_latest
from shop.scheduler.services.runs import job_queue, task_lock_release
from shop.scheduler.services.schedule import periodic_task_job_kwargs


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {**admin.site.each_context(request), **extra}


def task_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scheduler/task_list.html",
        _context(request, title=_("Harmonogram zadań"), rows=scheduled_task_rows()),
    )


@require_POST
def task_run_now(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(PeriodicTask, pk=task_id, task=RUN_JOB_TASK)
    data = periodic_task_job_kwargs(task)
    run = job_queue(
        job=data["job"], job_kwargs=data.get("job_kwargs") or {}, periodic_task_id=task.pk
    )
    audit_log_write(action="scheduler.run_now", obj=task, user=request.user)
    return run_started(
        request,
        run,
        message=_("Zlecono uruchomienie zadania „%(name)s”.") % {"name": task_title(task)},
        back=reverse("scheduler:task", kwargs={"task_id": task.pk}),
        # The task page lists the run in its history too; a row of the task list shows it all.
        reload_when_done=request.GET.get("from") != "list",
    )


def run_started(
    request: HttpRequest, run: TaskRun, *, message: str, back: str, reload_when_done: bool
) -> HttpResponse:
    """The answer to a "run now" button, the same for every such button.

    Clicked through htmx, the button gets the run's status fragment, which follows the run by
    itself; a plain form post gets the message and the page it came from.
    """
    if request.htmx:  # type: ignore[attr-defined]
        return run_status_fragment(request, run, reload_when_done=reload_when_done)
    messages.success(request, message)
    return redirect(back)


def run_status_fragment(
    request: HttpRequest, run: TaskRun, *, reload_when_done: bool
) -> HttpResponse:
    response = render(
        request,
        "scheduler/_run_status.html",
        {"run": run, "reload_when_done": reload_when_done},
    )
    if request.htmx and reload_when_done and not run.in_progress:  # type: ignore[attr-defined]
        # The run has ended: reload the page once, so that what it changed (its row in the
        # history, imported orders) shows too.
        response["HX-Refresh"] = "true"
    return response


@require_POST
def task_release_lock(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(PeriodicTask, pk=task_id, task=RUN_JOB_TASK)
    if task_lock_release(task=task, user=request.user):
        messages.success(
            request, _("Zwolniono blokadę zadania „%(name)s”.") % {"name": task_title(task)}
        )
    else:
        messages.info(request, _("Zadanie nie było zablokowane."))
    return redirect("scheduler:task", task_id=task.pk)


def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's state as a fragment; it polls itself while the run is queued or running."""
    run = get_object_or_404(TaskRun, pk=run_id)
    return run_status_fragment(request, run, reload_when_done=request.GET.get("reload") == "1")


def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(PeriodicTask.objects.select_related("interval"), pk=task_id)
    every = task.interval.schedule.run_every.total_seconds() if task.interval else 60
    form = ScheduleForm(
        request.POST or None, initial={"every_seconds": int(every), "enabled": task.enabled}
    )
    if request.method == "POST" and form.is_valid():
        interval, _created = IntervalSchedule.objects.get_or_create(
            every=form.cleaned_data["every_seconds"], period=IntervalSchedule.SECONDS
        )
        before = {"every_seconds": int(every), "enabled": task.enabled}
        task.interval = interval
        task.enabled = form.cleaned_data["enabled"]
        task.save()
        audit_log_write(
            action="scheduler.schedule_changed",
            obj=task,
            user=request.user,
            changes={"before": before, "after": form.cleaned_data},
        )
        messages.success(request, _("Zapisano harmonogram zadania."))
        return redirect("scheduler:tasks")
    runs = Paginator(TaskRun.objects.filter(periodic_task=task), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "scheduler/task_detail.html",
        _context(
            request,
            title=task_title(task),
            task=task,
            form=form,
            runs=runs,
            latest_run=task_run_latest(task.pk),
            lock=task_lock_held(task),
        ),
    )
