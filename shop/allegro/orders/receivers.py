"""The Allegro orders listen to the shop's orders (which never import us)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from shop.allegro.orders.services.fulfillment import fulfillment_follow_status
from shop.allegro.orders.tasks import fulfillment_send_task
from shop.orders.models import Order
from shop.orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="allegro_fulfillment_on_status")
def order_status_followed(sender: Any, order: Order, to_status: str, **kwargs: Any) -> None:
    """Allegro shows the seller status matching the shop's; a task sends it after commit."""
    form_id = fulfillment_follow_status(order=order, to_status=to_status)
    if form_id is not None:
        transaction.on_commit(lambda: fulfillment_send_task.delay(form_id))
