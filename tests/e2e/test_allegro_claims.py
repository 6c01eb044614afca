"""Commission refund claims in the browser: the list, filing in bulk, their state, the order page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shop.allegro.claims.jobs import follow_claims
from shop.allegro.models import AllegroLineItem, AllegroRefundClaim
from shop.allegro.orders.services.importer import orders_import
from shop.orders.models import Order, OrderStatus
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_file_claims_in_bulk_and_follow_their_state(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page

    def buy(**payload: object) -> str:
        created = live_emulator.control("/purchases", {"synthetic": True, "items": 1, **payload})
        return str(created["checkoutFormIds"][0])  # type: ignore[index]

    cancelled = [buy(cancel="BUYER_CANCELLED", cancelAfter="BOUGHT") for _ in range(3)]
    unpaid = buy(stage="FILLED_IN")
    returned = buy()
    orders_import(account=linked_live_account, sweep=False)
    items = {
        i.form.form_id: i
        for i in AllegroLineItem.objects.select_related("form", "form__order").filter(
            form__account=linked_live_account
        )
    }
    # The buyer sent the paid one back and got the money (the returns feature sets this).
    order = items[returned].form.order
    assert order is not None
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.RETURNED, refunded_amount=order.total
    )
    # One cancellation is old: its 45 days are nearly over.
    old = items[cancelled[1]].form
    old.bought_at = old.bought_at - timedelta(days=40)
    old.save(update_fields=["bought_at"])

    # One claim from its order page.
    page.goto(f"{page.base_url}/backend/allegro/orders/{items[cancelled[2]].form.pk}/")
    assert "zakup anulowany" in page.locator("#order-claims").inner_text()
    page.click("#file-order-claims")
    page.wait_for_selector('#order-claims [data-status="IN_PROGRESS"]')
    assert page.locator("#file-order-claims").count() == 0

    page.goto(f"{page.base_url}/backend/allegro/refund-claims/")
    rows = page.locator("#candidate-list tbody tr")
    assert rows.count() == 4
    soon = page.locator(f'tr[data-item="{items[cancelled[1]].line_item_id}"]')
    assert "wkrótce mija" in soon.inner_text()
    waiting = page.locator(f'tr[data-item="{items[unpaid].line_item_id}"]')
    assert waiting.locator("input[name=item]").is_disabled()
    assert "kupujący nie zapłacił" in waiting.inner_text()
    screenshot(page, "allegro_claims_candidates")

    page.locator("#candidate-list thead input[type=checkbox]").check()
    page.click("#file-claims")
    page.wait_for_selector("#claim-list [data-status]")

    assert "Złożono 3 wnioski o zwrot prowizji." in page.locator("body").inner_text()
    claims = page.locator("#claim-list tbody tr")
    assert claims.count() == 4
    assert page.locator('#claim-list [data-status="IN_PROGRESS"]').count() == 4
    assert page.locator("#candidate-list tbody tr").count() == 1  # the unpaid one waits

    # Allegro decides: refunds for the cancellations; the return it does not know of is refused.
    live_emulator.emulator.world.clock.advance(3 * 3600)
    counts = follow_claims(linked_live_account.pk)
    assert counts["to_granted"] == 3
    assert counts["to_rejected"] == 1

    page.reload()
    assert page.locator('#claim-list [data-status="GRANTED"]').count() == 3
    assert "przyznany" in page.locator("#claim-list").inner_text()
    assert "odrzucony" in page.locator("#claim-list").inner_text()
    screenshot(page, "allegro_claims")
    assert AllegroRefundClaim.objects.count() == 4
    assert len(live_emulator.emulator.world.claims.claims) == 4

    page.goto(f"{page.base_url}/backend/allegro/orders/{items[unpaid].form.pk}/")
    section = page.locator("#order-claims")
    assert "wniosek od" in section.inner_text()
    section.scroll_into_view_if_needed()
    screenshot(page, "allegro_claims_order_unpaid")
    page.goto(f"{page.base_url}/backend/allegro/orders/{items[cancelled[0]].form.pk}/")
    assert "przyznany" in page.locator("#order-claims").inner_text()
    screenshot(page, "allegro_claims_order_granted")
