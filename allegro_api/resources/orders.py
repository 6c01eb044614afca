"""Orders: the event feed, checkout forms, fulfillment status, shipments and carriers."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from allegro_api._serialize import path_segment
from allegro_api.models.orders import (
    CarrierList,
    CheckoutForm,
    CheckoutFormList,
    OrderEvent,
    OrderEventList,
    OrderEventStats,
    Shipment,
    ShipmentList,
)
from allegro_api.resources._base import Body, Resource

__all__ = [
    "CarriersResource",
    "CheckoutFormsResource",
    "OrderEventsResource",
    "ShipmentsResource",
]

logger = logging.getLogger("allegro_api")

#: ``GET /order/checkout-forms``: ``limit`` ≤ 100 and ``offset + limit`` ≤ 10 000.
CHECKOUT_FORMS_PAGE_LIMIT = 100
CHECKOUT_FORMS_WINDOW_CAP = 10_000
#: Windows are not split below this span; a narrower window with more orders is truncated.
MIN_WINDOW = timedelta(seconds=1)

FulfillmentStatus = Literal[
    "NEW",
    "PROCESSING",
    "READY_FOR_SHIPMENT",
    "READY_FOR_PICKUP",
    "SENT",
    "PICKED_UP",
    "CANCELLED",
    "SUSPENDED",
    "RETURNED",
]
WindowField = Literal["lineItems.boughtAt", "updatedAt"]


class OrderEventsResource(Resource):
    """``GET /order/events`` (kept 60 days, ascending ids) and ``GET /order/event-stats``."""

    def list(
        self, *, from_: str | None = None, limit: int = 100, types: Sequence[str] | None = None
    ) -> OrderEventList:
        """Events after ``from_`` (exclusive); without it, the oldest events still kept."""
        params = {"from": from_, "type": types, "limit": limit}
        return self._parse(OrderEventList, self._r.get_json("/order/events", params=params))

    def iter_from(
        self, *, from_: str | None = None, limit: int = 1000, types: Sequence[str] | None = None
    ) -> Iterator[OrderEvent]:
        """Drain the feed after ``from_``. Persist the id of the last event you *processed*."""
        cursor = from_
        while True:
            page = self.list(from_=cursor, limit=limit, types=types)
            yield from page.events
            if len(page.events) < limit or not page.events[-1].id:
                return
            cursor = page.events[-1].id

    def stats(self) -> OrderEventStats:
        """The latest event (``latest_event`` is None when nothing happened in 60 days)."""
        return self._parse(OrderEventStats, self._r.get_json("/order/event-stats"))


class CheckoutFormsResource(Resource):
    def get(self, checkout_form_id: str) -> CheckoutForm:
        path = f"/order/checkout-forms/{path_segment(checkout_form_id)}"
        return self._r.get_model(CheckoutForm, path)

    def list(
        self,
        *,
        status: str | None = None,
        fulfillment_status: str | None = None,
        fulfillment_provider_id: str | None = None,
        line_items_sent: Literal["NONE", "SOME", "ALL"] | None = None,
        bought_at_gte: datetime | None = None,
        bought_at_lte: datetime | None = None,
        updated_at_gte: datetime | None = None,
        updated_at_lte: datetime | None = None,
        payment_id: str | None = None,
        delivery_method_id: str | None = None,
        buyer_login: str | None = None,
        marketplace_id: str | None = None,
        sort: Literal["lineItems.boughtAt", "-lineItems.boughtAt", "updatedAt", "-updatedAt"]
        | None = None,
        limit: int = CHECKOUT_FORMS_PAGE_LIMIT,
        offset: int = 0,
    ) -> CheckoutFormList:
        """One page of orders (last 365 days). ``offset + limit`` must stay ≤ 10 000."""
        if offset + limit > CHECKOUT_FORMS_WINDOW_CAP:
            raise ValueError("offset + limit must not exceed 10000; use iter_window()")
        params: dict[str, Any] = {
            "status": status,
            "fulfillment.status": fulfillment_status,
            "fulfillment.provider.id": fulfillment_provider_id,
            "fulfillment.shipmentSummary.lineItemsSent": line_items_sent,
            "lineItems.boughtAt.gte": bought_at_gte,
            "lineItems.boughtAt.lte": bought_at_lte,
            "updatedAt.gte": updated_at_gte,
            "updatedAt.lte": updated_at_lte,
            "payment.id": payment_id,
            "delivery.method.id": delivery_method_id,
            "buyer.login": buyer_login,
            "marketplace.id": marketplace_id,
            "sort": sort,
            "limit": limit,
            "offset": offset,
        }
        return self._r.get_model(CheckoutFormList, "/order/checkout-forms", params=params)

    def iter_window(
        self,
        *,
        start: datetime,
        end: datetime,
        field: WindowField = "lineItems.boughtAt",
        page_size: int = CHECKOUT_FORMS_PAGE_LIMIT,
        **filters: Any,
    ) -> Iterator[CheckoutForm]:
        """Every order with ``field`` in ``[start, end]``, oldest window first.

        The list endpoint refuses ``offset + limit > 10 000``, so a window holding more orders
        is split in two halves until each fits. Both bounds are inclusive and halves share
        their boundary, so orders are de-duplicated by id.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        if not 1 <= page_size <= CHECKOUT_FORMS_PAGE_LIMIT:
            raise ValueError(f"page_size must be 1..{CHECKOUT_FORMS_PAGE_LIMIT}")
        if field == "lineItems.boughtAt":
            gte, lte = "bought_at_gte", "bought_at_lte"
        else:
            gte, lte = "updated_at_gte", "updated_at_lte"
        seen: set[str] = set()
        windows: list[tuple[datetime, datetime]] = [(start, end)]
        while windows:
            low, high = windows.pop()
            window: dict[str, Any] = {gte: low, lte: high}
            page = self.list(sort=field, limit=page_size, offset=0, **window, **filters)
            total = page.total_count or 0
            if total > CHECKOUT_FORMS_WINDOW_CAP and high - low > MIN_WINDOW:
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=middle.microsecond // 1000 * 1000)
                windows.append((middle, high))  # popped second
                windows.append((low, middle))  # popped first
                continue
            if total > CHECKOUT_FORMS_WINDOW_CAP:
                logger.warning(
                    "checkout-form window of %s holds %d orders; only %d are reachable",
                    high - low,
                    total,
                    CHECKOUT_FORMS_WINDOW_CAP,
                )
            offset = 0
            while True:
                for form in page.checkout_forms:
                    if form.id is None or form.id not in seen:
                        if form.id is not None:
                            seen.add(form.id)
                        yield form
                offset += len(page.checkout_forms)
                if len(page.checkout_forms) < page_size or offset >= min(
                    total, CHECKOUT_FORMS_WINDOW_CAP
                ):
                    break
                limit = min(page_size, CHECKOUT_FORMS_WINDOW_CAP - offset)
                page = self.list(sort=field, limit=limit, offset=offset, **window, **filters)

    def set_fulfillment_status(
        self,
        checkout_form_id: str,
        *,
        status: FulfillmentStatus,
        revision: str | None = None,
    ) -> None:
        """Set the seller status. With ``revision``, an outdated one raises Conflict (409)."""
        path = f"/order/checkout-forms/{path_segment(checkout_form_id)}/fulfillment"
        self._r.request(
            "PUT",
            path,
            params={"checkoutForm.revision": revision},
            json_body={"status": status},
            languages=frozenset({"en-US"}),  # the spec allows no other value here
        )


