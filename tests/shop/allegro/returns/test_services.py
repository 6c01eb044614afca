"""Returns imported by polling, accepted (stock back once), rejected; refunds sent once."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from fake_allegro import Emulator
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroCustomerReturn,
    AllegroRefund,
    RefundState,
    ReturnDecision,
)
from shop.allegro.returns.services import (
    refund_create,
    refund_limits_fetch,
    refund_send,
    refunds_follow,
    return_accept,
    return_reject,
    returns_import,
)
from shop.catalog.models import Product, StockReason
from shop.core.errors import ApplicationError
from shop.orders.models import PaymentStatus
from tests.shop.allegro.returns.conftest import requests_to

pytestmark = pytest.mark.django_db


def test_import_reads_new_returns_and_follows_open_ones(
    allegro: Emulator, linked_account, sent_form, declare_return
) -> None:  # type: ignore[no-untyped-def]
    created = declare_return(sent_form, status="CREATED")

    first = returns_import(account=linked_account)
    assert (first.read, first.created) == (1, 1)
    row = AllegroCustomerReturn.objects.get(return_id=created["id"])
    assert row.form == sent_form
    assert row.status == "CREATED"
    (item,) = row.items.all()
    assert item.line is not None and item.quantity == 1 and item.reason == "DAMAGED"

    with allegro.http_client() as http:
        http.post(f"/_emulator/returns/{created['id']}/status", json={"status": "DELIVERED"})
    second = returns_import(account=linked_account)
    assert (second.updated, second.created) == (1, 0)
    row.refresh_from_db()
    assert row.status == "DELIVERED"
    assert row.parcels and row.parcels[0]["waybill"]
    again = returns_import(account=linked_account)
    assert again.unchanged == 1 and again.updated == 0


def test_accepting_puts_stock_back_exactly_once(
    allegro: Emulator, linked_account, sent_form, declare_return
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form, quantity=2)
    returns_import(account=linked_account)
    row = AllegroCustomerReturn.objects.get()
    product = Product.objects.get(pk=sent_form.order.items.get().product_id)
    before = product.stock

    return_accept(customer_return=row)
    return_accept(customer_return=row)  # a double click

    product.refresh_from_db()
    assert product.stock == before + 2
    moves = product.stock_movements.filter(reason=StockReason.RETURN)
    assert [m.delta for m in moves] == [2]
    row.refresh_from_db()
    assert row.decision == ReturnDecision.ACCEPTED
    assert row.items.get().stock_quantity_back == 2
    # A later cancellation of the order gives back only what the order still holds.
    assert row.items.get().line.stock_quantity_taken == 0  # type: ignore[union-attr]


def test_stock_given_back_by_a_cancellation_is_not_given_twice(
    allegro: Emulator, linked_account, sent_form, declare_return
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form, quantity=1)
    returns_import(account=linked_account)
    row = AllegroCustomerReturn.objects.get()
    row.items.get().line.__class__.objects.filter(form=sent_form).update(stock_returned=True)
    product = Product.objects.get(pk=sent_form.order.items.get().product_id)
    before = product.stock

    return_accept(customer_return=row)

    product.refresh_from_db()
    assert product.stock == before
    assert row.items.get().stock_quantity_back == 0


def test_reject_only_after_delivery_and_with_a_reason(
    allegro: Emulator, linked_account, sent_form, declare_return
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form, status="IN_TRANSIT")
    returns_import(account=linked_account)
    row = AllegroCustomerReturn.objects.get()
    with pytest.raises(ApplicationError):
        return_reject(customer_return=row, code="REFUND_REJECTED", reason="Uszkodzony")
    assert requests_to(allegro, "POST", "/rejection") == []

    row.status = "DELIVERED"
    with pytest.raises(ApplicationError):
        return_reject(customer_return=row, code="REFUND_REJECTED", reason=" ")
    # Allegro itself refuses it while the parcel is on its way: its message is shown.
    with pytest.raises(ApplicationError, match="dopiero po otrzymaniu"):
        return_reject(customer_return=row, code="REFUND_REJECTED", reason="Uszkodzony")
    with allegro.http_client() as http:
        http.post(f"/_emulator/returns/{row.return_id}/status", json={"status": "DELIVERED"})
    done = return_reject(customer_return=row, code="REFUND_REJECTED", reason="Uszkodzony")
    assert done.status == "REJECTED"
    assert done.decision == ReturnDecision.REJECTED
    assert done.rejection["code"] == "REFUND_REJECTED"


def test_refund_limits_and_over_refund_refused(
    allegro: Emulator, linked_account, sent_form
) -> None:  # type: ignore[no-untyped-def]
    limits = refund_limits_fetch(form=sent_form)
    (line_id,) = limits.lines
    assert limits.lines[line_id].max_quantity == 2
    assert limits.lines[line_id].max_amount == Decimal("100.00")
    with pytest.raises(ApplicationError):
        refund_create(
            form=sent_form, command_id=uuid.uuid4(), quantities={line_id: 3}, limits=limits
        )
    with pytest.raises(ApplicationError):
        refund_create(
            form=sent_form,
            command_id=uuid.uuid4(),
            quantities={},
            delivery_amount=limits.delivery_max + 1,
            limits=limits,
        )
    assert AllegroRefund.objects.count() == 0


def one_unit_refund(form: AllegroCheckoutForm) -> AllegroRefund:
    """A recorded (not sent) refund of one unit of the order's only line."""
    limits = refund_limits_fetch(form=form)
    (line_id,) = limits.lines
    return refund_create(form=form, command_id=uuid.uuid4(), quantities={line_id: 1}, limits=limits)


