"""Billing: fee entries and their types."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from allegro_api.models.billing import BillingEntry, BillingEntryList, BillingType, BillingTypeList
from allegro_api.resources._base import Resource

__all__ = ["BillingResource"]

logger = logging.getLogger("allegro_api")

#: ``GET /billing/billing-entries``: ``limit`` 1..100, ``offset`` 0..10 000 (422 past it,
#: allegro/allegro-api#12716); a longer history is read in narrower ``occurredAt`` windows.
BILLING_PAGE_LIMIT = 100
BILLING_MAX_OFFSET = 10_000
#: Windows are not split below this span.
MIN_WINDOW = timedelta(seconds=1)


class BillingResource(Resource):
    def list_entries(
        self,
        *,
        occurred_at_gte: datetime | None = None,
        occurred_at_lte: datetime | None = None,
        type_ids: Sequence[str] | None = None,
        offer_id: str | None = None,
        order_id: str | None = None,
        limit: int = BILLING_PAGE_LIMIT,
        offset: int = 0,
    ) -> BillingEntryList:
        """One page, newest first."""
        if not 1 <= limit <= BILLING_PAGE_LIMIT:
            raise ValueError(f"limit must be 1..{BILLING_PAGE_LIMIT}")
        if not 0 <= offset <= BILLING_MAX_OFFSET:
            raise ValueError(f"offset must be 0..{BILLING_MAX_OFFSET}; use iter_window()")
        params: dict[str, Any] = {
            "occurredAt.gte": occurred_at_gte,
            "occurredAt.lte": occurred_at_lte,
            "type.id": list(type_ids) if type_ids else None,
            "offer.id": offer_id,
            "order.id": order_id,
            "limit": limit,
            "offset": offset,
        }
        return self._r.get_model(BillingEntryList, "/billing/billing-entries", params=params)

    def iter_window(
        self, *, start: datetime, end: datetime, **filters: Any
    ) -> Iterator[BillingEntry]:
        """Every entry with ``occurredAt`` in ``[start, end]``.

        The list has no total count, so a window is paged until a short page; when the offset
        cap is reached first, the window is split in halves and read again. Both bounds are
        inclusive and halves share their boundary, so entries are de-duplicated by id.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        seen: set[str] = set()
        windows: list[tuple[datetime, datetime]] = [(start, end)]
        while windows:
            low, high = windows.pop()
            window: list[BillingEntry] = []
            offset = 0
            truncated = False
            while True:
                page = self.list_entries(
                    occurred_at_gte=low, occurred_at_lte=high, offset=offset, **filters
                )
                window.extend(page.billing_entries)
                if len(page.billing_entries) < BILLING_PAGE_LIMIT:
                    break
                offset += BILLING_PAGE_LIMIT
                if offset > BILLING_MAX_OFFSET:
                    truncated = True
                    break
            if truncated and high - low > MIN_WINDOW:
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=middle.microsecond // 1000 * 1000)
                windows.append((middle, high))
                windows.append((low, middle))
                continue
            if truncated:
                logger.warning(
                    "billing window of %s holds more than %d entries", high - low, offset
                )
            for entry in window:
                if entry.id is None or entry.id not in seen:
                    if entry.id is not None:
                        seen.add(entry.id)
                    yield entry

    def types(self) -> list[BillingType]:
        """``GET /billing/billing-types`` (names in the client's Accept-Language)."""
        return self._parse(BillingTypeList, self._r.get_json("/billing/billing-types")).root
