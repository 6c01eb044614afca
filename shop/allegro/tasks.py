"""Celery tasks of the Allegro module: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from shop.allegro.services.offers import PublishRetry, offer_publish

PUBLISH_RETRY_DELAYS = (30, 120, 600, 1800)


@shared_task(bind=True, name="allegro.offer_publish", max_retries=len(PUBLISH_RETRY_DELAYS))
def offer_publish_task(self, offer_id: int) -> None:  # type: ignore[no-untyped-def]
    try:
        offer_publish(offer_id=offer_id)
    except PublishRetry as exc:
        delay = PUBLISH_RETRY_DELAYS[min(self.request.retries, len(PUBLISH_RETRY_DELAYS) - 1)]
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name="allegro.bulk_listing")
def bulk_listing_task(job_id: int) -> None:
    from shop.allegro.services.bulk_listing import bulk_job_run

    bulk_job_run(job_id=job_id)
