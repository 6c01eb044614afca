"""Customer returns: import (polled), accept (stock back once), reject; refunds to buyers.

No HTTP happens inside a transaction. A refund is written with its ``commandId`` before the
request; a refund whose answer was lost is looked up on Allegro (``GET /payments/refunds`` of
the payment) before it is sent again, and sent again only with the same ``commandId`` (Allegro
makes that idempotent), so a buyer is never refunded twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import (
    AllegroAPIError,
    AllegroClient,
    AllegroError,
    AllegroTransportError,
    ServerError,
)
from allegro_api.models.common import IdRef, Money
from allegro_api.models.returns import (
    CustomerReturn,
    RefundDelivery,
    RefundDetails,
    RefundLineItem,
    RefundRequest,
)
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroCustomerReturn,
    AllegroLineItem,
    AllegroRefund,
    AllegroReturnItem,
    RefundState,
    RejectionCode,
    ReturnDecision,
)
from shop.allegro.returns.mapping import (
    NOT_REFUNDED,
    REJECTABLE,
    ZERO,
    RefundedPart,
    RefundLimits,
    ReturnData,
    refund_limits,
    refunded_part,
    return_data,
    same_refund,
)
from shop.catalog.services.stock import StockChange, StockReason, stock_adjust_many
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write
from shop.orders.models import Order, OrderStatus
from shop.orders.payments import payment_status_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser | None

logger = logging.getLogger(__name__)

# The first import reads returns declared this far back; later ones from the newest known one.
FIRST_IMPORT_DAYS = 60
CREATED_OVERLAP = timedelta(minutes=10)
# Open returns are re-read by id, this many per request.
REFRESH_CHUNK = 50
FINAL_STATUSES = ("FINISHED", "FINISHED_APT", "REJECTED", "COMMISSION_REFUNDED")


# -- import ----------------------------------------------------------------------------------------


@dataclass
class ReturnsImportResult:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    requests: int = 0

    def as_counts(self) -> dict[str, int]:
        return asdict(self)


def _lines_by_offer(form: AllegroCheckoutForm | None) -> dict[str, AllegroLineItem]:
    if form is None:
        return {}
    return {line.offer_id: line for line in form.items.all()}


def _return_store(account: AllegroAccount, data: ReturnData) -> str:
    """Upsert one return and its items; "created", "updated" or "unchanged"."""
    with transaction.atomic():
        row = (
            AllegroCustomerReturn.objects.select_for_update()
            .filter(return_id=data.return_id)
            .first()
        )
        fields = data.row_fields()
        if row is not None:
            changed = any(getattr(row, k) != v for k, v in fields.items())
            if not changed:
                return "unchanged"
            for key, value in fields.items():
                setattr(row, key, value)
            row.raw = data.raw
            row.save()
            return "updated"
        form = AllegroCheckoutForm.objects.filter(form_id=data.order_form_id).first()
        row = AllegroCustomerReturn.objects.create(
            account=account, return_id=data.return_id, form=form, raw=data.raw, **fields
        )
        lines = _lines_by_offer(form)
        AllegroReturnItem.objects.bulk_create(
            AllegroReturnItem(
                customer_return=row,
                offer_id=item.offer_id,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
                currency=item.currency,
                reason=item.reason,
                reason_comment=item.reason_comment,
                line=lines.get(item.offer_id),
            )
            for item in data.items
        )
        return "created"


def returns_import(*, account: AllegroAccount) -> ReturnsImportResult:
    """Poll Allegro's returns (no event feed exists, #12460): new ones by ``createdAt``, then the
    still open ones again by id so their status and parcels follow."""
    result = ReturnsImportResult()
    client = client_for(account)
    newest = (
        AllegroCustomerReturn.objects.filter(account=account)
        .order_by("-allegro_created_at")
        .values_list("allegro_created_at", flat=True)
        .first()
    )
    since = (
        newest - CREATED_OVERLAP
        if newest is not None
        else timezone.now() - timedelta(days=FIRST_IMPORT_DAYS)
    )
    seen: set[str] = set()
    remotes: list[CustomerReturn] = []
    offset = 0
    while True:
        page = client.customer_returns.list(created_from=since, offset=offset)
        result.requests += 1
        remotes.extend(page.customer_returns)
        if len(page.customer_returns) < 1000:
            break
        offset += len(page.customer_returns)
    open_ids = list(
        AllegroCustomerReturn.objects.filter(account=account)
        .exclude(status__in=FINAL_STATUSES)
        .exclude(return_id__in=[r.id for r in remotes if r.id])
        .values_list("return_id", flat=True)
    )
    for start in range(0, len(open_ids), REFRESH_CHUNK):
        chunk = open_ids[start : start + REFRESH_CHUNK]
        page = client.customer_returns.list_by_ids(chunk)
        result.requests += 1
        remotes.extend(page.customer_returns)
    for remote in remotes:
        if not remote.id or remote.id in seen:
            continue
        seen.add(remote.id)
        result.read += 1
        outcome = _return_store(account, return_data(remote))
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


# -- accept / reject ----------------------------------------------------------------------------


def return_accept(
    *, customer_return: AllegroCustomerReturn, user: User = None
) -> AllegroCustomerReturn:
    """Accept the return: each returned item goes back on stock exactly once (a repeated or
    double click finds the items already back and changes nothing)."""
    with transaction.atomic():
        row = AllegroCustomerReturn.objects.select_for_update().get(pk=customer_return.pk)
        if row.decision == ReturnDecision.REJECTED:
            raise ApplicationError(_("Zwrot został odrzucony; nie można go już przyjąć."))
        items = list(
            row.items.select_related("line__order_item__order", "line__order_item__product")
            .filter(stock_returned=False)
            .order_by("pk")
        )
        line_ids = sorted({item.line_id for item in items if item.line_id is not None})
        lines = {
            line.pk: line
            for line in AllegroLineItem.objects.select_for_update()
            .filter(pk__in=line_ids)
            .order_by("pk")
        }
        changes: list[StockChange] = []
        for item in items:
            line = lines.get(item.line_id or 0)
            order_item = item.line.order_item if item.line is not None else None
            # Only units the order took and still holds (a cancellation gives the rest back).
            held = line.stock_quantity_taken if line and line.stock_taken else 0
            if line is not None and line.stock_returned:
                held = 0
            quantity = min(item.quantity, held)
            if quantity and order_item is not None and order_item.product_id is not None:
                assert line is not None
                changes.append(
                    StockChange(
                        order_item.product_id,
                        quantity,
                        order_item.order,
                        _("zwrot Allegro %(number)s") % {"number": row.reference_number},
                    )
                )
                line.stock_quantity_taken -= quantity
                item.stock_quantity_back = quantity
            item.stock_returned = True
        if changes:
            stock_adjust_many(changes=changes, reason=StockReason.RETURN, user=user)
        AllegroReturnItem.objects.bulk_update(items, ["stock_returned", "stock_quantity_back"])
        AllegroLineItem.objects.bulk_update(list(lines.values()), ["stock_quantity_taken"])
        if row.decision != ReturnDecision.ACCEPTED:
            row.decision = ReturnDecision.ACCEPTED
            row.decided_at = timezone.now()
            row.error = ""
            row.save(update_fields=["decision", "decided_at", "error", "updated_at"])
            audit_log_write(
                action="allegro.return_accepted",
                obj=row,
                user=user,
                changes={"items_back_on_stock": sum(c.delta for c in changes)},
            )
    return row


def return_reject(
    *, customer_return: AllegroCustomerReturn, code: str, reason: str, user: User = None
) -> AllegroCustomerReturn:
    """Refuse the refund on Allegro (``POST .../rejection``) in the states that allow it."""
    if code not in RejectionCode.values:
        raise ApplicationError(_("Wybierz powód odmowy."))
    if code == RejectionCode.REFUND_REJECTED and not reason.strip():
        raise ApplicationError(_("Podaj powód odmowy zwrotu wpłaty."))
    if customer_return.status not in REJECTABLE:
        raise ApplicationError(
            _("Zwrot można odrzucić dopiero, gdy przesyłka zwrotna dotrze do sprzedającego.")
        )
    if customer_return.decision == ReturnDecision.ACCEPTED:
        raise ApplicationError(_("Zwrot został już przyjęty."))
    client = client_for(customer_return.account)
    try:
        remote = client.customer_returns.reject(
            customer_return.return_id, code=code, reason=reason.strip() or None
        )
    except AllegroError as exc:
        customer_return.error = describe_error(exc)
        customer_return.save(update_fields=["error", "updated_at"])
        raise ApplicationError(customer_return.error) from exc
    data = return_data(remote)
    with transaction.atomic():
        row = AllegroCustomerReturn.objects.select_for_update().get(pk=customer_return.pk)
        for key, value in data.row_fields().items():
            setattr(row, key, value)
        row.raw = data.raw
        row.decision = ReturnDecision.REJECTED
        row.decided_at = timezone.now()
        row.error = ""
        row.save()
        audit_log_write(
            action="allegro.return_rejected", obj=row, user=user, changes={"code": code}
        )
    return row


# -- refunds ---------------------------------------------------------------------------------------


def _local_part(refund: AllegroRefund) -> RefundedPart:
    return RefundedPart(
        quantities={str(ln["line_item_id"]): int(ln["quantity"]) for ln in refund.lines},
        values={},
        delivery=refund.delivery_amount,
        total=refund.total,
    )


def refund_limits_fetch(*, form: AllegroCheckoutForm) -> RefundLimits:
    """What Allegro still lets the seller refund: its list of the payment's refunds (which also
    has refunds made on Allegro's site), plus ours not confirmed yet."""
    payment_id = _payment_id(form)
    remote = client_for(form.account).refunds.for_payment(payment_id) if payment_id else []
    return _limits(form, remote)


