"""Commission refund claims: ``/order/refund-claims`` (list, file, read, cancel)."""

from __future__ import annotations

from collections.abc import Iterator

from allegro_api._serialize import path_segment
from allegro_api.models.claims import RefundClaim, RefundClaimCreated, RefundClaimList
from allegro_api.resources._base import Body, Resource

__all__ = ["RefundClaimsResource"]

#: ``GET /order/refund-claims``: ``limit`` ≤ 100.
REFUND_CLAIMS_PAGE_LIMIT = 100


class RefundClaimsResource(Resource):
    def list(
        self,
        *,
        offer_id: str | None = None,
        buyer_id: str | None = None,
        status: str | None = None,
        limit: int = REFUND_CLAIMS_PAGE_LIMIT,
        offset: int = 0,
    ) -> RefundClaimList:
        """Claims filtered by offer, buyer or status (there is no filter by line item)."""
        params = {
            "lineItem.offer.id": offer_id,
            "buyer.id": buyer_id,
            "status": status,
            "limit": limit,
            "offset": offset,
        }
        return self._parse(RefundClaimList, self._r.get_json("/order/refund-claims", params=params))

    def iter_all(
        self, *, offer_id: str | None = None, buyer_id: str | None = None, status: str | None = None
    ) -> Iterator[RefundClaim]:
        offset = 0
        while True:
            page = self.list(offer_id=offer_id, buyer_id=buyer_id, status=status, offset=offset)
            yield from page.refund_claims
            if len(page.refund_claims) < REFUND_CLAIMS_PAGE_LIMIT:
                return
            offset += REFUND_CLAIMS_PAGE_LIMIT

    def get(self, claim_id: str) -> RefundClaim:
        path = f"/order/refund-claims/{path_segment(claim_id)}"
        return self._parse(RefundClaim, self._r.get_json(path))

    def create(self, *, line_item_id: str, quantity: int) -> RefundClaimCreated:
        """File a claim for one line item. The API takes no idempotency key and a line item
        takes one claim only: never retried blindly — after an unclear failure, look the claim
        up with :meth:`list` (by offer and buyer) before filing again.
        """
        body: Body = {"lineItem": {"id": line_item_id}, "quantity": quantity}
        return self._parse(
            RefundClaimCreated, self._r.send_json("POST", "/order/refund-claims", body)
        )

    def cancel(self, claim_id: str) -> None:
        """Withdraw a claim still being processed (422 once it is decided)."""
        self._r.request("DELETE", f"/order/refund-claims/{path_segment(claim_id)}")
