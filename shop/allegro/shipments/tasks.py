"""Celery tasks of Wysyłam z Allegro: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from shop.allegro.shipments.bulk import PARCEL_BATCH_TASK, batch_run


@shared_task(name=PARCEL_BATCH_TASK, ignore_result=True)
def parcel_batch_task(batch_id: int) -> None:
    batch_run(batch_id=batch_id)
