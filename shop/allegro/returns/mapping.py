"""Pure conversions: Allegro's customer returns and refunds into what the shop stores and shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from allegro_api.models.returns import CustomerReturn, RefundDetails

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Allegro's statuses in which the returned items are back with the seller.
ARRIVED = frozenset({"DELIVERED", "WAREHOUSE_DELIVERED", "WAREHOUSE_VERIFICATION"})
# The refund of the payment already happened (or Allegro's programme paid it).
REFUNDED = frozenset(
    {"FINISHED", "FINISHED_APT", "COMMISSION_REFUND_CLAIMED", "COMMISSION_REFUNDED"}
)
# A rejection is possible once the parcel arrived and before any refund (the emulator's rule).
REJECTABLE = ARRIVED
# Refunds Allegro gave up on (no funds on the seller's balance, #13740): no money went back.
NOT_REFUNDED = frozenset({"CANCELED", "VALIDATE_FAILED"})


@dataclass(frozen=True)
class ReturnItemData:
    offer_id: str
    name: str
    quantity: int
    price: Decimal
    currency: str
    reason: str
    reason_comment: str


@dataclass(frozen=True)
class ReturnData:
    return_id: str
    reference_number: str
    order_form_id: str
    status: str
    buyer_login: str
    buyer_email: str
    created_at: datetime | None
    parcels: list[dict[str, Any]]
    rejection: dict[str, Any]
    items: list[ReturnItemData]
    raw: dict[str, Any]

    def row_fields(self) -> dict[str, Any]:
        """The mirror's columns (what an update compares and writes)."""
        return {
            "reference_number": self.reference_number,
            "order_form_id": self.order_form_id,
            "status": self.status,
            "buyer_login": self.buyer_login,
            "buyer_email": self.buyer_email,
            "allegro_created_at": self.created_at,
            "parcels": self.parcels,
            "rejection": self.rejection,
        }


def return_data(remote: CustomerReturn) -> ReturnData:
    buyer = remote.buyer
    items = [
        ReturnItemData(
            offer_id=item.offer_id or "",
            name=(item.name or "")[:255],
            quantity=max(int(item.quantity or 0), 0),
            price=(item.price.amount if item.price and item.price.amount is not None else ZERO),
            currency=(item.price.currency if item.price and item.price.currency else "PLN"),
            reason=(item.reason.type if item.reason and item.reason.type else ""),
            reason_comment=(item.reason.user_comment if item.reason else None) or "",
        )
        for item in remote.items
    ]
    parcels = [
        {
            "waybill": p.waybill or "",
            "carrier_id": p.carrier_id or "",
            "transporting_waybill": p.transporting_waybill or "",
            "transporting_carrier_id": p.transporting_carrier_id or "",
            "created_at": p.created_at.isoformat() if p.created_at else "",
        }
        for p in remote.parcels
    ]
    rejection: dict[str, Any] = {}
    if remote.rejection is not None:
        rejection = {
            "code": remote.rejection.code or "",
            "reason": remote.rejection.reason or "",
            "created_at": remote.rejection.created_at.isoformat()
            if remote.rejection.created_at
            else "",
        }
    return ReturnData(
        return_id=remote.id or "",
        reference_number=remote.reference_number or "",
        order_form_id=remote.order_id or "",
        status=remote.status or "CREATED",
        buyer_login=(buyer.login if buyer else None) or "",
        buyer_email=(buyer.email if buyer else None) or "",
        created_at=remote.created_at,
        parcels=parcels,
        rejection=rejection,
        items=items,
        raw=remote.model_dump(mode="json", by_alias=True),
    )


# -- refund limits -------------------------------------------------------------------------------


