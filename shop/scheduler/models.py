from django.db import models
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("w kolejce")
    RUNNING = "running", _("w toku")
    SUCCESS = "success", _("sukces")
    FAILURE = "failure", _("błąd")
    SKIPPED = "skipped", _("pominięte (już trwa)")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("harmonogram")
    MANUAL = "manual", _("ręcznie")


class TaskRun(models.Model):
    """One execution of a scheduled job, with what it did or why it failed."""

    job = models.CharField(_("zadanie"), max_length=100, db_index=True)
    periodic_task = models.ForeignKey(
        PeriodicTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices)
    trigger = models.CharField(
        _("uruchomienie"), max_length=16, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE
    )
    started_at = models.DateTimeField(_("start"), db_index=True)
    finished_at = models.DateTimeField(_("koniec"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("czas (ms)"), null=True, blank=True)
    counts = models.JSONField(_("wynik"), default=dict, blank=True)
    error = models.TextField(_("błąd"), blank=True)
    # The lock holder of a running run ("host:pid:token"): a run whose holder no longer holds a
    # live lease has lost its worker and is recorded as failed.
    holder = models.CharField(_("proces"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("uruchomienie zadania")
        verbose_name_plural = _("uruchomienia zadań")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.started_at:%Y-%m-%d %H:%M:%S}"

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class JobLock(models.Model):
    """A row per job; a run holds it by setting ``held_until`` under a row lock.

    ``held_until`` is a short lease that the running process renews (its heartbeat), so a worker
    that died blocks the job for one lease at most.
    """

    job = models.CharField(max_length=100, unique=True)
    held_until = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("blokada zadania")
        verbose_name_plural = _("blokady zadań")

    def __str__(self) -> str:
        return self.job
