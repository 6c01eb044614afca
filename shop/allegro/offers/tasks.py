"""Celery tasks of the Allegro offers: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from shop.allegro.offers.services.bulk_listing import BULK_LISTING_TASK, bulk_job_run
from shop.allegro.offers.services.publish import PUBLISH_TASK, PublishRetry, offer_publish

PUBLISH_RETRY_DELAYS = (30, 120, 600, 1800)


@shared_task(bind=True, name=PUBLISH_TASK, max_retries=len(PUBLISH_RETRY_DELAYS))
def offer_publish_task(self, offer_id: int) -> None:  # type: ignore[no-untyped-def]
    try:
        offer_publish(offer_id=offer_id)
    except PublishRetry as exc:
        delay = PUBLISH_RETRY_DELAYS[min(self.request.retries, len(PUBLISH_RETRY_DELAYS) - 1)]
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name=BULK_LISTING_TASK)
def bulk_listing_task(job_id: int) -> None:
    bulk_job_run(job_id=job_id)
