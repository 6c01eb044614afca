"""The response-time guard learns about discussions, complaints and negative ratings: importing
their selectors registers them."""

from __future__ import annotations

from shop.allegro.issues.selectors import awaiting_issues
from shop.allegro.ratings.selectors import awaiting_ratings

#: The response-time guard's sources of these features, registered by their import.
AWAITING_SOURCES = (awaiting_issues, awaiting_ratings)
