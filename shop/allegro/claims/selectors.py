"""Which sold line items may get their commission back, and the claims filed for them.

A line item qualifies when the sale did not happen (Allegro: "transakcja nie doszła do skutku",
allegro-api #3001): the purchase was cancelled, the buyer never paid, or the buyer returned the
goods (the shop order is RETURNED or money went back: ``refunded_amount`` / payment status).
Allegro takes the claim within ``ALLEGRO_CLAIM_WINDOW_DAYS`` (45) days of ``lineItems.boughtAt``
(#7749); an unpaid purchase is claimed once the buyer's time to pay is over
(``ALLEGRO_CLAIM_UNPAID_WAIT_DAYS``, 7: Allegro's community answer, not an API rule).

The commission at stake is an estimate, ``price × quantity × ALLEGRO_CLAIM_COMMISSION_RATE``
(the back office keeps no per-offer fee), until Allegro states it on the filed claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from shop.allegro.models import (
    FOLLOWED_STATUSES,
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroRefundClaim,
    ClaimReason,
    FormStatus,
    RefundState,
)
from shop.allegro.returns.mapping import NOT_REFUNDED
from shop.orders.models import OrderStatus, PaymentStatus

UNPAID_FORM_STATUSES = (FormStatus.BOUGHT, FormStatus.FILLED_IN)
RETURNED = (
    Q(form__order__status=OrderStatus.RETURNED)
    | Q(form__order__refunded_amount__gt=0)
    | Q(form__order__payment_status__in=[PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED])
)
QUALIFYING = (
    Q(form__status=FormStatus.CANCELLED) | Q(form__status__in=UNPAID_FORM_STATUSES) | RETURNED
)


def window_days() -> int:
    return int(settings.ALLEGRO_CLAIM_WINDOW_DAYS)


def unpaid_wait() -> timedelta:
    return timedelta(days=int(settings.ALLEGRO_CLAIM_UNPAID_WAIT_DAYS))


def commission_rate() -> Decimal:
    return Decimal(str(settings.ALLEGRO_CLAIM_COMMISSION_RATE))


def commission_estimate(price: Decimal, quantity: int) -> Decimal:
    return (price * quantity * commission_rate()).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Candidate:
    """A line item whose commission may be claimed, with its claim window."""

    item: AllegroLineItem
    reason: str
    quantity: int
    at_stake: Decimal
    opens_at: datetime
    closes_at: datetime
    now: datetime

    @property
    def form(self) -> AllegroCheckoutForm:
        return self.item.form

    @property
    def reason_label(self) -> str:
        return str(ClaimReason(self.reason).label)

    @property
    def is_open(self) -> bool:
        return self.opens_at <= self.now < self.closes_at

    @property
    def closing_soon(self) -> bool:
        return self.is_open and self.closes_at - self.now <= timedelta(
            days=int(settings.ALLEGRO_CLAIM_REMIND_DAYS)
        )

    @property
    def days_left(self) -> int:
        return max(0, (self.closes_at - self.now).days)


def reason_of(form: AllegroCheckoutForm) -> str:
    if form.status == FormStatus.CANCELLED:
        return ClaimReason.CANCELLED
    if form.status in UNPAID_FORM_STATUSES:
        return ClaimReason.UNPAID
    return ClaimReason.RETURNED


def returned_units(item: AllegroLineItem) -> int:
    """Units of the line whose sale did not happen because they came back.

    The whole line when the shop order is marked returned; otherwise the units refunded to the
    buyer through the shop (a refund made elsewhere names no lines, so nothing is claimed for
    a line the buyer may have kept). Needs ``form__refunds`` prefetched.
    """
    order = item.form.order
    if order is None:
        return 0
    if order.status == OrderStatus.RETURNED:
        return item.quantity
    refunded = sum(
        int(line["quantity"])
        for refund in item.form.refunds.all()
        if refund.state == RefundState.SENT and refund.allegro_status not in NOT_REFUNDED
        for line in refund.lines
        if str(line.get("line_item_id")) == item.line_item_id
    )
    return min(refunded, item.quantity)


def candidate_of(item: AllegroLineItem, now: datetime) -> Candidate | None:
    form = item.form
    bought_at = form.bought_at or form.created_at
    reason = reason_of(form)
    quantity = item.quantity
    if reason == ClaimReason.RETURNED:
        quantity = returned_units(item)
        if not quantity:
            return None
    opens_at = bought_at + unpaid_wait() if reason == ClaimReason.UNPAID else bought_at
    return Candidate(
        item=item,
        reason=reason,
        quantity=quantity,
        at_stake=commission_estimate(item.price, quantity),
        opens_at=opens_at,
        closes_at=bought_at + timedelta(days=window_days()),
        now=now,
    )


def _unclaimed(now: datetime) -> QuerySet[AllegroLineItem]:
    oldest = now - timedelta(days=window_days())
    return (
        AllegroLineItem.objects.filter(
            form__superseded_by__isnull=True,
            form__gone=False,
            form__bought_at__gt=oldest,
            refund_claim__isnull=True,
        )
        .filter(QUALIFYING)
        .select_related("form", "form__order")
        .prefetch_related("form__refunds")
    )


def candidates_for(
    *, account: AllegroAccount, now: datetime | None = None, form: AllegroCheckoutForm | None = None
) -> list[Candidate]:
    """Unclaimed qualifying line items of ``account`` (or of one form), deadline first."""
    now = now or timezone.now()
    items = _unclaimed(now).filter(form__account=account)
    if form is not None:
        items = items.filter(form=form)
    found = [c for item in items if (c := candidate_of(item, now)) is not None]
    return sorted(found, key=lambda c: (c.closes_at, c.item.pk))


def closing_soon(*, now: datetime | None = None) -> QuerySet[AllegroLineItem]:
    """Unclaimed qualifying line items (all accounts) whose window is open and closes within
    ``ALLEGRO_CLAIM_REMIND_DAYS``, the nearest deadline first."""
    now = now or timezone.now()
    remind = timedelta(days=int(settings.ALLEGRO_CLAIM_REMIND_DAYS))
    closing = now - timedelta(days=window_days()) + remind
    open_unpaid = Q(form__status__in=UNPAID_FORM_STATUSES, form__bought_at__lte=now - unpaid_wait())
    return (
        _unclaimed(now)
        .filter(form__bought_at__lte=closing, form__account__enabled=True)
        .filter(Q(form__status=FormStatus.CANCELLED) | open_unpaid | RETURNED)
        .order_by("form__bought_at", "pk")
    )


def closing_soon_count(*, now: datetime | None = None) -> int:
    return closing_soon(now=now).count()


def deadline_of(item: AllegroLineItem) -> datetime:
    bought_at = item.form.bought_at or item.form.created_at
    return bought_at + timedelta(days=window_days())


def claims_of(*, account: AllegroAccount) -> QuerySet[AllegroRefundClaim]:
    return (
        AllegroRefundClaim.objects.filter(account=account)
        .select_related("line_item", "line_item__form", "line_item__form__order")
        .order_by("-filed_at", "-created_at")
    )


def claims_followed(*, account: AllegroAccount) -> QuerySet[AllegroRefundClaim]:
    return AllegroRefundClaim.objects.filter(account=account, status__in=FOLLOWED_STATUSES)


def claim_of_form(form: AllegroCheckoutForm) -> list[AllegroRefundClaim]:
    return list(AllegroRefundClaim.objects.filter(line_item__form=form).select_related("line_item"))
