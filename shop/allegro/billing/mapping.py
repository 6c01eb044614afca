"""Pure conversions of Allegro billing entries into our columns and fee groups."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from allegro_api.models.billing import BillingEntry
from shop.allegro.models.billing import FeeGroup

# Type ids by group. SUC is the sales commission (spec example); REF "Zwrot kosztów" credits a
# commission back when it names an order (allegro/allegro-api#12942, #5641) and an offer fee
# otherwise. Delivery fees carry the group "delivery-services" (spec example), and the ids
# below are read as delivery even where Allegro leaves the group out (#11306, #11955).
COMMISSION_TYPES = frozenset({"SUC"})
DELIVERY_TYPES = frozenset({"HB4", "XOR", "PKR"})
DELIVERY_GROUP_IDS = frozenset({"delivery-services"})
PROMOTION_TYPES = frozenset({"FEA"})
REFUND_TYPE = "REF"


def fee_group(entry: BillingEntry) -> FeeGroup:
    type_id = entry.type.id if entry.type else None
    group_id = entry.type.group.id if entry.type and entry.type.group else None
    has_order = bool(entry.order and entry.order.id)
    if type_id in COMMISSION_TYPES or (type_id == REFUND_TYPE and has_order):
        return FeeGroup.COMMISSION
    if type_id in DELIVERY_TYPES or group_id in DELIVERY_GROUP_IDS:
        return FeeGroup.DELIVERY
    if type_id in PROMOTION_TYPES:
        return FeeGroup.PROMOTION
    return FeeGroup.OTHER


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def entry_fields(entry: BillingEntry) -> dict[str, Any]:
    """The model columns of one entry (``entry_id`` and the account are set by the caller)."""
    assert entry.occurred_at is not None, "a billing entry without a date cannot be stored"
    value = entry.value
    tax = entry.tax
    return {
        "occurred_at": entry.occurred_at,
        "type_id": (entry.type.id if entry.type else None) or "",
        "type_name": ((entry.type.name if entry.type else None) or "")[:200],
        "group": fee_group(entry).value,
        "amount": (value.amount if value and value.amount is not None else Decimal("0.00")),
        "currency": (value.currency if value else None) or "PLN",
        "tax_percentage": _decimal(tax.percentage) if tax else None,
        "tax_annotation": (tax.annotation if tax else None) or "",
        "balance": entry.balance.amount if entry.balance else None,
        "offer_id": (entry.offer.id if entry.offer else None) or "",
        "offer_name": ((entry.offer.name if entry.offer else None) or "")[:255],
        "order_ref": (entry.order.id if entry.order else None) or "",
        "raw": entry.to_api(),
    }