@dataclass
class LineLimit:
    """What is left to refund of one line item: whole units and their value."""

    line_item_id: str
    name: str
    bought: int
    price: Decimal
    refunded_quantity: int = 0
    refunded_value: Decimal = ZERO

    @property
    def max_quantity(self) -> int:
        left_value = self.price * self.bought - self.refunded_value
        by_value = int(left_value // self.price) if self.price > 0 else 0
        return max(min(self.bought - self.refunded_quantity, by_value), 0)

    @property
    def max_amount(self) -> Decimal:
        return self.price * self.max_quantity


@dataclass
class RefundLimits:
    lines: dict[str, LineLimit]
    delivery_cost: Decimal
    delivery_refunded: Decimal = ZERO
    refunded_total: Decimal = ZERO
    currency: str = "PLN"
    problems: list[str] = field(default_factory=list)

    @property
    def delivery_max(self) -> Decimal:
        return max(self.delivery_cost - self.delivery_refunded, ZERO)

    @property
    def total_max(self) -> Decimal:
        return sum((line.max_amount for line in self.lines.values()), ZERO) + self.delivery_max


@dataclass(frozen=True)
class RefundedPart:
    """One refund's lines (units per line item) and delivery amount, remote or our own."""

    quantities: Mapping[str, int]
    values: Mapping[str, Decimal]
    delivery: Decimal
    total: Decimal


def refunded_part(remote: RefundDetails) -> RefundedPart:
    quantities: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    for item in remote.line_items:
        if not item.id:
            continue
        if item.type == "QUANTITY":
            quantities[item.id] = quantities.get(item.id, 0) + int(item.quantity or 0)
        elif item.value is not None and item.value.amount is not None:
            values[item.id] = values.get(item.id, ZERO) + item.value.amount
    delivery = ZERO
    if remote.delivery is not None and remote.delivery.value is not None:
        delivery = remote.delivery.value.amount or ZERO
    total = remote.total_value.amount if remote.total_value and remote.total_value.amount else ZERO
    return RefundedPart(quantities, values, delivery, total)


def refund_limits(
    form_raw: Mapping[str, Any], names: Mapping[str, str], parts: Iterable[RefundedPart]
) -> RefundLimits:
    """What Allegro still lets the seller refund: paid lines and delivery minus refunds so far."""
    currency = str(
        ((form_raw.get("summary") or {}).get("totalToPay") or {}).get("currency") or "PLN"
    )
    lines: dict[str, LineLimit] = {}
    for item in form_raw.get("lineItems") or []:
        line_id = str(item.get("id"))
        lines[line_id] = LineLimit(
            line_item_id=line_id,
            name=names.get(line_id) or str((item.get("offer") or {}).get("name") or ""),
            bought=int(item.get("quantity") or 0),
            price=Decimal(str((item.get("price") or {}).get("amount") or "0")),
        )
    cost = Decimal(str(((form_raw.get("delivery") or {}).get("cost") or {}).get("amount") or "0"))
    limits = RefundLimits(lines=lines, delivery_cost=cost, currency=currency)
    for part in parts:
        for line_id, quantity in part.quantities.items():
            if line_id in lines:
                lines[line_id].refunded_quantity += quantity
                lines[line_id].refunded_value += lines[line_id].price * quantity
        for line_id, value in part.values.items():
            if line_id in lines:
                lines[line_id].refunded_value += value
        limits.delivery_refunded += part.delivery
        limits.refunded_total += part.total
    return limits


def refund_request_lines(quantities: Mapping[str, int]) -> list[dict[str, Any]]:
    """``lineItems`` of the request: whole units of each line item."""
    return [
        {"id": line_id, "type": "QUANTITY", "quantity": quantity}
        for line_id, quantity in quantities.items()
        if quantity > 0
    ]


def same_refund(ours: RefundedPart, remote: RefundedPart) -> bool:
    """Whether a refund found on Allegro is the one we sent (its answer was lost)."""
    return (
        dict(ours.quantities) == dict(remote.quantities)
        and ours.delivery == remote.delivery
        and ours.total == remote.total
    )
