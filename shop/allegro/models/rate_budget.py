"""The request budget of one Allegro application, when no Redis holds it."""

from __future__ import annotations

from django.db import models


class RateBudgetWindow(models.Model):
    """Requests taken in the current minute window and the 429 block, for one budget key.

    One row per Allegro application and environment; every web and worker process of the
    deployment updates it with conditional UPDATEs (see ``shop.allegro.common.rate_budget``).
    """

    key = models.CharField(max_length=200, unique=True)
    # floor(epoch seconds / window length) of the window ``used`` counts in.
    window_index = models.BigIntegerField(default=0)
    used = models.PositiveIntegerField(default=0)
    # Epoch seconds before which nobody sends (Retry-After of the last 429); 0 when none.
    blocked_until = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return self.key
