"""An Allegro order's money in the browser: every line the buyer paid, who funds a discount,
Smart!, the buyer's company, and the printout with the same lines."""

from __future__ import annotations

import subprocess

import pytest

from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.printouts import printout_pdf
from shop.allegro.orders.services.importer import orders_import
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

EXTRAS = {
    "deposit": True,
    "carryIn": True,
    "coupon": True,
    "surcharge": True,
    "smart": True,
    "note": True,
    "privateInvoice": True,
}


def test_order_page_and_printout_show_every_money_line(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    created = live_emulator.control(
        "/purchases",
        {
            "synthetic": True,
            "items": 3,
            "paymentType": "ONLINE",
            "companyBuyer": True,
            "extras": EXTRAS,
        },
    )
    orders_import(account=linked_live_account, sweep=False)
    mirror = AllegroCheckoutForm.objects.select_related("order").get(
        form_id=created["checkoutFormIds"][0]
    )
    order = mirror.order
    assert order is not None and order.customer_company

    page.goto(f"{page.base_url}/backend/allegro/orders/{mirror.pk}/")
    money = page.locator("#money")
    for label in (
        "Produkty",
        "Kaucja",
        "Usługi dodatkowe",
        "Dopłata",
        "Dostawa",
        "Razem do zapłaty",
        "Zapłacono",
    ):
        assert money.get_by_text(label, exact=False).count() >= 1, label
    assert "Smart!" in money.inner_text()
    assert "Kupon — już w cenie produktu" in money.inner_text()
    total_row = page.locator('#money tr[data-kind="total"]').inner_text()
    assert f"{order.total:.2f}".replace(".", ",") in total_row
    assert order.customer_company in page.locator("#buyer").inner_text()
    assert order.seller_note in page.locator("#seller-note").inner_text()
    assert "opłacone" in page.locator("#payment-status").inner_text()
    screenshot(page, "allegro_order_money")

    page.goto(f"{page.base_url}/backend/allegro/orders/")
    assert order.customer_company in page.locator("#order-list").inner_text()
    screenshot(page, "allegro_order_money_list")

    pdf = ARTIFACTS / "allegro_order_money.pdf"
    pdf.write_bytes(printout_pdf(form_ids=[mirror.pk]))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for label in ("Kaucja", "Usługi dodatkowe", "Dopłata", "Kupon", "Razem do zapłaty"):
        assert label in text, label
    assert order.customer_company in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / "allegro_order_money_pdf")],
        check=True,
    )
