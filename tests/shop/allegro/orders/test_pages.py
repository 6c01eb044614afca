"""The Allegro order pages: list, filters, import settings, quarantine, order page, linking."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroOffer,
    OrderImportState,
    OrderQuarantine,
    StockPoint,
)
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB, order_import_schedule
from shop.catalog.models import Product
from shop.core.models import AuditLogEntry
from shop.orders.models import Order, OrderStatus
from shop.scheduler.models import RunStatus, RunTrigger, TaskRun
from shop.scheduler.services.runs import job_run

pytestmark = pytest.mark.django_db


def purchase(emulator: Emulator, **payload: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post("/_emulator/purchases", json={"synthetic": True, **payload})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def imported(allegro, linked_account):  # type: ignore[no-untyped-def]
    def make(**payload: Any) -> list[AllegroCheckoutForm]:
        created = purchase(allegro, **payload)
        orders_import(account=linked_account, sweep=False)
        return list(
            AllegroCheckoutForm.objects.filter(
                form_id__in=created["checkoutFormIds"]
            ).select_related("order")
        )

    return make


def test_list_shows_orders_with_a_flat_query_count(  # type: ignore[no-untyped-def]
    site_client, imported, django_assert_max_num_queries
):
    forms = imported(count=3)
    url = reverse("allegro:orders")
    with django_assert_max_num_queries(25) as few:
        response = site_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for form in forms:
        assert form.form_id in html
        assert form.order.number in html
        assert form.buyer_login in html
    assert "Ostatni udany import" in html
    assert "Importuj teraz" in html
    imported(count=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert site_client.get(url).status_code == 200


def test_filters_and_search(site_client, imported):  # type: ignore[no-untyped-def]
    forms = imported(count=4)
    target = forms[0]
    Order.objects.update(needs_attention=False)
    Order.objects.filter(pk=target.order.pk).update(needs_attention=True, attention_reason="x")
    url = reverse("allegro:orders")
    html = site_client.get(url, {"attention": "1"}).content.decode()
    assert target.form_id in html
    assert all(f.form_id not in html for f in forms[1:])
    html = site_client.get(url, {"q": target.buyer_login}).content.decode()
    assert target.form_id in html
    html = site_client.get(url, {"q": target.form_id[:8]}).content.decode()
    assert target.form_id in html
    offer = target.items.first()
    html = site_client.get(url, {"q": offer.offer_name}).content.decode()
    assert target.form_id in html
    AllegroCheckoutForm.objects.filter(pk=forms[1].pk).update(fulfillment_status="SUSPENDED")
    html = site_client.get(url, {"fulfillment": "SUSPENDED"}).content.decode()
    assert forms[1].form_id in html
    assert all(f.form_id not in html for f in forms if f != forms[1])
    # Bad values are ignored, never a 500.
    response = site_client.get(url, {"date_from": "jutro", "status": "X", "page": "abc"})
    assert response.status_code == 200
    html = site_client.get(
        url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    ).content.decode()
    assert all(f.form_id not in html for f in forms)


def test_import_now_queues_the_job_and_the_page_follows_it(  # type: ignore[no-untyped-def]
    site_client, allegro, linked_account, django_capture_on_commit_callbacks
):
    created = purchase(allegro, count=2)
    allegro.requests.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = site_client.post(reverse("allegro:orders_import"))
    # The request only records the run and queues it: nothing was asked of Allegro yet.
    assert response.status_code == 302
    assert allegro.requests.entries() == []
    run = TaskRun.objects.get(job=IMPORT_ORDERS_JOB)
    assert run.status == RunStatus.QUEUED
    assert len(queued) == 1
    html = site_client.get(reverse("allegro:orders")).content.decode()
    assert "w kolejce" in html
    assert reverse("scheduler:run_status", args=[run.pk]) in html  # the page polls it

    queued[0]()  # the worker takes the task
    run.refresh_from_db()
    assert (run.status, run.trigger) == (RunStatus.SUCCESS, RunTrigger.MANUAL)
    assert run.counts["orders_created"] == 2
    assert Order.objects.filter(external_id__in=created["checkoutFormIds"]).count() == 2
    assert OrderImportState.objects.get(account=linked_account).last_success_at is not None
    fragment = site_client.get(reverse("scheduler:run_status", args=[run.pk])).content.decode()
    assert "sukces" in fragment and "nowe zamówienia: 2" in fragment
    assert "orders_created" not in fragment
    assert "hx-trigger" not in fragment  # finished: no more polling


def test_import_settings_validate_in_polish_and_are_audited(site_client, linked_account):  # type: ignore[no-untyped-def]
    url = reverse("allegro:orders_import_settings")
    response = site_client.post(
        url, {"stock_point": "BOUGHT", "backfill_days": "400", "sweep_every_minutes": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "najwyżej 365 dni" in html
    assert "co najmniej 1 minutę" in html
    response = site_client.post(
        url, {"stock_point": "BOUGHT", "backfill_days": "7", "sweep_every_minutes": "15"}
    )
    assert response.status_code == 302
    state = OrderImportState.objects.get(account=linked_account)
    assert (state.stock_point, state.backfill_days, state.sweep_every_minutes) == (
        StockPoint.BOUGHT,
        7,
        15,
    )
    entry = AuditLogEntry.objects.get(action="allegro.order_import_settings")
    assert entry.changes["backfill_days"] == "7"


def test_quarantined_form_is_listed_and_retried(site_client, allegro, linked_account, imported):  # type: ignore[no-untyped-def]
    form = imported(count=1)[0]
    entry = OrderQuarantine.objects.create(
        account=linked_account, form_id=form.form_id, error="ValueError: zepsuty formularz"
    )
    html = site_client.get(reverse("allegro:orders")).content.decode()
    assert "zepsuty formularz" in html
    response = site_client.post(
        reverse("allegro:orders_quarantine_retry", args=[entry.pk]), follow=True
    )
    assert "zostało zaimportowane" in response.content.decode()
    assert not OrderQuarantine.objects.filter(pk=entry.pk).exists()


def test_order_page_shows_the_checkout_form(site_client, allegro, imported):  # type: ignore[no-untyped-def]
    form = imported(count=1, paymentType="ONLINE")[0]
    raw = orders_of(allegro.world).forms[form.form_id].data
    response = site_client.get(reverse("allegro:order_detail", args=[form.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert form.form_id in html
    assert raw["buyer"]["login"] in html
    assert raw["buyer"]["email"] in html
    for item in raw["lineItems"]:
        assert item["offer"]["name"] in html
    assert "Pobierz wydruk" in html
    assert "Historia statusów" in html
    assert "Dodaj numer przesyłki" in html
    if raw.get("messageToSeller"):
        assert raw["messageToSeller"] in html


@pytest.mark.django_db(transaction=True)
def test_save_sends_the_status_and_shows_it(site_client, allegro, imported):  # type: ignore[no-untyped-def]
    # A real commit: the seller status is sent before the page answers.
    form = imported(count=1)[0]
    url = reverse("allegro:order_detail", args=[form.pk])
    response = site_client.post(
        url,
        {
            "status": OrderStatus.PROCESSING,
            "payment_status": form.order.payment_status,
            "delivery_method": "Kurier DPD",
            "internal_note": "Sprawdzić kolor",
        },
    )
    assert response.status_code == 302
    html = site_client.get(url).content.decode()
    assert "Allegro pokazuje kupującemu status „w realizacji”" in html
    assert (
        orders_of(allegro.world).forms[form.form_id].data["fulfillment"]["status"] == "PROCESSING"
    )
    order = Order.objects.get(pk=form.order.pk)
    assert (order.status, order.delivery_method, order.internal_note) == (
        OrderStatus.PROCESSING,
        "Kurier DPD",
        "Sprawdzić kolor",
    )
    # A status the pipeline does not allow is a field error, not a 500.
    response = site_client.post(
        url,
        {"status": OrderStatus.DELIVERED, "payment_status": order.payment_status},
    )
    assert response.status_code == 200
    assert "Wybierz poprawną wartość" in response.content.decode()


def test_tracking_form_errors_are_polish(site_client, imported):  # type: ignore[no-untyped-def]
    form = imported(count=1)[0]
    response = site_client.post(
        reverse("allegro:order_tracking", args=[form.pk]), {"carrier": "OTHER", "waybill": "  "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Podaj nazwę przewoźnika." in html
    assert "To pole jest wymagane." in html or "Podaj numer przesyłki." in html


def test_linking_an_unknown_offer_clears_attention_and_is_remembered(  # type: ignore[no-untyped-def]
    site_client, allegro, linked_account, imported
):
    OrderImportState.objects.create(account=linked_account, stock_point=StockPoint.BOUGHT)
    form = imported(count=1, items=1)[0]
    order = form.order
    assert order.needs_attention
    line = form.items.get()
    product = Product.objects.create(
        name="Łyżka drewniana", sku="LYZKA-1", ean="5901234123457", price=Decimal(9), stock=20
    )
    url = reverse("allegro:order_link", args=[form.pk])
    response = site_client.post(url, {"offer_id": line.offer_id, "term": "nie-ma"}, follow=True)
    assert "Nie ma produktu" in response.content.decode()
    response = site_client.post(
        url, {"offer_id": line.offer_id, "term": "5901234123457"}, follow=True
    )
    assert "zapamiętane" in response.content.decode()
    order.refresh_from_db()
    assert not order.needs_attention
    assert AllegroOffer.objects.filter(
        account=linked_account, allegro_id=line.offer_id, product=product, link_source="order_page"
    ).exists()
    product.refresh_from_db()
    assert product.stock == 20 - line.quantity
    # Suggestions for the field.
    html = site_client.get(reverse("allegro:orders_product_suggest"), {"term": "LYZ"}).content
    assert b"LYZKA-1" in html


def test_order_page_and_offer_list_share_one_link(  # type: ignore[no-untyped-def]
    site_client, linked_account, imported
):
    form = imported(count=1, items=1)[0]
    line = form.items.get()
    mug = Product.objects.create(name="Kubek", sku="KUB-1", price=Decimal(5), stock=9)
    plate = Product.objects.create(name="Talerz", sku="TAL-1", price=Decimal(9), stock=9)
    order_link = reverse("allegro:order_link", args=[form.pk])
    site_client.post(order_link, {"offer_id": line.offer_id, "term": "KUB-1"})
    mirrors = AllegroOffer.objects.filter(account=linked_account, allegro_id=line.offer_id)
    mirror = mirrors.get()
    assert (mirror.product, mirror.link_source) == (mug, "order_page")
    # The offer list shows that same mirror; relinking it there changes the one link.
    site_client.post(reverse("allegro:offer_link", args=[mirror.pk]), {"sku": "TAL-1"})
    assert [(m.pk, m.product, m.link_source) for m in mirrors.all()] == [
        (mirror.pk, plate, "manual")
    ]
    # And back from the order page: still one row, one audit entry per change.
    site_client.post(order_link, {"offer_id": line.offer_id, "term": "KUB-1"})
    assert [(m.pk, m.product, m.link_source) for m in mirrors.all()] == [
        (mirror.pk, mug, "order_page")
    ]
    entries = AuditLogEntry.objects.filter(action="allegro.offer_product_link")
    assert [e.changes["product"] for e in entries.order_by("id")] == [mug.pk, plate.pk, mug.pk]
    assert set(entries.values_list("object_id", flat=True)) == {str(mirror.pk)}


def test_the_import_uses_a_link_made_on_the_order_page(  # type: ignore[no-untyped-def]
    site_client, linked_account, imported
):
    offer = {"id": "9922334455", "name": "Świeca sojowa", "price": "19.90", "quantity": 1}
    first = imported(offers=[offer], synthetic=False)[0]
    assert first.order.needs_attention
    candle = Product.objects.create(name="Świeca", sku="SWI-1", price=Decimal(20), stock=9)
    site_client.post(
        reverse("allegro:order_link", args=[first.pk]), {"offer_id": "9922334455", "term": "SWI-1"}
    )
    again = imported(offers=[offer], synthetic=False)[0]
    assert again.order.items.get().product == candle
    assert not again.order.needs_attention


def test_pages_need_staff(client, linked_account):  # type: ignore[no-untyped-def]
    response = client.get(reverse("allegro:orders"))
    assert response.status_code in (302, 403)


def warsaw(iso_time: str) -> str:
    """An API time as the pages show it: Europe/Warsaw, "YYYY-MM-DD HH:MM"."""
    moment = datetime.fromisoformat(iso_time)
    return moment.astimezone(ZoneInfo("Europe/Warsaw")).strftime("%Y-%m-%d %H:%M")


def test_order_page_says_cash_on_delivery_and_nip_in_polish(site_client, allegro, imported):  # type: ignore[no-untyped-def]
    form = imported(count=1, paymentType="CASH_ON_DELIVERY", companyBuyer=True)[0]
    raw = orders_of(allegro.world).forms[form.form_id].data
    nip = raw["invoice"]["address"]["company"]["taxId"]
    assert raw["invoice"]["address"]["company"]["ids"] == [{"type": "PL_NIP", "value": nip}]
    html = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert "za pobraniem" in html
    for code in ("CASH_ON_DELIVERY", "PL_NIP", "OFFLINE", "READY_FOR_PROCESSING"):
        assert code not in html, code
    assert html.count(f"NIP: {nip}") == 1
    dispatch_to = raw["delivery"]["time"]["dispatch"]["to"]
    assert f"wyślij do: {warsaw(dispatch_to)}" in html


def test_order_page_names_the_online_payment_and_its_operator(site_client, allegro, imported):  # type: ignore[no-untyped-def]
    form = imported(count=1, paymentType="ONLINE")[0]
    raw = orders_of(allegro.world).forms[form.form_id].data
    provider = raw["payment"]["provider"]
    html = site_client.get(reverse("allegro:order_detail", args=[form.pk])).content.decode()
    assert "płatność online" in html and f"({provider})" not in html
    assert {"P24": "(Przelewy24)", "PAYU": "(PayU)"}.get(provider, "(") in html
    assert f"opłacono: {warsaw(raw['payment']['finishedAt'])}" in html


def test_list_labels_its_dates_and_payment_types(site_client, allegro, imported):  # type: ignore[no-untyped-def]
    forms = imported(count=1, paymentType="ONLINE") + imported(
        count=1, paymentType="CASH_ON_DELIVERY"
    )
    html = site_client.get(reverse("allegro:orders")).content.decode()
    assert "płatność online" in html and "za pobraniem" in html
    assert ">ONLINE<" not in html and "CASH_ON_DELIVERY" not in html
    for form in forms:
        raw = orders_of(allegro.world).forms[form.form_id].data
        row = html.split(f'data-form="{form.form_id}"')[1].split("</tr>")[0]
        bought = min(item["boughtAt"] for item in raw["lineItems"])
        assert f"<dt>kupiono</dt><dd>{warsaw(bought)}</dd>" in row
        dispatch_to = warsaw(raw["delivery"]["time"]["dispatch"]["to"])
        assert f"<dt>wyślij do</dt><dd>{dispatch_to}</dd>" in row
        if raw["payment"].get("finishedAt"):
            assert f"<dt>opłacono</dt><dd>{warsaw(raw['payment']['finishedAt'])}</dd>" in row
        else:
            assert "opłacono" not in row


def test_scheduler_page_names_the_account_and_reads_the_result(  # type: ignore[no-untyped-def]
    site_client, allegro, linked_account
):
    purchase(allegro, count=2)
    task = order_import_schedule(account=linked_account)
    job_run(
        job=IMPORT_ORDERS_JOB,
        job_kwargs={"account_id": linked_account.pk},
        periodic_task_id=task.pk,
    )
    html = site_client.get(reverse("scheduler:tasks")).content.decode()
    assert f"Import zamówień z Allegro — {linked_account.login}" in html
    assert "[account_id=" not in html
    assert "co 1 min" in html and "60 s" not in html
    assert "pobrane formularze: 2, nowe zamówienia: 2" in html
    assert "events_read" not in html and "backfill" not in html and "False" not in html
    detail = site_client.get(reverse("scheduler:task", args=[task.pk])).content.decode()
    assert f"Import zamówień z Allegro — {linked_account.login}" in detail
    assert "nowe zamówienia: 2" in detail and "orders_created" not in detail
