"""Billing: fee entries and their types."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from allegro_api.models.billing import BillingEntry, BillingEntryList, BillingType, BillingTypeList
from allegro_api.resources._base import Resource

__all__ = ["BillingResource"]

logger = logging.getLogger("allegro_api")

#: ``GET /billing/billing-entries``: ``limit`` 1..100, ``offset`` 0..10 000 (422 past it,
#: allegro/allegro-api#12716); a longer history is read in narrower ``occurredAt`` windows.
BILLING_PAGE_LIMIT = 100
BILLING_MAX_OFFSET = 10_000


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
        """Every entry with ``occurredAt`` in ``[start, end]``, newest first.

        The list has no total count and refuses an offset past 10 000, so when a window is
        still full at the cap, reading goes on in the window ``[start, oldest date seen]``.
        That bound is inclusive, so entries of that very moment are read again and skipped
        by id (as are entries shifted down a page by a new fee posted meanwhile).
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        seen: set[str] = set()
        high = end
        while True:
            offset = 0
            oldest: datetime | None = None
            while True:
                page = self.list_entries(
                    occurred_at_gte=start, occurred_at_lte=high, offset=offset, **filters
                )
                for entry in page.billing_entries:
                    moment = entry.occurred_at
                    if moment is not None and (oldest is None or moment < oldest):
                        oldest = moment
                    if entry.id is None or entry.id not in seen:
                        if entry.id is not None:
                            seen.add(entry.id)
                        yield entry
                if len(page.billing_entries) < BILLING_PAGE_LIMIT:
                    return
                offset += BILLING_PAGE_LIMIT
                if offset > BILLING_MAX_OFFSET:
                    break
            if oldest is None or oldest >= high:
                logger.warning(
                    "more than %d billing entries at %s; the rest is unreachable", offset, high
                )
                return
            high = oldest

    def types(self) -> list[BillingType]:
        """``GET /billing/billing-types`` (names in the client's Accept-Language)."""
        return self._parse(BillingTypeList, self._r.get_json("/billing/billing-types")).root
