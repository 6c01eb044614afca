"""Commission refund claims ("wnioski o rabat transakcyjny"): the seller's claims and their rules.

What Allegro enforces on ``POST /order/refund-claims`` (allegro/allegro-api issues):

* one line item per claim (#3227), one claim per line item: a second one, even after the first
  was REJECTED, is refused with 422 ``ClaimExistsException`` (#9992);
* the claim must be filed within 45 days of the line item's ``boughtAt`` (#3001, #7749, #12649),
  else 422 ``CommissionRefundPeriodExpiredException`` (#7749);
* the quantity may not exceed what is still claimable of the line item: 422
  ``VALIDATION_ERROR`` "ilość przekroczona, dostępna: N, żądana: M" (#4710);
* no claim for a zero commission: 422 ``CommissionAmountException`` (#6744, #11656).

Not confirmed anywhere public: a minimum wait before an unpaid purchase may be claimed. Allegro's
community answer says the buyer has 7 days to pay before the purchase is cancelled and the claim
can be filed after that (spolecznosc.allegro.pl "jak odzyskać prowizję za zakup z rozpoczętą
płatnością"). The emulator refuses an unpaid, not cancelled purchase younger than
``min_wait_days`` with 422 ``CommissionRefundPeriodNotStartedException`` (a name of our own, so
that the emulator is not more lenient than Allegro may be); set ``min_wait_days`` to 0 to lift it.

The spec gives no reason field for a decision. A claim moves IN_PROGRESS → GRANTED (the sale
did not happen: cancelled, unpaid or returned) or REJECTED (it did) once ``decide_after`` has
passed on the world clock, or at once through the control API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_UP, Decimal
from typing import TYPE_CHECKING, Any

from fake_allegro.billing.state import billing_of
from fake_allegro.orders.state import StoredForm, iso, orders_of, parse_time

if TYPE_CHECKING:
    from fake_allegro.world import World

CLAIM_STATUSES = (
    "IN_PROGRESS",
    "WAITING_FOR_PAYMENT_REFUND",
    "GRANTED",
    "REJECTED",
    "REJECTED_AFTER_APPEAL",
    "CANCELLED",
    "APPEALED",
)
OPEN_STATUSES = ("IN_PROGRESS", "WAITING_FOR_PAYMENT_REFUND", "APPEALED")
CLAIM_WINDOW = timedelta(days=45)


@dataclass
class StoredClaim:
    id: str
    seller_id: str
    form_id: str
    line_item_id: str
    offer_id: str
    buyer_id: str
    bought_at: datetime
    bought_quantity: int
    quantity: int
    commission: Decimal
    currency: str
    created_at: datetime
    status: str = "IN_PROGRESS"
    type: str = "MANUAL"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "quantity": self.quantity,
            "commission": {"amount": float(self.commission), "currency": self.currency},
            "buyer": {"id": self.buyer_id},
            "createdAt": iso(self.created_at),
            "lineItem": {
                "id": self.line_item_id,
                "quantity": self.bought_quantity,
                "boughtAt": iso(self.bought_at),
                "offer": {"id": self.offer_id},
            },
            "type": self.type,
        }


@dataclass
class ClaimsState:
    claims: dict[str, StoredClaim] = field(default_factory=dict)
    # The sale commission the emulator charges: this share of the line item's price.
    commission_rate: Decimal = Decimal("0.10")
    min_wait_days: float = 7.0
    decide_after: timedelta = timedelta(hours=2)

    def for_line_item(self, line_item_id: str) -> StoredClaim | None:
        for claim in self.claims.values():
            if claim.line_item_id == line_item_id:
                return claim
        return None

    def of_seller(self, seller_id: str) -> list[StoredClaim]:
        found = [c for c in self.claims.values() if c.seller_id == seller_id]
        return sorted(found, key=lambda c: (c.created_at, c.id))


def claims_of(world: World) -> ClaimsState:
    state = getattr(world, "claims", None)
    if state is None:
        state = ClaimsState()
        world.claims = state
    return state


def find_line_item(
    world: World, seller_id: str, line_item_id: str
) -> tuple[StoredForm, dict[str, Any]] | None:
    for form in orders_of(world).seller_forms(seller_id):
        for item in form.data.get("lineItems") or []:
            if str(item.get("id")) == line_item_id:
                return form, item
    return None


def sale_happened(form: StoredForm) -> bool:
    """Paid, not cancelled and not returned: Allegro keeps its commission."""
    if form.status == "CANCELLED":
        return False
    if ((form.data.get("fulfillment") or {}).get("status")) == "RETURNED":
        return False
    return bool((form.data.get("payment") or {}).get("paidAmount"))


def commission_of(state: ClaimsState, item: dict[str, Any], quantity: int) -> Decimal:
    price = Decimal(str((item.get("price") or {}).get("amount") or 0))
    return (price * quantity * state.commission_rate).quantize(Decimal("0.01"), rounding=ROUND_UP)


def bought_at_of(form: StoredForm, item: dict[str, Any]) -> datetime:
    raw = item.get("boughtAt")
    return parse_time(str(raw)) if raw else form.bought_at


def decide(world: World, claim: StoredClaim, status: str | None = None) -> None:
    """Settle an open claim: ``status`` as given, else by whether the sale happened."""
    if status is None:
        form = orders_of(world).forms.get(claim.form_id)
        status = "REJECTED" if form is not None and sale_happened(form) else "GRANTED"
    claim.status = status
    if status == "GRANTED":
        # A granted claim comes back as a commission refund in the seller's billing entries.
        billing_of(world).add(
            claim.seller_id,
            "REF",
            claim.commission,
            world.now(),
            offer_id=claim.offer_id,
            order_id=claim.form_id,
        )


def settle_due(world: World, seller_id: str) -> None:
    """Claims past their processing time get their decision (called on every read)."""
    state = claims_of(world)
    now = world.now()
    for claim in state.of_seller(seller_id):
        if claim.status == "IN_PROGRESS" and now - claim.created_at >= state.decide_after:
            decide(world, claim)
