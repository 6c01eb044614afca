"""What the orders app tells other apps; sent inside the writing transaction."""

from django.dispatch import Signal

# kwargs: order, from_status, to_status, user
order_status_changed = Signal()