def test_full_refund_sets_the_order_refunded(allegro: Emulator, linked_account, sent_form) -> None:  # type: ignore[no-untyped-def]
    limits = refund_limits_fetch(form=sent_form)
    (line_id,) = limits.lines
    command = uuid.uuid4()
    refund = refund_create(
        form=sent_form,
        command_id=command,
        quantities={line_id: 2},
        delivery_amount=limits.delivery_max,
        limits=limits,
    )
    # A double submit of the same form gives back the same refund.
    assert refund_create(form=sent_form, command_id=command, quantities={line_id: 2}) == refund
    sent = refund_send(refund=refund)
    refund_send(refund=refund)

    assert sent.state == RefundState.SENT and sent.allegro_id
    assert len(requests_to(allegro, "POST", "/payments/refunds")) == 1
    order = sent_form.order
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("100.00") + limits.delivery_max
    assert order.payment_status == PaymentStatus.REFUNDED
    after = refund_limits_fetch(form=sent_form)
    assert after.lines[line_id].max_quantity == 0 and after.delivery_max == 0


def test_a_failed_send_is_retried_and_refunds_once(
    allegro: Emulator, linked_account, sent_form
) -> None:  # type: ignore[no-untyped-def]
    refund = one_unit_refund(sent_form)
    with allegro.http_client() as http:
        http.post(
            "/_emulator/faults",
            json={"method": "POST", "pathRegex": "^/payments/refunds", "status": 503, "rate": 1},
        )
    with pytest.raises(ApplicationError):
        refund_send(refund=refund)
    refund.refresh_from_db()
    assert refund.state == RefundState.PENDING
    with allegro.http_client() as http:
        http.delete("/_emulator/faults")

    sent = refund_send(refund=refund)

    assert sent.state == RefundState.SENT
    # Looked up on Allegro before the retry (nothing there), then sent once.
    assert len(requests_to(allegro, "GET", "/payments/refunds")) == 2
    refunds = allegro.world.orders.customer_returns.refunds  # type: ignore[union-attr]
    assert len(refunds) == 1
    sent_form.order.refresh_from_db()
    assert sent_form.order.payment_status == PaymentStatus.PARTIALLY_REFUNDED


def test_a_lost_answer_is_found_on_allegro_and_not_sent_again(
    allegro: Emulator, linked_account, sent_form
) -> None:  # type: ignore[no-untyped-def]
    refund = one_unit_refund(sent_form)
    refund_send(refund=refund)
    # The answer never arrived: the row still says pending.
    AllegroRefund.objects.filter(pk=refund.pk).update(state=RefundState.PENDING, allegro_id="")

    again = refund_send(refund=refund)

    assert again.state == RefundState.SENT and again.allegro_id
    assert len(requests_to(allegro, "POST", "/payments/refunds")) == 1
    assert len(allegro.world.orders.customer_returns.refunds) == 1  # type: ignore[union-attr]


def test_allegro_refusal_is_shown_and_final(allegro: Emulator, linked_account, sent_form) -> None:  # type: ignore[no-untyped-def]
    limits = refund_limits_fetch(form=sent_form)
    (line_id,) = limits.lines
    # Refunded meanwhile on Allegro's own site: our limits are out of date.
    first = refund_create(
        form=sent_form, command_id=uuid.uuid4(), quantities={line_id: 2}, limits=limits
    )
    refund_send(refund=first)
    stale = refund_create(
        form=sent_form, command_id=uuid.uuid4(), quantities={line_id: 1}, limits=limits
    )
    with pytest.raises(ApplicationError, match="ilość przekroczona"):
        refund_send(refund=stale)
    stale.refresh_from_db()
    assert stale.state == RefundState.FAILED
    assert "identyfikator błędu Allegro" in stale.error


def test_a_passing_failure_is_retried_with_the_same_command(
    allegro: Emulator, linked_account, sent_form
) -> None:  # type: ignore[no-untyped-def]
    refund = one_unit_refund(sent_form)
    with allegro.http_client() as http:
        http.post(
            "/_emulator/faults",
            json={
                "method": "POST",
                "pathRegex": "^/payments/refunds",
                "status": 503,
                "remaining": 1,
            },
        )

    sent = refund_send(refund=refund)

    assert sent.state == RefundState.SENT
    posts = requests_to(allegro, "POST", "/payments/refunds")
    assert [p["status"] for p in posts] == [503, 200]
    assert len(allegro.world.orders.customer_returns.refunds) == 1  # type: ignore[union-attr]


def test_a_refund_allegro_cancels_later_no_longer_counts(
    allegro: Emulator, linked_account, sent_form
) -> None:  # type: ignore[no-untyped-def]
    refund = refund_send(refund=one_unit_refund(sent_form))
    (line_id,) = refund_limits_fetch(form=sent_form).lines
    # Allegro took it in, then could not take the money from the seller's balance (#13740).
    AllegroRefund.objects.filter(pk=refund.pk).update(allegro_status="IN_PROGRESS")
    (remote,) = allegro.world.orders.customer_returns.refunds  # type: ignore[union-attr]
    remote["status"] = "CANCELED"

    assert refunds_follow(account=linked_account) == 1

    refund.refresh_from_db()
    assert refund.allegro_status == "CANCELED"
    sent_form.order.refresh_from_db()
    assert sent_form.order.refunded_amount == 0
    assert sent_form.order.payment_status == PaymentStatus.PAID
    assert refunds_follow(account=linked_account) == 0
    # The units can be refunded again.
    assert refund_limits_fetch(form=sent_form).lines[line_id].max_quantity == 2
