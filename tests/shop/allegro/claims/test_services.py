"""Filing commission refund claims exactly once, following their state, finding candidates."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fake_allegro import Emulator
from fake_allegro.claims.state import claims_of as remote_claims
from fake_allegro.faults import Fault
from shop.allegro.claims.selectors import candidates_for, closing_soon_count
from shop.allegro.claims.services import claim_file, claims_file, claims_follow
from shop.allegro.models import (
    AllegroAccount,
    AllegroLineItem,
    AllegroRefund,
    AllegroRefundClaim,
    ClaimReason,
    ClaimStatus,
    RefundState,
)
from shop.allegro.orders.services.importer import orders_import
from shop.core.errors import ApplicationError
from shop.orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def purchase(emulator: Emulator, **payload: Any) -> str:
    with emulator.http_client() as http:
        response = http.post("/_emulator/purchases", json={"synthetic": True, **payload})
    assert response.status_code == 201, response.text
    return str(response.json()["checkoutFormIds"][0])


def requests_to(emulator: Emulator, method: str) -> list[dict[str, Any]]:
    return [
        e
        for e in emulator.requests.entries()
        if e["method"] == method and e["path"].startswith("/order/refund-claims")
    ]


def imported_item(emulator: Emulator, account: AllegroAccount, **payload: Any) -> AllegroLineItem:
    form_id = purchase(emulator, **{"items": 1, **payload})
    orders_import(account=account, sweep=False)
    return AllegroLineItem.objects.select_related("form", "form__order").filter(
        form__form_id=form_id
    )[0]


def post_fails_once(emulator: Emulator, status: int) -> None:
    fault = Fault(
        id="down", path_regex="^/order/refund-claims$", method="POST", status=status, remaining=1
    )
    emulator.faults.add(fault)


@pytest.fixture
def cancelled(allegro: Emulator, linked_account: AllegroAccount) -> AllegroLineItem:
    return imported_item(allegro, linked_account, cancel="BUYER_CANCELLED", cancelAfter="BOUGHT")


def test_a_cancelled_purchase_is_a_candidate_with_its_window_and_amount(
    cancelled: AllegroLineItem, linked_account: AllegroAccount
) -> None:
    (candidate,) = candidates_for(account=linked_account)

    assert candidate.item == cancelled
    assert candidate.reason == ClaimReason.CANCELLED
    assert candidate.is_open
    assert candidate.closes_at - candidate.opens_at == 45 * DAY
    assert candidate.at_stake == (cancelled.price * cancelled.quantity / 10).quantize(
        candidate.at_stake
    )


def test_paid_purchases_do_not_qualify_until_returned(
    allegro: Emulator, linked_account: AllegroAccount
) -> None:
    item = imported_item(allegro, linked_account)
    assert candidates_for(account=linked_account) == []

    order = item.form.order
    assert order is not None
    # Money went back, but through Allegro's site: which units came back is unknown, so the
    # line is not offered (the buyer may have kept it).
    order.refunded_amount = item.price
    order.save(update_fields=["refunded_amount"])
    assert candidates_for(account=linked_account) == []

    # The shop refunded one unit of the line: that unit is claimable.
    AllegroRefund.objects.create(
        account=linked_account,
        form=item.form,
        command_id=uuid.uuid4(),
        payment_id="p-1",
        lines=[{"line_item_id": item.line_item_id, "quantity": 1}],
        total=item.price,
        state=RefundState.SENT,
    )
    (candidate,) = candidates_for(account=linked_account)
    assert candidate.reason == ClaimReason.RETURNED
    assert candidate.quantity == 1

    # The whole order came back.
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.RETURNED)
    (candidate,) = candidates_for(account=linked_account)
    assert candidate.quantity == item.quantity


def test_an_unpaid_purchase_opens_after_the_time_to_pay(
    allegro: Emulator, linked_account: AllegroAccount
) -> None:
    imported_item(allegro, linked_account, stage="FILLED_IN")
    (candidate,) = candidates_for(account=linked_account)
    assert candidate.reason == ClaimReason.UNPAID
    assert not candidate.is_open

    with pytest.raises(ApplicationError):
        claim_file(account=linked_account, line_item=candidate.item)

    assert requests_to(allegro, "POST") == []
    later = candidates_for(account=linked_account, now=timezone.now() + 8 * DAY)
    assert later[0].is_open


def test_filing_sends_one_post_and_a_second_submit_sends_nothing(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    allegro.requests.clear()

    claim = claim_file(account=linked_account, line_item=cancelled)

    assert claim.status == ClaimStatus.IN_PROGRESS
    assert claim.claim_id in remote_claims(allegro.world).claims
    remote = remote_claims(allegro.world).claims[claim.claim_id]
    assert (claim.commission, claim.commission_estimated) == (remote.commission, False)
    with pytest.raises(ApplicationError):
        claim_file(account=linked_account, line_item=cancelled)
    assert len(requests_to(allegro, "POST")) == 1
    assert candidates_for(account=linked_account) == []


def test_after_a_server_error_the_retry_looks_up_first_and_files_once(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    post_fails_once(allegro, 503)
    allegro.requests.clear()

    with pytest.raises(ApplicationError):
        claim_file(account=linked_account, line_item=cancelled)
    claim = AllegroRefundClaim.objects.get(line_item=cancelled)
    assert claim.status == ClaimStatus.UNCONFIRMED
    assert claim.last_error
    assert len(requests_to(allegro, "POST")) == 1  # the client does not retry a POST

    claim = claim_file(account=linked_account, line_item=cancelled)

    assert claim.status == ClaimStatus.IN_PROGRESS
    assert not claim.commission_estimated  # read back after filing
    # Looked up before sending again, then the new claim read back.
    assert len(requests_to(allegro, "GET")) == 2
    assert len(requests_to(allegro, "POST")) == 2
    assert len(remote_claims(allegro.world).claims) == 1


def test_a_claim_that_reached_allegro_despite_the_error_is_taken_not_filed_again(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    post_fails_once(allegro, 504)
    with pytest.raises(ApplicationError):
        claim_file(account=linked_account, line_item=cancelled)
    # The gateway timed out, but Allegro had filed it (as its own site would show).
    with allegro.http_client() as http:
        tokens = http.post("/_emulator/tokens", json={}).json()
        filed = http.post(
            "/order/refund-claims",
            json={"lineItem": {"id": cancelled.line_item_id}, "quantity": 1},
            headers={
                "Authorization": f"Bearer {tokens['access_token']}",
                "Content-Type": "application/vnd.allegro.public.v1+json",
                "Accept": "application/vnd.allegro.public.v1+json",
            },
        )
    assert filed.status_code == 201, filed.text
    allegro.requests.clear()

    claim = claim_file(account=linked_account, line_item=cancelled)

    assert claim.claim_id == filed.json()["id"]
    assert claim.status == ClaimStatus.IN_PROGRESS
    assert not claim.commission_estimated
    assert requests_to(allegro, "POST") == []
    assert len(remote_claims(allegro.world).claims) == 1


def test_a_refusal_is_kept_with_allegros_message_and_not_resent(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    remote_claims(allegro.world).commission_rate = remote_claims(allegro.world).commission_rate * 0

    with pytest.raises(ApplicationError) as refused:
        claim_file(account=linked_account, line_item=cancelled)

    assert "zerowej prowizji" in refused.value.message
    claim = AllegroRefundClaim.objects.get(line_item=cancelled)
    assert claim.status == ClaimStatus.REFUSED
    with pytest.raises(ApplicationError):
        claim_file(account=linked_account, line_item=cancelled)
    assert len(requests_to(allegro, "POST")) == 1


def test_bulk_filing_and_following_until_granted(
    allegro: Emulator, linked_account: AllegroAccount
) -> None:
    items = [
        imported_item(allegro, linked_account, cancel="AUTO_CANCELLED", cancelAfter="BOUGHT")
        for _ in range(2)
    ]

    filed, errors = claims_file(line_item_ids=[i.pk for i in items])

    assert (filed, errors) == (2, [])
    assert claims_follow(account=linked_account)["checked"] == 2
    allegro.world.clock.advance(3 * 3600)
    counts = claims_follow(account=linked_account)
    assert counts["to_granted"] == 2
    assert set(AllegroRefundClaim.objects.values_list("status", flat=True)) == {"GRANTED"}
    assert claims_follow(account=linked_account) == {}


def test_the_reminder_counts_open_windows_closing_soon(
    cancelled: AllegroLineItem, linked_account: AllegroAccount
) -> None:
    assert closing_soon_count() == 0
    assert closing_soon_count(now=timezone.now() + 40 * DAY) == 1
    assert closing_soon_count(now=timezone.now() + 46 * DAY) == 0


def test_a_failed_read_back_leaves_the_claim_filed(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    allegro.faults.add(
        Fault(id="read", path_regex="^/order/refund-claims/.+", method="GET", status=404)
    )

    claim = claim_file(account=linked_account, line_item=cancelled)

    assert claim.status == ClaimStatus.IN_PROGRESS
    assert claim.claim_id in remote_claims(allegro.world).claims
    assert claim.commission_estimated
    assert claim.last_error == ""


def test_a_refusal_for_now_keeps_the_item_on_the_list_to_file_later(
    allegro: Emulator, linked_account: AllegroAccount, settings: Any
) -> None:
    """Allegro waits longer for the payment than the shop's setting: nothing is stored."""
    settings.ALLEGRO_CLAIM_UNPAID_WAIT_DAYS = 0
    item = imported_item(allegro, linked_account, stage="FILLED_IN")

    with pytest.raises(ApplicationError) as early:
        claim_file(account=linked_account, line_item=item)

    assert "czas na zapłatę" in early.value.message
    assert not AllegroRefundClaim.objects.exists()
    assert [c.item for c in candidates_for(account=linked_account)] == [item]
    remote_claims(allegro.world).min_wait_days = 0
    assert claim_file(account=linked_account, line_item=item).status == ClaimStatus.IN_PROGRESS


def test_a_submit_while_the_first_is_on_its_way_sends_nothing(
    allegro: Emulator, linked_account: AllegroAccount, cancelled: AllegroLineItem
) -> None:
    AllegroRefundClaim.objects.create(
        account=linked_account,
        line_item=cancelled,
        status=ClaimStatus.SENDING,
        sending_since=timezone.now(),
        attempts=1,
    )
    allegro.requests.clear()

    with pytest.raises(ApplicationError) as busy:
        claim_file(account=linked_account, line_item=cancelled)

    assert "właśnie wysyłany" in busy.value.message
    assert requests_to(allegro, "POST") == requests_to(allegro, "GET") == []