class ShipmentsResource(Resource):
    """Tracking numbers of an order (``/order/checkout-forms/{id}/shipments``)."""

    def list(self, checkout_form_id: str) -> ShipmentList:
        path = f"/order/checkout-forms/{path_segment(checkout_form_id)}/shipments"
        return self._parse(ShipmentList, self._r.get_json(path))

    def add(
        self,
        checkout_form_id: str,
        *,
        carrier_id: str,
        waybill: str,
        line_item_ids: Sequence[str] | None = None,
        carrier_name: str | None = None,
    ) -> Shipment:
        """Add a waybill; ``carrier_name`` only with ``carrier_id="OTHER"``; no line items =
        the whole order. Not retried after ambiguous failures (it would add the number twice).
        """
        body: Body = {
            "carrierId": carrier_id,
            "waybill": waybill,
            "carrierName": carrier_name,
            "lineItems": [{"id": i} for i in line_item_ids] if line_item_ids else None,
        }
        path = f"/order/checkout-forms/{path_segment(checkout_form_id)}/shipments"
        return self._parse(Shipment, self._r.send_json("POST", path, body))


class CarriersResource(Resource):
    def list(self) -> CarrierList:
        """Carriers usable as ``carrier_id`` of a shipment (cacheable)."""
        return self._parse(CarrierList, self._r.get_json("/order/carriers"))
