"""Customer returns (BETA media type) and refunds of payments."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from datetime import datetime

from allegro_api._serialize import path_segment
from allegro_api._transport import BETA_MEDIA_TYPE
from allegro_api.models.returns import (
    CustomerReturn,
    CustomerReturnList,
    RefundDetails,
    RefundList,
    RefundRequest,
)
from allegro_api.resources._base import Resource

__all__ = ["CustomerReturnsResource", "RefundsResource"]

#: ``GET /order/customer-returns``: ``limit`` ≤ 1000.
RETURNS_PAGE_LIMIT = 1000
#: ``GET /payments/refunds``: ``limit`` ≤ 100.
REFUNDS_PAGE_LIMIT = 100


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class CustomerReturnsResource(Resource):
    """``/order/customer-returns``: no event feed exists, poll the list (#12460)."""

    def list(
        self,
        *,
        created_from: datetime | None = None,
        order_ids: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        limit: int = RETURNS_PAGE_LIMIT,
        offset: int = 0,
    ) -> CustomerReturnList:
        params = {
            "createdAt.gte": _iso(created_from),
            "orderId": ",".join(order_ids) if order_ids else None,
            "status": ",".join(statuses) if statuses else None,
            "limit": limit,
            "offset": offset,
        }
        data = self._r.get_json(
            "/order/customer-returns", params=params, media_type=BETA_MEDIA_TYPE
        )
        return self._parse(CustomerReturnList, data)

    def list_by_ids(self, customer_return_ids: Sequence[str]) -> CustomerReturnList:
        """The named returns (to follow the status of returns still open)."""
        params = {"customerReturnId": ",".join(customer_return_ids), "limit": RETURNS_PAGE_LIMIT}
        data = self._r.get_json(
            "/order/customer-returns", params=params, media_type=BETA_MEDIA_TYPE
        )
        return self._parse(CustomerReturnList, data)

    def iter_all(
        self, *, created_from: datetime | None = None, order_ids: Sequence[str] | None = None
    ) -> Iterator[CustomerReturn]:
        offset = 0
        while True:
            page = self.list(created_from=created_from, order_ids=order_ids, offset=offset)
            yield from page.customer_returns
            if len(page.customer_returns) < RETURNS_PAGE_LIMIT:
                return
            offset += RETURNS_PAGE_LIMIT

    def get(self, customer_return_id: str) -> CustomerReturn:
        path = f"/order/customer-returns/{path_segment(customer_return_id)}"
        return self._parse(CustomerReturn, self._r.get_json(path, media_type=BETA_MEDIA_TYPE))

    def reject(self, customer_return_id: str, *, code: str, reason: str | None) -> CustomerReturn:
        """Refuse the refund (``REFUND_REJECTED`` needs a ``reason``)."""
        path = f"/order/customer-returns/{path_segment(customer_return_id)}/rejection"
        rejection = {"code": code, **({"reason": reason} if reason else {})}
        data = self._r.send_json("POST", path, {"rejection": rejection}, media_type=BETA_MEDIA_TYPE)
        return self._parse(CustomerReturn, data)


class RefundsResource(Resource):
    """``/payments/refunds``: refunds of a buyer's payment."""

    def create(self, request: RefundRequest) -> RefundDetails:
        """Idempotent by ``command_id`` (the same command never refunds twice), so it is retried
        on a lost answer like a GET."""
        data = self._r.send_json("POST", "/payments/refunds", request.to_api(), retry_safe=True)
        return self._parse(RefundDetails, data)

    def list(
        self,
        *,
        refund_id: str | None = None,
        payment_id: str | None = None,
        order_id: str | None = None,
        limit: int = REFUNDS_PAGE_LIMIT,
        offset: int = 0,
    ) -> RefundList:
        params = {
            "id": refund_id,
            "payment.id": payment_id,
            "order.id": order_id,
            "limit": limit,
            "offset": offset,
        }
        return self._parse(RefundList, self._r.get_json("/payments/refunds", params=params))

    def for_payment(self, payment_id: str) -> builtins.list[RefundDetails]:
        """Every refund of one payment (all pages)."""
        found: builtins.list[RefundDetails] = []
        while True:
            page = self.list(payment_id=payment_id, offset=len(found))
            found.extend(page.refunds)
            if len(page.refunds) < REFUNDS_PAGE_LIMIT:
                return found
