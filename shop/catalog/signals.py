"""What the catalog tells other apps (the Allegro app listens; the catalog imports none).

Both are sent inside the writing transaction; receivers that talk to the outside world must
defer that work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# kwargs: product_ids (list[int])
stock_changed = Signal()
# kwargs: product_ids (list[int])
price_changed = Signal()
