"""Bulk listing: a job with a listing template and one item per product."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel


class BulkJobStatus(models.TextChoices):
    PENDING = "pending", _("oczekuje")
    RUNNING = "running", _("w toku")
    DONE = "done", _("zakończone")
    CANCELLED = "cancelled", _("anulowane")


class BulkItemStatus(models.TextChoices):
    PENDING = "pending", _("oczekuje")
    WORKING = "working", _("wystawianie")
    DONE = "done", _("wystawiono")
    FAILED = "failed", _("błąd")
    SKIPPED = "skipped", _("pominięto")


class BulkListingJob(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="+"
    )
    # The listing template: category (or mapping by title), price list, terms, price rule…
    template = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=BulkJobStatus.choices, default=BulkJobStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wystawianie zbiorcze")
        verbose_name_plural = _("wystawianie zbiorcze")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100


class BulkListingItem(models.Model):
    job = models.ForeignKey(BulkListingJob, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "allegro.AllegroOffer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=BulkItemStatus.choices, default=BulkItemStatus.PENDING, db_index=True
    )
    # A worker's claim; a claim older than the lease is taken over after a crash.
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "product"], name="bulk_item_unique_product")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.product_id}"
