"""A scheduled job end to end: beat → broker → a real Celery worker process → the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from shop.scheduler.models import RunStatus, TaskRun
from shop.scheduler.registry import JOBS
from shop.scheduler.services.schedule import periodic_task_ensure

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def run_worker_until(broker_url: str, broker_dir: Path, done, timeout: float = 60):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_BROKER_DIR": str(broker_dir),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-s",
            str(broker_dir / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return
            if worker.poll() is not None:
                break
            time.sleep(0.3)
        worker.terminate()
        output = worker.communicate(timeout=10)[0].decode(errors="replace")
        pytest.fail(f"the worker did not finish the job in time:\n{output[-3000:]}")
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        if worker.stdout:
            worker.stdout.close()


def schedule_cleanup_every_second() -> tuple[PeriodicTask, TaskRun]:
    old = TaskRun.objects.create(
        job="old", status="success", started_at=timezone.now() - timedelta(days=400)
    )
    task = periodic_task_ensure(job=JOBS["scheduler.cleanup_runs"])
    task.interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    task.save()
    return task, old


def finished(task: PeriodicTask, old: TaskRun):  # type: ignore[no-untyped-def]
    def check() -> bool:
        run = TaskRun.objects.filter(periodic_task=task, status=RunStatus.SUCCESS).first()
        return run is not None and not TaskRun.objects.filter(pk=old.pk).exists()

    return check


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_scheduled_job_runs_through_a_real_worker_on_the_embedded_broker(tmp_path):
    task, old = schedule_cleanup_every_second()
    run_worker_until("filesystem://", tmp_path, finished(task, old))
    runs = list(TaskRun.objects.filter(periodic_task=task))
    assert sum(run.counts["deleted"] for run in runs) == 1  # the old record, removed once
    assert {run.trigger for run in runs} == {"schedule"}


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_scheduled_job_runs_through_a_real_worker_on_redis(tmp_path, redis_url):
    import redis

    url = redis_url.rsplit("/", 1)[0] + "/14"
    redis.Redis.from_url(url).flushdb()
    task, old = schedule_cleanup_every_second()
    run_worker_until(url, tmp_path, finished(task, old))
    assert TaskRun.objects.filter(periodic_task=task, status="success").exists()
