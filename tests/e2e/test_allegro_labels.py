# mypy: allow-untyped-defs
"""What a merchant reads on the order, scheduler and offer pages: words and Warsaw times."""

from __future__ import annotations

import re

import pytest

from shop.allegro.models import AllegroOffer
from shop.allegro.offers.services.importer import offers_import
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB, order_import_schedule
from shop.scheduler.services.runs import job_run
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Allegro's codes that must never reach the merchant's eyes on these pages.
RAW = re.compile(
    r"\b(CASH_ON_DELIVERY|ONLINE|OFFLINE|P24|PAYU|PL_NIP|ORLEN_PACZKA|PT\d+H|P\d+D"
    r"|READY_FOR_PROCESSING|FILLED_IN|events_read|forms_fetched|account_id)\b"
)
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}\d{2}:\d{2}")  # a date glued to its time


def visible_faults(page, selector: str = "body") -> list[str]:
    text = page.inner_text(selector)
    return RAW.findall(text) + STAMP.findall(text)


def test_order_scheduler_and_offer_pages_read_in_polish(
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    account = linked_live_account
    cod = live_emulator.control(
        "/purchases",
        {
            "synthetic": True,
            "count": 1,
            "items": 2,
            "companyBuyer": True,
            "paymentType": "CASH_ON_DELIVERY",
        },
    )["checkoutFormIds"][0]
    live_emulator.control("/purchases", {"synthetic": True, "count": 3, "paymentType": "ONLINE"})
    task = order_import_schedule(account=account)
    job_run(job=IMPORT_ORDERS_JOB, job_kwargs={"account_id": account.pk}, periodic_task_id=task.pk)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.base_url + "/backend/allegro/orders/")
    page.wait_for_selector(f'tr[data-form="{cod}"]')
    row = page.locator(f'tr[data-form="{cod}"]')
    assert "za pobraniem" in row.inner_text()
    assert "kupiono" in row.inner_text() and "wyślij do" in row.inner_text()
    assert visible_faults(page, "#order-list") == []
    # The status badges stay readable: each is at least as tall as a line of text.
    for height in row.locator(".order-status .bo-badge").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert height >= 14
    screenshot(page, "labels-orders-list")

    row.locator("a", has_text="Edycja").click()
    page.wait_for_selector("#payment-type")
    assert "za pobraniem" in page.inner_text("#payment-type")
    invoice = page.inner_text("#invoice")
    assert "NIP: " in invoice and invoice.count("NIP") == 1
    assert visible_faults(page) == []
    screenshot(page, "labels-order-detail")

    page.goto(page.base_url + "/backend/scheduler/")
    assert f"Import zamówień z Allegro — {account.login}" in page.inner_text("#scheduled-tasks")
    assert visible_faults(page, "#scheduled-tasks") == []
    screenshot(page, "labels-scheduler")

    offers_import(account=account)
    offer = AllegroOffer.objects.exclude(allegro_id="").order_by("id").first()
    assert offer is not None
    page.goto(page.base_url + f"/backend/allegro/offers/{offer.pk}/preview/")
    price = page.inner_text("#preview-price")
    assert re.search(r"\d,\d{2} zł", price), price
    assert visible_faults(page, "#offer-preview") == []
    screenshot(page, "labels-offer-preview")