def _limits(form: AllegroCheckoutForm, remote: list[RefundDetails]) -> RefundLimits:
    parts = [refunded_part(r) for r in remote if r.status not in NOT_REFUNDED]
    known = {r.id for r in remote}
    pending = AllegroRefund.objects.filter(form=form, state=RefundState.PENDING)
    parts += [_local_part(r) for r in pending if r.allegro_id not in known]
    names = {line.line_item_id: line.offer_name for line in form.items.all()}
    return refund_limits(form.raw, names, parts)


def _payment_id(form: AllegroCheckoutForm) -> str:
    return str((form.raw.get("payment") or {}).get("id") or "")


def refund_create(
    *,
    form: AllegroCheckoutForm,
    command_id: uuid.UUID,
    quantities: Mapping[str, int],
    delivery_amount: Decimal = ZERO,
    customer_return: AllegroCustomerReturn | None = None,
    reason: str = "REFUND",
    limits: RefundLimits | None = None,
    user: User = None,
) -> AllegroRefund:
    """Record a refund (not sent yet). The form's ``command_id`` makes a double submit return
    the refund the first submit recorded."""
    existing = AllegroRefund.objects.filter(command_id=command_id).first()
    if existing is not None:
        return existing
    payment_id = _payment_id(form)
    if not payment_id:
        raise ApplicationError(_("To zamówienie nie ma płatności, którą można zwrócić."))
    if limits is None:
        limits = _limits(form, [])
    wanted = {k: int(v) for k, v in quantities.items() if int(v) > 0}
    total = delivery_amount
    lines: list[dict[str, Any]] = []
    for line_id, quantity in wanted.items():
        limit = limits.lines.get(line_id)
        if limit is None:
            raise ApplicationError(_("Pozycja nie należy do tego zamówienia."))
        if quantity > limit.max_quantity:
            raise ApplicationError(
                _("%(name)s: można zwrócić najwyżej %(max)d szt.")
                % {"name": limit.name, "max": limit.max_quantity}
            )
        amount = limit.price * quantity
        total += amount
        lines.append(
            {
                "line_item_id": line_id,
                "quantity": quantity,
                "amount": str(amount),
                "name": limit.name,
            }
        )
    if delivery_amount < 0 or delivery_amount > limits.delivery_max:
        raise ApplicationError(
            _("Za dostawę można zwrócić najwyżej %(max)s %(currency)s.")
            % {"max": limits.delivery_max, "currency": limits.currency}
        )
    if delivery_amount != delivery_amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("Kwota może mieć najwyżej dwa miejsca po przecinku."))
    if not lines and delivery_amount <= 0:
        raise ApplicationError(_("Wskaż, co zwrócić: liczbę sztuk produktów lub kwotę za dostawę."))
    with transaction.atomic():
        AllegroCheckoutForm.objects.select_for_update().filter(pk=form.pk).first()
        again = AllegroRefund.objects.filter(command_id=command_id).first()
        if again is not None:
            return again
        refund = AllegroRefund.objects.create(
            account=form.account,
            form=form,
            customer_return=customer_return,
            command_id=command_id,
            payment_id=payment_id,
            reason=reason,
            lines=lines,
            delivery_amount=delivery_amount,
            total=total,
            currency=limits.currency,
        )
        audit_log_write(
            action="allegro.refund_created",
            obj=refund,
            user=user,
            changes={"total": str(total), "command_id": str(command_id)},
        )
    return refund


