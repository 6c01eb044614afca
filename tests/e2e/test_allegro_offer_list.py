from __future__ import annotations

import pytest
from celery import current_app

from shop.allegro.models import AllegroOffer, BulkListingJob, OfferStatus
from shop.allegro.models.sync import SyncCommand
from shop.allegro.sync.services.commands import COMMAND_TASK
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_price_similar_end_resume(staff_page, linked_live_account, live_emulator, request):
    page = staff_page
    demo_catalog_load(images=False)
    sale = live_emulator.emulator.world.sale
    page.goto(page.base_url + "/backend/allegro/offers/")
    page.click("#import-offers")
    page.wait_for_selector("#offer-list tr[data-allegro-id]")
    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    row = page.locator(f'#offer-list tr[data-offer="{offer.pk}"]')

    # Edit the price: only the price reaches Allegro.
    row.locator("a", has_text="Edycja").click()
    page.wait_for_url(f"**/offers/{offer.pk}/edit/")
    page.fill("#id_price", "44.90")
    page.click("button[name=save]")
    page.wait_for_selector('#offer-status[data-status="active"]', timeout=30_000)
    page.wait_for_selector('#offer-status[data-status="active"]', timeout=30_000)
    assert sale.offers[offer.allegro_id].price == "44.90"

    # List a similar one: a new draft prefilled from it.
    page.goto(page.base_url + "/backend/allegro/offers/")
    page.locator(
        f'#offer-list tr[data-offer="{offer.pk}"] button', has_text="Wystaw podobną"
    ).click()
    page.wait_for_url("**/offers/*/edit/")
    assert page.input_value("#id_name") == offer.name
    assert page.input_value("#id_category_id") == offer.category_id
    screenshot(page, "offer-similar-draft")

    # End, then resume: the request only queues the command (no worker runs here), the row
    # shows "w toku", and the page updates itself once the worker has read Allegro's report.
    queued_tasks = request.getfixturevalue("queued_tasks")
    page.goto(page.base_url + "/backend/allegro/offers/")
    row = page.locator(f'#offer-list tr[data-offer="{offer.pk}"]')
    for button, remote_status, status in (
        ("Zakończ", "ENDED", "ended"),
        ("Wznów", "ACTIVE", "active"),
    ):
        row.locator("button", has_text=button).click()
        row.locator(".offer-pending").wait_for()
        page.wait_for_selector('#offer-command[data-status="pending"]')
        command = SyncCommand.objects.order_by("pk").last()
        assert command is not None and queued_tasks[-1] == (COMMAND_TASK, command.pk)
        assert sale.offers[offer.allegro_id].status != remote_status
        if status == "ended":
            screenshot(page, "offer-list-end-in-progress")
        current_app.tasks[COMMAND_TASK](command.pk)  # the worker's turn
        row.locator(f".status-{status}").wait_for()
        page.wait_for_selector('#offer-command[data-status="done"]')
        assert sale.offers[offer.allegro_id].status == remote_status
        assert page.locator('#offer-command-results tr[data-state="success"]').count() == 1
        if status == "ended":
            screenshot(page, "offer-list-end-done")
    screenshot(page, "offer-list")


def test_bulk_list_five_products_and_watch_the_progress(
    staff_page, linked_live_account, live_emulator
):
    from shop.catalog.services.stock import stock_adjust

    page = staff_page
    demo_catalog_load(images=True)
    books = list(Product.objects.filter(sku__startswith="KS-").order_by("sku")[:5])
    for book in books:
        if book.stock < 1:
            stock_adjust(product=book, delta=3, reason="delivery")
    page.goto(page.base_url + "/backend/catalog/product/?q=KS-")
    for book in books:
        page.check(f'input[name="_selected_action"][value="{book.pk}"]')
    page.select_option("select[name=action]", "allegro_bulk_list")
    page.click("button[type=submit][name=index], .actions button[type=submit]")
    page.wait_for_url("**/backend/allegro/bulk/new/**")
    page.fill("#id_category_id", "66779")
    page.select_option("#id_shipping_rates_id", index=1)
    page.select_option("#id_return_policy_id", index=1)
    page.select_option("#id_implied_warranty_id", index=1)
    page.fill("#id_safety_text", "Produkt bezpieczny.")
    page.click("#dry-run")
    assert page.locator("#dry-run-results tr.dry-ok").count() == 5
    page.click("#start-bulk")
    page.wait_for_url("**/backend/allegro/bulk/*/")
    page.wait_for_selector('#bulk-progress[data-status="done"]', timeout=60_000)
    assert page.get_attribute("#bulk-bar", "value") == "100"
    assert page.inner_text("#bulk-done") == "5"
    screenshot(page, "bulk-listing-done")
    job = BulkListingJob.objects.get()
    assert (job.done, job.failed) == (5, 0)
    offers = AllegroOffer.objects.filter(status=OfferStatus.ACTIVE, product__in=books)
    assert offers.count() == 5
    assert all(
        live_emulator.emulator.world.sale.offers[o.allegro_id].status == "ACTIVE" for o in offers
    )
