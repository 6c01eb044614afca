from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shop.core.models import AuditLogEntry
from shop.scheduler.models import JobLock, RunStatus, TaskRun
from shop.scheduler.registry import JOBS, register_job
from shop.scheduler.services.runs import (
    HEARTBEAT_SECONDS,
    LEASE_SECONDS,
    job_lock_acquire,
    job_lock_renew,
    job_run,
    lock_name,
)
from shop.scheduler.services.schedule import periodic_task_ensure, periodic_tasks_ensure_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_jobs():  # type: ignore[no-untyped-def]
    calls: list[dict[str, object]] = []

    @register_job("tests.ok", title="Zadanie testowe", every_seconds=60, autoschedule=False)
    def ok(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return {"processed": 3}

    @register_job("tests.boom", title="Zadanie z błędem", every_seconds=60, autoschedule=False)
    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Allegro nie odpowiada")

    yield calls
    JOBS.pop("tests.ok")
    JOBS.pop("tests.boom")


def test_a_run_is_recorded_with_counts_and_duration(test_jobs):
    run = job_run(job="tests.ok", job_kwargs={"account_id": 7})
    assert run.status == RunStatus.SUCCESS
    assert run.counts == {"processed": 3}
    assert run.duration_ms is not None and run.finished_at is not None
    assert test_jobs == [{"account_id": 7}]
    assert JobLock.objects.get(job=lock_name("tests.ok", {"account_id": 7})).held_until is None


def test_a_failure_is_recorded_with_its_error(test_jobs):
    run = job_run(job="tests.boom")
    assert run.status == RunStatus.FAILURE
    assert "RuntimeError: Allegro nie odpowiada" in run.error
    assert JobLock.objects.get(job="tests.boom").held_until is None


def test_a_job_still_running_is_not_started_again(test_jobs):
    holder = job_lock_acquire(name="tests.ok")
    assert holder
    run = job_run(job="tests.ok")
    assert run.status == RunStatus.SKIPPED
    assert test_jobs == []


def test_an_expired_lock_of_a_crashed_run_does_not_block_forever(test_jobs):
    JobLock.objects.create(
        job="tests.ok", held_until=timezone.now() - timedelta(seconds=1), holder="x"
    )
    assert job_run(job="tests.ok").status == RunStatus.SUCCESS


def test_cleanup_job_removes_old_runs(settings):
    settings.SCHEDULER_RUN_RETENTION_DAYS = 30
    old = TaskRun.objects.create(
        job="x", status="success", started_at=timezone.now() - timedelta(days=31)
    )
    fresh = TaskRun.objects.create(job="x", status="success", started_at=timezone.now())
    run = job_run(job="scheduler.cleanup_runs")
    assert run.counts == {"deleted": 1}
    assert not TaskRun.objects.filter(pk=old.pk).exists()
    assert TaskRun.objects.filter(pk=fresh.pk).exists()


def test_built_in_tasks_are_scheduled_once():
    periodic_tasks_ensure_all()
    periodic_tasks_ensure_all()
    tasks = PeriodicTask.objects.filter(task="shop.scheduler.run_job")
    assert tasks.count() == sum(1 for j in JOBS.values() if j.autoschedule)


def test_page_lists_tasks_with_last_run_and_failure(
    staff_client, test_jobs, django_assert_max_num_queries
):
    ok = periodic_task_ensure(job=JOBS["tests.ok"])
    bad = periodic_task_ensure(job=JOBS["tests.boom"])
    job_run(job="tests.ok", periodic_task_id=ok.pk)
    job_run(job="tests.boom", periodic_task_id=bad.pk)
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("scheduler:tasks"))
    body = response.content.decode()
    assert "Zadanie testowe" in body and "processed: 3" in body
    assert "Allegro nie odpowiada" in body
    assert "Uruchom teraz" in body


def test_run_now_runs_the_job_and_records_a_manual_run(
    staff_client, test_jobs, django_capture_on_commit_callbacks
):
    task = periodic_task_ensure(job=JOBS["tests.ok"], job_kwargs={"account_id": 1})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("scheduler:run_now", args=[task.pk]))
    assert response.status_code == 302
    run = TaskRun.objects.get(periodic_task=task)
    assert (run.status, run.trigger) == ("success", "manual")
    assert test_jobs == [{"account_id": 1}]


