"""Harmonogram zadań in a browser: a queued run is followed on the task page until it ends."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shop.scheduler.models import RunStatus, RunTrigger, TaskRun
from shop.scheduler.registry import JOBS
from shop.scheduler.services.runs import job_lock_acquire, job_run, lock_name
from shop.scheduler.services.schedule import periodic_task_ensure
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_task_page_follows_a_queued_run_and_releases_a_stuck_lock(staff_page):
    page = staff_page
    job = JOBS["scheduler.cleanup_runs"]
    task = periodic_task_ensure(job=job)
    run = TaskRun.objects.create(
        job=job.key,
        periodic_task=task,
        trigger=RunTrigger.MANUAL,
        status=RunStatus.QUEUED,
        started_at=timezone.now(),
    )
    page.goto(f"{page.base_url}/backend/scheduler/{task.pk}/")
    status = f"#run-status-{run.pk}"
    assert "w kolejce" in page.inner_text(status)
    screenshot(page, "scheduler-task-queued")

    job_run(job=job.key, trigger=RunTrigger.MANUAL, periodic_task_id=task.pk, run_id=run.pk)
    page.wait_for_selector(f'{status}[data-status="success"]')  # the page polled it
    page.wait_for_selector("table.bo-table td:has-text('sukces')")  # reloaded once it ended
    assert "bez zmian" in page.inner_text(status)  # the result in words: nothing was old enough
    assert "w kolejce" not in page.inner_text("body")
    screenshot(page, "scheduler-task-done")

    holder = job_lock_acquire(name=lock_name(job.key, None))
    page.reload()
    assert holder in page.inner_text("#task-lock")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#release-lock")
    page.wait_for_selector("text=Zwolniono blokadę")
    assert page.locator("#release-lock").count() == 0
    screenshot(page, "scheduler-task-lock-released")
