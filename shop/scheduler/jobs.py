"""The scheduler's own job: forget old run records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.scheduler.models import TaskRun
from shop.scheduler.registry import register_job


@register_job(
    "scheduler.cleanup_runs",
    title=_("Usuwanie starych zapisów uruchomień"),
    every_seconds=24 * 3600,
)
def cleanup_runs(*, older_than_days: int | None = None) -> dict[str, int]:
    days = settings.SCHEDULER_RUN_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _details = TaskRun.objects.filter(started_at__lt=cutoff).delete()
    return {"deleted": deleted}
