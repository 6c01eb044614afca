"""Wysyłam z Allegro in the browser: one order shipped from its page, its label downloaded and
its number on the order in Allegro."""

from __future__ import annotations

import subprocess

import pytest

from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroCheckoutForm, AllegroParcel, ParcelState
from shop.allegro.orders.services.importer import orders_import
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_one_order_shipped_from_its_page(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    created = live_emulator.control(
        "/purchases",
        {"synthetic": True, "delivery": "inpost-lockers", "paymentType": "CASH_ON_DELIVERY"},
    )
    form_id = str(created["checkoutFormIds"][0])
    orders_import(account=linked_live_account, sweep=False)
    mirror = AllegroCheckoutForm.objects.get(form_id=form_id)

    page.goto(f"{page.base_url}/backend/allegro/orders/{mirror.pk}/")
    section = page.locator("#parcel-section")
    point = mirror.raw["delivery"]["pickupPoint"]["id"]
    assert page.locator("#parcel-form [name=point]").input_value() == point
    assert page.locator("#parcel-form [name=cod_amount]").input_value() == f"{mirror.total}"
    section.scroll_into_view_if_needed()
    screenshot(page, "allegro_parcel_form")

    page.fill("#parcel-form [name=weight]", "30")
    page.click("#parcel-create")
    page.wait_for_selector("#parcel-form .bo-error, #parcel-form .errorlist")
    assert "25" in page.locator("#parcel-form").inner_text()
    screenshot(page, "allegro_parcel_refused")

    page.fill("#parcel-form [name=weight]", "2.5")
    page.click("#parcel-create")
    page.wait_for_selector("#parcel-list .parcel-label")
    parcel = AllegroParcel.objects.get(form=mirror, state=ParcelState.CREATED)
    assert parcel.waybill in page.locator("#parcel-list").inner_text()
    screenshot(page, "allegro_parcel_created")

    with page.expect_download() as download:
        page.click("#parcel-list .parcel-label-a6")
    pdf = ARTIFACTS / "allegro_parcel_label.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "allegro_parcel_label"),
        ],
        check=True,
    )
    tracking = orders_of(live_emulator.emulator.world).forms[form_id].shipments
    assert [s["waybill"] for s in tracking] == [parcel.waybill]

    page.click("#parcel-settings-link")
    page.fill("#parcel-settings-form [name=sender_name]", "Sklep Demo sp. z o.o.")
    page.click("#parcel-settings-save")
    page.wait_for_selector("#parcel-settings-form")
    assert page.locator("#parcel-settings-form [name=sender_name]").input_value() == (
        "Sklep Demo sp. z o.o."
    )
    screenshot(page, "allegro_parcel_settings")


def test_ten_orders_shipped_in_bulk_from_the_order_list(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    deliveries = ("dpd", "inpost-lockers", "inpost-courier", "orlen", "one-box")
    for index in range(10):
        live_emulator.control(
            "/purchases", {"synthetic": True, "delivery": deliveries[index % len(deliveries)]}
        )
    live_emulator.control("/purchases", {"synthetic": True, "delivery": "dhl"})
    orders_import(account=linked_live_account, sweep=False)

    page.goto(f"{page.base_url}/backend/allegro/orders/")
    page.locator("#order-list thead input[type=checkbox]").check()
    page.click("#create-parcels")
    page.wait_for_selector("#parcel-batch[data-status=done]")
    assert page.locator("#batch-created").inner_text() == "10"
    assert page.locator("#batch-failed").inner_text() == "1"
    assert "nie jest obsługiwana" in page.locator("#batch-rows").inner_text()
    screenshot(page, "allegro_parcel_batch")

    with page.expect_download() as download:
        page.click("#batch-labels")
    pdf = ARTIFACTS / "allegro_parcel_batch_labels.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().count(b"/Type /Page ") == 3  # four labels per A4 sheet
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "allegro_parcel_batch_labels"),
        ],
        check=True,
    )
    labels = [
        e
        for e in live_emulator.emulator.requests.entries()
        if e["method"] == "POST" and e["path"] == "/shipment-management/label"
    ]
    assert len(labels) == 1
    with page.expect_download() as download:
        page.click(".batch-protocol[data-carrier=DPD]")
    protocol = ARTIFACTS / "allegro_parcel_protocol.pdf"
    download.value.save_as(protocol)
    assert protocol.read_bytes().startswith(b"%PDF-")

    page.click(".batch-pickup[data-carrier=DPD]")
    page.wait_for_selector("#pickup-form")
    screenshot(page, "allegro_parcel_pickup")
    page.click("#pickup-create")
    page.wait_for_selector("#batch-pickup-done")
    assert "PU" in page.locator("#batch-pickup-done").inner_text()
