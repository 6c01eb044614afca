"""Celery tasks of the Allegro orders: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from shop.allegro.orders.services.fulfillment import fulfillment_send


@shared_task(name="allegro.fulfillment_send", ignore_result=True)
def fulfillment_send_task(form_id: int) -> None:
    """Send a form's pending seller status; a passing failure stays pending for the import job."""
    fulfillment_send(form_id=form_id)
