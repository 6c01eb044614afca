"""A returned Allegro order in the browser: the Zwroty list, accept the return (stock back),
refund the buyer from the prefilled form, the order's payment shows the refund, and the
commission of the returned unit is claimed back."""

from __future__ import annotations

import pytest

from fake_allegro.orders.state import orders_of
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroRefund,
    AllegroRefundClaim,
    RefundState,
)
from shop.allegro.orders.services.importer import orders_import
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot
from tests.factories import emulator_offer_linked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sent_order(live_emulator, account):  # type: ignore[no-untyped-def]
    """An imported, paid order of 2 mugs (a linked product), sent to the buyer."""
    emulator = live_emulator.emulator
    product = Product.objects.create(name="Kubek ceramiczny", sku="KUB-1", price=50, stock=10)
    _mirror, remote = emulator_offer_linked(
        emulator.world.sale, account, product, price="50.00", available=10
    )
    created = live_emulator.control(
        "/purchases",
        {
            "offers": [
                {
                    "id": remote.id,
                    "name": "Kubek ceramiczny",
                    "quantity": 2,
                    "price": "50.00",
                    "externalId": "KUB-1",
                }
            ],
            "paymentType": "ONLINE",
            "items": 1,
            "extras": {},
        },
    )
    form_id = created["checkoutFormIds"][0]  # type: ignore[index]
    orders_of(emulator.world).forms[form_id].data.setdefault("fulfillment", {})["status"] = "SENT"
    orders_import(account=account, sweep=False)
    mirror = AllegroCheckoutForm.objects.select_related("order").get(form_id=form_id)
    product.refresh_from_db()
    return mirror, product


def test_returned_order_accepted_and_refunded(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    mirror, product = sent_order(live_emulator, linked_live_account)
    form_id = mirror.form_id
    stock_after_sale = product.stock
    line = mirror.raw["lineItems"][0]
    live_emulator.control(
        "/returns",
        {
            "checkoutFormId": form_id,
            "items": [{"lineItemId": line["id"], "quantity": 1, "reason": "DAMAGED"}],
            "status": "DELIVERED",
            "comment": "Pęknięte ucho",
        },
    )

    page.goto(f"{page.base_url}/backend/allegro/returns/")
    page.click("#returns-import-now")
    row = page.locator("#return-list tbody tr").first
    assert "Kubek ceramiczny" in row.inner_text()
    assert "towar uszkodzony" in row.inner_text()
    assert "dostarczony" in row.inner_text()
    screenshot(page, "allegro_returns_list")

    page.goto(f"{page.base_url}/backend/allegro/orders/{mirror.pk}/")
    section = page.locator("#returns")
    assert "Pęknięte ucho" in section.inner_text()
    section.locator(".accept-return").click()
    assert "wróciły na stan" in page.locator("body").inner_text()
    product.refresh_from_db()
    assert product.stock == stock_after_sale + 1
    screenshot(page, "allegro_order_returns_section")

    page.locator("#returns .refund-return").click()
    quantity = page.locator(f'input[name="qty_{line["id"]}"]')
    assert quantity.input_value() == "1"
    assert "2 szt." in page.locator("#refund-lines").inner_text()
    screenshot(page, "allegro_refund_form")
    page.click("#send-refund")

    assert "Zlecono zwrot 50,00 PLN" in page.locator("body").inner_text()
    assert "zwrócone częściowo" in page.locator("#payment-status").inner_text()
    assert "zrealizowany" in page.locator("#refunds").inner_text()
    # Allegro finished the return with the refund; the page shows it at once.
    assert "zakończony" in page.locator("#returns .return-status").inner_text()
    assert page.locator("#returns .refund-return").count() == 0
    refund = AllegroRefund.objects.get()
    assert refund.state == RefundState.SENT
    mirror.order.refresh_from_db()
    assert str(mirror.order.refunded_amount) == "50.00"
    screenshot(page, "allegro_order_refunded")

    # The returned unit's sale did not happen: its commission is claimed back from the same page,
    # for the one unit refunded (the buyer kept the other).
    claims = page.locator("#order-claims")
    assert "Kubek ceramiczny" in claims.inner_text()
    page.click("#file-order-claims")
    page.wait_for_selector('#order-claims [data-status="IN_PROGRESS"]')
    posted = [
        e
        for e in live_emulator.emulator.requests.entries()
        if e["method"] == "POST" and e["path"] == "/order/refund-claims"
    ]
    assert len(posted) == 1
    claim = AllegroRefundClaim.objects.get()
    assert claim.quantity == 1 and claim.line_item.line_item_id == line["id"]
    screenshot(page, "allegro_order_refund_claimed")


def test_return_rejected_with_a_reason(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    mirror, _product = sent_order(live_emulator, linked_live_account)
    line = mirror.raw["lineItems"][0]
    live_emulator.control(
        "/returns",
        {
            "checkoutFormId": mirror.form_id,
            "items": [{"lineItemId": line["id"], "quantity": 2, "reason": "DONT_LIKE_IT"}],
            "status": "DELIVERED",
        },
    )
    page.goto(f"{page.base_url}/backend/allegro/returns/")
    page.click("#returns-import-now")
    page.locator("#return-list tbody tr a").first.click()
    page.select_option("#reject-form select[name=code]", "REFUND_REJECTED")
    page.locator("#reject-form button[type=submit]").click()
    assert "Podaj powód odmowy" in page.locator("#reject-form").inner_text()
    page.fill("#reject-form textarea[name=reason]", "Towar nosi ślady używania")
    screenshot(page, "allegro_return_reject_form")
    page.locator("#reject-form button[type=submit]").click()

    assert "odrzucony" in page.locator("#return-status").inner_text()
    assert "Towar nosi ślady używania" in page.locator("body").inner_text()
    assert page.locator("#accept-return").count() == 0
    screenshot(page, "allegro_return_rejected")