def _request(refund: AllegroRefund) -> RefundRequest:
    delivery = None
    if refund.delivery_amount > 0:
        delivery = RefundDelivery(
            value=Money(amount=refund.delivery_amount, currency=refund.currency)
        )
    return RefundRequest(
        payment=IdRef(id=refund.payment_id),
        order=IdRef(id=refund.form.form_id),
        command_id=str(refund.command_id),
        reason=refund.reason,
        line_items=[
            RefundLineItem(id=ln["line_item_id"], type="QUANTITY", quantity=int(ln["quantity"]))
            for ln in refund.lines
        ]
        or None,
        delivery=delivery,
    )


def _already_on_allegro(refund: AllegroRefund, remote: list[RefundDetails]) -> RefundDetails | None:
    """The refund a lost answer left behind: same lines and amounts, not claimed by another of
    our refunds."""
    claimed = set(
        AllegroRefund.objects.filter(form=refund.form)
        .exclude(pk=refund.pk)
        .exclude(allegro_id="")
        .values_list("allegro_id", flat=True)
    )
    ours = _local_part(refund)
    for candidate in remote:
        if candidate.id in claimed or candidate.status in NOT_REFUNDED:
            continue
        if same_refund(ours, refunded_part(candidate)):
            return candidate
    return None


def refund_send(*, refund: AllegroRefund) -> AllegroRefund:
    """Send a recorded refund once. A refund tried before (its answer lost) is first looked for
    on Allegro; only when it is not there is it sent again, with the same ``commandId``."""
    with transaction.atomic():
        row = AllegroRefund.objects.select_for_update().select_related("form").get(pk=refund.pk)
        if row.state != RefundState.PENDING:
            return row
        tried_before = row.attempts > 0
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
    client = client_for(row.account)
    try:
        found = None
        if tried_before:
            found = _already_on_allegro(row, client.refunds.for_payment(row.payment_id))
        remote = found or client.refunds.create(_request(row))
    except (AllegroTransportError, ServerError) as exc:
        # The answer may be lost: the refund stays pending and is looked up before a retry.
        row.error = describe_error(exc)
        row.save(update_fields=["error", "updated_at"])
        raise ApplicationError(row.error) from exc
    except AllegroAPIError as exc:
        row.state = RefundState.FAILED
        row.error = describe_error(exc)
        row.save(update_fields=["state", "error", "updated_at"])
        raise ApplicationError(row.error) from exc
    with transaction.atomic():
        row = AllegroRefund.objects.select_for_update().select_related("form").get(pk=row.pk)
        row.state = RefundState.SENT
        row.allegro_id = remote.id or ""
        row.allegro_status = remote.status or ""
        row.raw = remote.model_dump(mode="json", by_alias=True)
        row.error = ""
        row.save()
        order_refunds_apply(form=row.form)
    if row.customer_return_id is not None:
        _return_refresh(client, row.customer_return_id)
    return row