def test_schedule_can_be_edited_with_validation(staff_client, test_jobs):
    task = periodic_task_ensure(job=JOBS["tests.ok"])
    url = reverse("scheduler:task", args=[task.pk])
    response = staff_client.post(url, {"every_seconds": "5", "enabled": ""})
    assert "Upewnij się, że ta wartość jest większa lub równa 10." in response.content.decode()
    response = staff_client.post(url, {"every_seconds": "300"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.interval.every, task.enabled) == (300, False)


def test_a_dead_holder_is_taken_over_and_its_run_recorded_as_failed(test_jobs):
    """A worker killed mid-run stops renewing its lease; the next run takes over at once."""
    holder = job_lock_acquire(name="tests.ok")
    dead = TaskRun.objects.create(
        job="tests.ok", status=RunStatus.RUNNING, started_at=timezone.now(), holder=holder
    )
    assert job_run(job="tests.ok").status == RunStatus.SKIPPED  # the lease is still alive
    assert job_lock_renew(name="tests.ok", holder=holder)
    JobLock.objects.filter(job="tests.ok").update(held_until=timezone.now() - timedelta(seconds=1))
    run = job_run(job="tests.ok")
    assert run.status == RunStatus.SUCCESS
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILURE and dead.finished_at is not None
    assert holder in dead.error and "przestał działać" in dead.error
    assert not job_lock_renew(name="tests.ok", holder=holder)  # the old holder lost it


def test_the_lease_is_short_and_renewed_by_the_heartbeat(test_jobs):
    holder = job_lock_acquire(name="tests.ok")
    lock = JobLock.objects.get(job="tests.ok")
    assert lock.held_until <= timezone.now() + timedelta(seconds=LEASE_SECONDS)
    assert HEARTBEAT_SECONDS * 2 < LEASE_SECONDS <= 60  # taken over within a minute
    JobLock.objects.filter(pk=lock.pk).update(held_until=timezone.now())
    assert job_lock_renew(name="tests.ok", holder=holder)
    lock.refresh_from_db()
    assert lock.held_until > timezone.now() + timedelta(seconds=LEASE_SECONDS - 5)


def test_an_interrupted_run_is_recorded_with_the_reason(test_jobs):
    @register_job("tests.exit", title="Przerwane", every_seconds=60, autoschedule=False)
    def interrupted():  # type: ignore[no-untyped-def]
        raise SystemExit(1)  # what gunicorn or a worker shutdown raises

    try:
        with pytest.raises(SystemExit):
            job_run(job="tests.exit")
    finally:
        JOBS.pop("tests.exit")
    run = TaskRun.objects.get(job="tests.exit")
    assert run.status == RunStatus.FAILURE and run.finished_at is not None
    assert run.error.startswith("SystemExit: 1")
    assert JobLock.objects.get(job="tests.exit").holder == ""


def test_runs_left_running_without_a_live_lock_are_failed_by_the_next_run(test_jobs):
    orphan = TaskRun.objects.create(
        job="x", status=RunStatus.RUNNING, started_at=timezone.now(), holder="host:1:abc"
    )
    never_taken = TaskRun.objects.create(
        job="x", status=RunStatus.QUEUED, started_at=timezone.now() - timedelta(hours=1)
    )
    just_queued = TaskRun.objects.create(
        job="x", status=RunStatus.QUEUED, started_at=timezone.now()
    )
    job_run(job="tests.ok")
    statuses = dict(TaskRun.objects.filter(job="x").values_list("pk", "status"))
    assert statuses == {
        orphan.pk: RunStatus.FAILURE,
        never_taken.pk: RunStatus.FAILURE,
        just_queued.pk: RunStatus.QUEUED,
    }


def test_run_now_only_queues_and_the_task_page_follows_the_run(
    staff_client, test_jobs, django_capture_on_commit_callbacks
):
    task = periodic_task_ensure(job=JOBS["tests.ok"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post(reverse("scheduler:run_now", args=[task.pk]))
    assert response.url == reverse("scheduler:task", args=[task.pk])
    assert test_jobs == []  # nothing ran inside the request
    run = TaskRun.objects.get(periodic_task=task)
    assert run.status == RunStatus.QUEUED
    page = staff_client.get(response.url).content.decode()
    assert "w kolejce" in page
    assert reverse("scheduler:run_status", args=[run.pk]) in page
    queued[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCESS and test_jobs == [{}]
    assert TaskRun.objects.filter(periodic_task=task).count() == 1  # the queued record itself


def test_a_stuck_lock_is_released_from_the_task_page_and_audited(staff_client, test_jobs):
    task = periodic_task_ensure(job=JOBS["tests.ok"], job_kwargs={"account_id": 3})
    name = lock_name("tests.ok", {"account_id": 3})
    holder = job_lock_acquire(name=name)
    stuck = TaskRun.objects.create(
        job="tests.ok",
        periodic_task=task,
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        holder=holder,
    )
    page = staff_client.get(reverse("scheduler:task", args=[task.pk])).content.decode()
    assert holder in page and "Zwolnij blokadę" in page and "confirm(" in page
    assert staff_client.get(reverse("scheduler:release_lock", args=[task.pk])).status_code == 405
    staff_client.post(reverse("scheduler:release_lock", args=[task.pk]))
    assert JobLock.objects.get(job=name).holder == ""
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILURE and "ręcznie" in stuck.error
    entry = AuditLogEntry.objects.get(action="scheduler.lock_released")
    assert entry.changes["holder"] == holder
    page = staff_client.get(reverse("scheduler:task", args=[task.pk])).content.decode()
    assert "Zwolnij blokadę" not in page
    assert job_run(job="tests.ok", job_kwargs={"account_id": 3}).status == RunStatus.SUCCESS
