# mypy: allow-untyped-defs
"""The merchant imports an Allegro order, ships it with a waybill and prints it."""

from __future__ import annotations

import io

import pytest
from celery import current_app
from pypdf import PdfReader

from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroCheckoutForm
from shop.orders.models import OrderStatus
from tests.e2e.conftest import hold_requests, screenshot, wait_until_held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_ship_with_waybill_and_print(staff_page, linked_live_account, live_emulator):
    page = staff_page
    created = live_emulator.control("/purchases", {"synthetic": True, "count": 1, "items": 2})
    form_id = created["checkoutFormIds"][0]

    page.goto(page.base_url + "/backend/allegro/orders/")
    page.click("#import-now")
    page.wait_for_selector(f'tr[data-form="{form_id}"]')
    assert page.locator('#import-run [data-status="success"]').count() == 1
    form = AllegroCheckoutForm.objects.select_related("order").get(form_id=form_id)
    assert form.buyer_name in page.inner_text(f'tr[data-form="{form_id}"]')
    screenshot(page, "allegro-orders-list")

    page.click(f'tr[data-form="{form_id}"] a:has-text("Edycja")')
    page.wait_for_selector("#tracking-form")
    assert form.form_id in page.inner_text("#form-id")
    page.wait_for_selector("#shipment-list")
    page.select_option("#tracking-form select[name=carrier]", "INPOST")
    page.fill("#tracking-form input[name=waybill]", "620 111 222 333")
    assert page.is_checked("#tracking-form input[name=mark_sent]")
    page.click("#add-waybill")
    page.wait_for_selector('#shipment-list tr[data-waybill="620111222333"]')
    assert "wysłane" in page.inner_text("#fulfillment-status")
    assert "wysłane" in page.inner_text("#shop-status")
    screenshot(page, "allegro-order-sent")

    remote = orders_of(live_emulator.emulator.world).forms[form_id]
    assert remote.data["fulfillment"]["status"] == "SENT"
    assert [(s["carrierId"], s["waybill"]) for s in remote.shipments] == [
        ("INPOST", "620111222333")
    ]
    order = form.order
    assert order is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.SENT

    with page.expect_download() as info:
        page.click("#download-printout")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert form.buyer_name in text
    assert order.number in text
    for line in form.items.all():
        if line.external_id:
            assert line.external_id in text


def test_import_now_shows_the_run_until_it_ends(
    staff_page, linked_live_account, live_emulator, queued_tasks
):
    from shop.scheduler.models import TaskRun
    from shop.scheduler.registry import RUN_JOB_TASK

    page = staff_page
    created = live_emulator.control("/purchases", {"synthetic": True, "count": 1, "items": 1})
    form_id = created["checkoutFormIds"][0]
    page.goto(page.base_url + "/backend/allegro/orders/")
    button = page.locator("#import-now")

    held = hold_requests(page, "**/backend/allegro/orders/import/")
    button.click()
    wait_until_held(page, held)
    assert button.is_disabled()
    assert "Importuję…" in button.inner_text()
    screenshot(page, "allegro-orders-import-clicked")
    held[0].continue_()

    page.wait_for_selector('#import-run-status [data-status="queued"]')
    assert button.is_disabled()  # busy until the run ends
    assert page.locator(f'tr[data-form="{form_id}"]').count() == 0
    run = TaskRun.objects.get()
    assert [q[0] for q in queued_tasks] == [RUN_JOB_TASK] and queued_tasks[0][-1] == run.pk
    screenshot(page, "allegro-orders-import-queued")

    current_app.tasks[RUN_JOB_TASK](*queued_tasks[0][1:])  # the worker's turn
    # The status polled the run and, the run done, reloaded the page with the new order.
    page.wait_for_selector(f'tr[data-form="{form_id}"]')
    assert page.locator('#import-run-status [data-status="success"]').count() == 1
    assert button.is_enabled() and "Importuj teraz" in button.inner_text()
    assert TaskRun.objects.count() == 1
    screenshot(page, "allegro-orders-import-done")
