"""Product offers: create, patch, read, the asynchronous operation waiter, listing, events."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal

import httpx

from allegro_api._exceptions import OperationTimeout
from allegro_api._retry import parse_retry_after
from allegro_api._serialize import path_segment
from allegro_api.models.offers import (
    OfferEvent,
    OfferEventList,
    OfferList,
    OfferListing,
    OfferOperation,
    OfferWriteResult,
    ProductOffer,
)
from allegro_api.resources._base import Body, Resource

__all__ = ["OfferEventsResource", "OffersResource"]

logger = logging.getLogger("allegro_api")

#: ``GET /sale/offers``: ``limit`` ≤ 1000 and ``offset + limit`` ≤ 10 000 000.
LIST_PAGE_LIMIT = 1000
LIST_OFFSET_CAP = 10_000_000

#: Allegro says an operation can take up to two hours (longer when a product is created).
DEFAULT_OPERATION_TIMEOUT = 2 * 60 * 60.0
DEFAULT_POLL_INTERVAL = 5.0
MAX_POLL_INTERVAL = 300.0

#: Operations whose ``Accept-Language`` may only be ``en-US`` (per the spec).
EN_ONLY = frozenset({"en-US"})

PublicationStatus = Literal["INACTIVE", "ACTIVE", "ACTIVATING", "ENDED"]
SellingFormat = Literal["BUY_NOW", "ADVERTISEMENT", "AUCTION"]


class OffersResource(Resource):
    """``/sale/product-offers`` (write and read) and ``/sale/offers`` (list, delete).

    :meth:`create` is never retried after an ambiguous failure (timeout while reading the
    answer, 5xx): Allegro has no idempotency key for offers and a repeated POST creates a
    second offer. Look the offer up by ``external.id`` (``list(external_ids=[...])``) before
    sending it again.
    """

    # -- write ------------------------------------------------------------------------------

    def create(self, body: ProductOffer | Body) -> OfferWriteResult:
        """``POST /sale/product-offers``: 201 done, or 202 with an operation to wait for."""
        response = self._r.request("POST", "/sale/product-offers", json_body=body)
        return self._write_result(response)

    def patch(self, offer_id: str, body: ProductOffer | Body) -> OfferWriteResult:
        """``PATCH /sale/product-offers/{id}`` with only the changed branches.

        ``parameters`` is replaced as a whole: send all of them. A 409 means a previous edit of
        the offer is still being processed.
        """
        path = f"/sale/product-offers/{path_segment(offer_id)}"
        return self._write_result(self._r.request("PATCH", path, json_body=body))

    def create_and_wait(
        self, body: ProductOffer | Body, *, timeout: float = DEFAULT_OPERATION_TIMEOUT
    ) -> ProductOffer:
        return self.wait(self.create(body), timeout=timeout)

    def patch_and_wait(
        self,
        offer_id: str,
        body: ProductOffer | Body,
        *,
        timeout: float = DEFAULT_OPERATION_TIMEOUT,
    ) -> ProductOffer:
        return self.wait(self.patch(offer_id, body), timeout=timeout)

    def _write_result(self, response: httpx.Response) -> OfferWriteResult:
        offer = self._parse(ProductOffer, response.json() if response.content else None)
        if response.status_code != 202:
            return OfferWriteResult(offer=offer, status=response.status_code)
        location = response.headers.get("Location")
        return OfferWriteResult(
            offer=offer,
            status=202,
            operation_path=self._r.path_from_location(location) if location else None,
            retry_after=parse_retry_after(response.headers.get("Retry-After"), now=self._r.clock()),
        )

    # -- the 202 → Retry-After → 303 waiter -----------------------------------------------

    def get_operation(self, operation_path: str) -> OfferOperation | None:
        """One look at an operation: its state while running, None once finished (303)."""
        response = self._r.request("GET", operation_path)
        if response.status_code == 303:
            return None
        return self._parse(OfferOperation, response.json() if response.content else None)

    def wait(
        self,
        result: OfferWriteResult,
        *,
        timeout: float = DEFAULT_OPERATION_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> ProductOffer:
        """Wait for a create/patch to finish and return the offer as Allegro now has it.

        Follows Allegro's protocol: poll the operation after ``Retry-After`` seconds while it
        answers 202; 303 means finished, and then the offer is read with a fresh GET (the 303
        is never followed automatically). Check ``publication.status`` and
        ``validation.errors`` of the result. Raises :class:`OperationTimeout` after ``timeout``.
        """
        if not result.pending:
            return result.offer
        offer_id = result.offer.id
        if not offer_id:
            raise ValueError("a pending offer write without an offer id cannot be awaited")
        operation_path = result.operation_path
        offer_path = f"/sale/product-offers/{path_segment(offer_id)}"
        deadline = self._r.clock() + timeout
        delay = result.retry_after if result.retry_after is not None else poll_interval
        while True:
            delay = min(max(delay, 0.0), MAX_POLL_INTERVAL)
            if self._r.clock() + delay > deadline:
                raise OperationTimeout(
                    f"offer {offer_id}: operation still running after {timeout:.0f} s",
                    offer_id=offer_id,
                    operation_path=operation_path or offer_path,
                )
            self._r.sleep(delay)
            if operation_path is None:
                return self.get(offer_id)
            response = self._r.request("GET", operation_path)
            if response.status_code == 303:
                location = response.headers.get("Location")
                final_path = self._r.path_from_location(location) if location else offer_path
                if not final_path.startswith("/sale/product-offers/"):
                    final_path = offer_path
                return self._parse(ProductOffer, self._r.get_json(final_path))
            if response.status_code != 202:
                # A 200 with the offer is not documented; treat any other success as done.
                return self.get(offer_id)
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), now=self._r.clock()
            )
            delay = retry_after if retry_after is not None else min(delay * 2, MAX_POLL_INTERVAL)

    # -- read -------------------------------------------------------------------------------

    def get(self, offer_id: str) -> ProductOffer:
        data = self._r.get_json(f"/sale/product-offers/{path_segment(offer_id)}")
        return self._parse(ProductOffer, data)

    def delete(self, offer_id: str) -> None:
        """Delete a draft (``INACTIVE``, never published) offer."""
        self._r.request("DELETE", f"/sale/offers/{path_segment(offer_id)}")

    def list(
        self,
        *,
        offer_ids: Sequence[str] | None = None,
        name: str | None = None,
        price_gte: Decimal | float | None = None,
        price_lte: Decimal | float | None = None,
        publication_status: Sequence[PublicationStatus] | None = None,
        publication_marketplace: str | None = None,
        selling_format: Sequence[SellingFormat] | None = None,
        external_ids: Sequence[str] | None = None,
        shipping_rates_id: str | None = None,
        category_id: str | None = None,
        product_id_empty: bool | None = None,
        return_policy_id: str | None = None,
        is_fulfillment: bool | None = None,
        sort: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> OfferList:
        """One page of the seller's offers (``GET /sale/offers``)."""
        params: dict[str, Any] = {
            "offer.id": offer_ids,
            "name": name,
            "sellingMode.price.amount.gte": price_gte,
            "sellingMode.price.amount.lte": price_lte,
            "publication.status": publication_status,
            "publication.marketplace": publication_marketplace,
            "sellingMode.format": selling_format,
            "external.id": external_ids,
            "delivery.shippingRates.id": shipping_rates_id,
            "category.id": category_id,
            "product.id.empty": product_id_empty,
            "afterSalesServices.returnPolicy.id": return_policy_id,
            "isFulfillment": is_fulfillment,
            "sort": sort,
            "limit": limit,
            "offset": offset,
        }
        return self._parse(OfferList, self._r.get_json("/sale/offers", params=params))

    def iter_all(
        self, *, page_size: int = LIST_PAGE_LIMIT, **filters: Any
    ) -> Iterator[OfferListing]:
        """Every offer matching ``filters`` (the keyword arguments of :meth:`list`)."""
        if not 1 <= page_size <= LIST_PAGE_LIMIT:
            raise ValueError(f"page_size must be 1..{LIST_PAGE_LIMIT}")
        offset = 0
        while offset + page_size <= LIST_OFFSET_CAP:
            page = self.list(limit=page_size, offset=offset, **filters)
            yield from page.offers
            offset += len(page.offers)
            total = page.total_count
            if len(page.offers) < page_size or (total is not None and offset >= total):
                return
        logger.warning("offer listing stopped at the API's offset cap of %d", LIST_OFFSET_CAP)


class OfferEventsResource(Resource):
    """``GET /sale/offer-events``: changes of the last 24 hours, oldest first."""

    def list(
        self, *, from_: str | None = None, limit: int = 100, types: Sequence[str] | None = None
    ) -> OfferEventList:
        params = {"from": from_, "limit": limit, "type": types}
        data = self._r.get_json("/sale/offer-events", params=params, languages=EN_ONLY)
        return self._parse(OfferEventList, data)

    def iter_from(
        self, *, from_: str | None = None, limit: int = 1000, types: Sequence[str] | None = None
    ) -> Iterator[OfferEvent]:
        """Events after ``from_`` until the feed is drained; persist the last ``id`` you handled."""
        cursor = from_
        while True:
            page = self.list(from_=cursor, limit=limit, types=types)
            yield from page.offer_events
            if len(page.offer_events) < limit or not page.offer_events[-1].id:
                return
            cursor = page.offer_events[-1].id