def _return_refresh(client: AllegroClient, customer_return_pk: int) -> None:
    """Read the return again after its refund: Allegro finishes it (no feed tells us)."""
    customer_return = AllegroCustomerReturn.objects.select_related("account").get(
        pk=customer_return_pk
    )
    try:
        remote = client.customer_returns.get(customer_return.return_id)
    except AllegroError as exc:
        logger.info("return %s not refreshed: %s", customer_return.return_id, exc)
        return
    _return_store(customer_return.account, return_data(remote))


def refunds_retry(*, account: AllegroAccount) -> int:
    """Send again the account's refunds whose answer was lost (each looked up first)."""
    sent = 0
    for refund in AllegroRefund.objects.filter(account=account, state=RefundState.PENDING):
        try:
            refund_send(refund=refund)
            sent += 1
        except ApplicationError:
            logger.info("refund %s still pending", refund.pk)
    return sent


# Allegro may still cancel these (no funds on the seller's balance within its window, #13740).
OPEN_REFUND_STATUSES = ("NEW", "VALIDATED", "IN_PROGRESS", "WAITING")


def refunds_follow(*, account: AllegroAccount) -> int:
    """Read again the refunds Allegro has not finished; a cancelled one no longer counts as
    money given back (the order's payment state follows)."""
    changed = 0
    open_refunds = AllegroRefund.objects.filter(
        account=account, state=RefundState.SENT, allegro_status__in=OPEN_REFUND_STATUSES
    ).exclude(allegro_id="")
    client = client_for(account) if open_refunds.exists() else None
    for refund in open_refunds.select_related("form"):
        assert client is not None
        found = client.refunds.list(refund_id=refund.allegro_id).refunds
        if not found or found[0].status == refund.allegro_status:
            continue
        with transaction.atomic():
            row = AllegroRefund.objects.select_for_update().get(pk=refund.pk)
            row.allegro_status = found[0].status or ""
            row.raw = found[0].model_dump(mode="json", by_alias=True)
            row.save(update_fields=["allegro_status", "raw", "updated_at"])
            order_refunds_apply(form=refund.form)
        changed += 1
    return changed


def order_refunds_apply(*, form: AllegroCheckoutForm) -> Order | None:
    """The shop order's refunded amount and payment state follow the refunds sent."""
    if form.order_id is None:
        return None
    refunded = sum(
        (
            r.total
            for r in AllegroRefund.objects.filter(form=form, state=RefundState.SENT).exclude(
                Q(allegro_status__in=NOT_REFUNDED)
            )
        ),
        ZERO,
    )
    order = Order.objects.select_for_update().get(pk=form.order_id)
    order.refunded_amount = refunded
    order.payment_status = payment_status_for(
        total=order.total,
        paid=order.paid_amount,
        refunded=refunded,
        cancelled=order.status == OrderStatus.CANCELLED,
    )
    order.save(update_fields=["refunded_amount", "payment_status", "updated_at"])
    return order


__all__ = [
    "ReturnsImportResult",
    "order_refunds_apply",
    "refund_create",
    "refund_limits_fetch",
    "refund_send",
    "refunds_follow",
    "refunds_retry",
    "return_accept",
    "return_reject",
    "returns_import",
]
