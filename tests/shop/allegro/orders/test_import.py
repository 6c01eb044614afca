"""The Allegro order import: back-fill, events, merges, cancellations, stock, quarantine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from fake_allegro import Emulator
from shop.allegro.common.labels import payment_type_label
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroOffer,
    OrderImportState,
    OrderQuarantine,
    StockPoint,
)
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.orders.services.store import order_lines_link_product
from shop.catalog.models import Product, StockMovement, StockReason
from shop.catalog.services.stock import stock_adjust
from shop.orders.models import Channel, Order, OrderStatus, PaymentStatus
from shop.orders.services.orders import order_number_for
from tests.shop.allegro.orders.test_import_chaos import assert_mirror_equals_emulator

pytestmark = pytest.mark.django_db


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def purchase(emulator: Emulator, **payload: Any) -> dict[str, Any]:
    return control(emulator, "/purchases", {"synthetic": True, **payload})  # type: ignore[no-any-return]


def form_of(emulator: Emulator, form_id: str) -> dict[str, Any]:
    with emulator.http_client() as http:
        return http.get(f"/_emulator/checkout-forms/{form_id}").json()["checkoutForm"]  # type: ignore[no-any-return]


def allegro_orders() -> list[Order]:
    return list(Order.objects.filter(channel=Channel.ALLEGRO).prefetch_related("items"))


def run(account, **kwargs: Any):  # type: ignore[no-untyped-def]
    kwargs.setdefault("sweep", False)
    return orders_import(account=account, **kwargs)


def test_first_run_backfills_then_follows_the_feed_with_one_request(allegro, linked_account):  # type: ignore[no-untyped-def]
    created = purchase(allegro, count=5, spreadDays=3)
    stats = run(linked_account)
    assert stats.backfill
    assert stats.orders_created == 5
    forms = set(created["checkoutFormIds"])
    assert {o.external_id for o in allegro_orders()} == forms
    state = OrderImportState.objects.get(account=linked_account)
    assert state.backfill_done
    assert state.cursor == created["lastEventId"]
    assert state.last_success_at is not None

    nothing = run(linked_account)
    assert nothing.requests == 1
    assert nothing.orders_created == 0
    assert nothing.events_read == 0

    more = purchase(allegro, count=3)
    stats = run(linked_account)
    assert stats.orders_created == 3
    assert stats.events_read == 9
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 8
    assert OrderImportState.objects.get(account=linked_account).cursor == more["lastEventId"]


def test_a_form_is_mapped_field_by_field(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    created = purchase(allegro, count=30)
    run(linked_account)
    for form_id in created["checkoutFormIds"]:
        raw = form_of(allegro, form_id)
        order = Order.objects.select_related("shipping_address", "billing_address").get(
            external_id=form_id
        )
        mirror = AllegroCheckoutForm.objects.get(form_id=form_id)
        assert mirror.order == order
        assert mirror.revision == raw["revision"]
        assert mirror.raw["lineItems"][0]["id"] == raw["lineItems"][0]["id"]
        buyer = raw["buyer"]
        assert order.customer_login == buyer["login"]
        assert order.customer_email == buyer["email"]
        assert order.customer_name == f"{buyer['firstName']} {buyer['lastName']}"
        assert order.total == Decimal(raw["summary"]["totalToPay"]["amount"])
        assert order.delivery_cost == Decimal(raw["delivery"]["cost"]["amount"])
        assert order.delivery_method == raw["delivery"]["method"]["name"]
        assert order.payment_method == payment_type_label(raw["payment"]["type"])
        expected_payment = (
            PaymentStatus.CASH_ON_DELIVERY
            if raw["payment"]["type"] == "CASH_ON_DELIVERY"
            else PaymentStatus.PAID
        )
        assert order.payment_status == expected_payment
        assert order.customer_note == (raw.get("messageToSeller") or "")
        address = raw["delivery"]["address"]
        assert order.shipping_address is not None
        assert order.shipping_address.street == address["street"]
        assert order.shipping_address.postal_code == address["zipCode"]
        point = raw["delivery"].get("pickupPoint")
        assert order.pickup_point_id == (point["id"] if point else "")
        invoice = raw["invoice"]
        assert order.invoice_required == invoice["required"]
        if invoice.get("address", {}).get("company"):
            assert order.invoice_nip == invoice["address"]["company"]["taxId"]
            assert order.billing_address is not None
            assert order.billing_address.company_name == invoice["address"]["company"]["name"]
        elif invoice.get("address"):  # an invoice for a private person
            assert order.invoice_nip == ""
            assert order.billing_address is not None
        items = sorted(order.items.all(), key=lambda i: i.external_id)
        lines = sorted(raw["lineItems"], key=lambda i: i["id"])
        assert [(i.external_id, i.quantity, i.unit_price) for i in items] == [
            (li["id"], li["quantity"], Decimal(li["price"]["amount"])) for li in lines
        ]
        assert order.number == order_number_for(order)


def test_duplicated_events_make_no_duplicates_and_cost_no_requests(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    purchase(allegro, duplicateEvents=True)
    first = run(linked_account)
    assert first.orders_created == 1
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 1
    # BOUGHT, FILLED_IN, READY twice each (and any later change once): the form is read once
    # (the events name its revision).
    journal = allegro.world.orders.events[allegro.demo_seller.id]
    stages = [e.type for e in journal if e.type in ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING")]
    assert sorted(stages) == sorted(["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"] * 2)
    assert first.events_read == len(journal)
    assert first.forms_fetched == 1


def test_a_dropped_event_is_caught_by_the_sweep(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    # The purchase's only event never arrives.
    created = purchase(allegro, stage="BOUGHT", dropEvent="BOUGHT")
    form_id = created["checkoutFormIds"][0]
    run(linked_account)
    assert not AllegroCheckoutForm.objects.filter(form_id=form_id).exists()
    stats = run(linked_account, sweep=True)
    assert stats.sweep
    assert stats.orders_created == 1
    assert AllegroCheckoutForm.objects.get(form_id=form_id).status == "BOUGHT"


def test_a_merged_payment_supersedes_the_forms_it_replaced(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    a = purchase(allegro, stage="BOUGHT")["checkoutFormIds"][0]
    b = purchase(allegro, stage="BOUGHT")["checkoutFormIds"][0]
    run(linked_account)
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 2
    merged = control(allegro, "/merge", {"checkoutFormIds": [a, b]})["id"]
    stats = run(linked_account)
    assert stats.forms_superseded == 1
    assert stats.orders_created == 0
    orders = allegro_orders()
    assert [o.external_id for o in orders] == [merged]
    raw = form_of(allegro, merged)
    assert sorted(i.external_id for i in orders[0].items.all()) == sorted(
        li["id"] for li in raw["lineItems"]
    )
    assert AllegroCheckoutForm.objects.get(form_id=a).superseded_by.form_id == merged  # type: ignore[union-attr]
    assert AllegroLineItem.objects.count() == len(raw["lineItems"])


def test_merged_before_the_first_import_is_one_order(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    purchase(allegro, count=3, merge=True)
    run(linked_account)
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 1


def _products() -> dict[str, Product]:
    return {
        f"SKU-{1000 + i}": Product.objects.create(name=f"P{i}", sku=f"SKU-{1000 + i}", price=10)
        for i in range(15)
    }


def test_stock_goes_down_once_at_ready_and_back_on_cancellation(allegro, linked_account):  # type: ignore[no-untyped-def]
    products = _products()
    for product in products.values():
        stock_adjust(product=product, delta=50, reason=StockReason.DELIVERY)
    run(linked_account)
    created = purchase(allegro, stage="FILLED_IN", items=2)
    form_id = created["checkoutFormIds"][0]
    run(linked_account)
    order = Order.objects.get(external_id=form_id)
    assert not order.needs_attention
    assert not StockMovement.objects.filter(reason=StockReason.ORDER).exists()

    control(allegro, f"/checkout-forms/{form_id}/status", {"status": "READY_FOR_PROCESSING"})
    run(linked_account)
    run(linked_account, sweep=True)
    taken = {i.sku: i.quantity for i in order.items.all()}
    for sku, quantity in taken.items():
        assert Product.objects.get(sku=sku).stock == 50 - quantity
    assert StockMovement.objects.filter(reason=StockReason.ORDER).count() == len(taken)

    control(allegro, f"/checkout-forms/{form_id}/status", {"status": "CANCELLED"})
    stats = run(linked_account)
    assert stats.orders_cancelled == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    for sku in taken:
        assert Product.objects.get(sku=sku).stock == 50
    run(linked_account, sweep=True)
    assert StockMovement.objects.filter(reason=StockReason.ORDER_CANCELLED).count() == len(taken)


def test_stock_at_bought_when_the_merchant_chooses_it(allegro, linked_account):  # type: ignore[no-untyped-def]
    products = _products()
    run(linked_account)
    OrderImportState.objects.filter(account=linked_account).update(stock_point=StockPoint.BOUGHT)
    created = purchase(allegro, stage="BOUGHT", items=1)
    run(linked_account)
    order = Order.objects.get(external_id=created["checkoutFormIds"][0])
    item = order.items.get()
    # The shop had none: the oversell guard keeps stock at zero, the order is kept and flagged.
    assert products[item.sku].__class__.objects.get(pk=item.product_id).stock == 0  # type: ignore[misc]
    assert AllegroLineItem.objects.get(order_item=item).stock_quantity_taken == 0
    assert order.needs_attention
    assert "stan" in order.attention_reason


def test_unmatched_items_need_attention_until_the_offer_is_linked(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    offer = {"id": "9911223344", "name": "Nieznana oferta", "price": "12.50", "quantity": 2}
    created = purchase(allegro, offers=[offer], synthetic=False)
    run(linked_account)
    order = Order.objects.get(external_id=created["checkoutFormIds"][0])
    assert order.needs_attention
    assert "produktu" in order.attention_reason
    product = Product.objects.create(name="Znana", sku="ZN-1", price=Decimal("12.50"))
    stock_adjust(product=product, delta=5, reason=StockReason.DELIVERY)
    linked = order_lines_link_product(
        account=linked_account, offer_id="9911223344", product=product
    )
    assert linked == 1
    order.refresh_from_db()
    assert not order.needs_attention
    product.refresh_from_db()
    assert product.stock == 3
    # The link lives on the offer's mirror, made for it since the shop never read the offer.
    mirror = AllegroOffer.objects.get(account=linked_account, allegro_id="9911223344")
    assert (mirror.product, mirror.name, mirror.status) == (product, "Nieznana oferta", "inactive")
    # Remembered for next time.
    again = purchase(allegro, offers=[offer], synthetic=False)
    run(linked_account)
    next_order = Order.objects.get(external_id=again["checkoutFormIds"][0])
    assert not next_order.needs_attention
    assert next_order.items.get().product == product


def test_a_form_that_fails_is_quarantined_without_holding_the_cursor(  # type: ignore[no-untyped-def]
    allegro, linked_account, monkeypatch
):
    run(linked_account)
    created = purchase(allegro, count=3)
    bad = created["checkoutFormIds"][1]
    from shop.allegro.orders.services import store as order_services

    real = order_services.form_data  # type: ignore[attr-defined]

    def broken(form):  # type: ignore[no-untyped-def]
        if form.id == bad:
            raise ValueError("cannot read this form")
        return real(form)

    monkeypatch.setattr(order_services, "form_data", broken)
    stats = run(linked_account)
    assert stats.quarantined == 1
    assert stats.orders_created == 2
    assert OrderQuarantine.objects.get(form_id=bad).error.startswith("ValueError")
    assert OrderImportState.objects.get(account=linked_account).cursor == created["lastEventId"]

    monkeypatch.setattr(order_services, "form_data", real)
    OrderQuarantine.objects.update(retry_after=None)
    OrderQuarantine.objects.update(retry_after="2000-01-01T00:00:00Z")
    stats = run(linked_account)
    assert stats.released == 1
    assert stats.orders_created == 1
    assert not OrderQuarantine.objects.exists()
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 3


def test_forms_named_by_many_events_are_listed_not_fetched_one_by_one(allegro, linked_account):  # type: ignore[no-untyped-def]
    run(linked_account)
    purchase(allegro, count=40)
    allegro.requests.clear() if hasattr(allegro.requests, "clear") else None
    stats = run(linked_account)
    assert stats.orders_created == 40
    # One page of events + one list page of 40 forms instead of 40 GETs.
    assert stats.requests <= 3


class Killed(BaseException):
    pass


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_at_random_points_the_next_runs_finish_exactly_once(allegro, linked_account, seed):  # type: ignore[no-untyped-def]
    import random

    products = _products()
    for product in products.values():
        stock_adjust(product=product, delta=1000, reason=StockReason.DELIVERY)
    purchase(allegro, count=20, spreadDays=2)
    rng = random.Random(seed)
    points = {"n": 0}

    def hook(name: str) -> None:
        points["n"] += 1
        if rng.random() < 0.15:
            raise Killed(name)

    kills = 0
    for round_ in range(60):
        if round_ % 10 == 3:
            purchase(allegro, count=5, chaos={"duplicateRate": 0.3, "cancelRate": 0.2})
        if round_ == 20:
            a, b = (purchase(allegro, stage="BOUGHT")["checkoutFormIds"][0] for _ in "ab")
            try:
                run(linked_account, fault=hook)
            except Killed:
                kills += 1
            control(allegro, "/merge", {"checkoutFormIds": [a, b]})
        try:
            run(linked_account, sweep=round_ % 7 == 0, fault=hook)
        except Killed:
            kills += 1
    assert kills >= 5
    run(linked_account, sweep=True)
    assert_mirror_equals_emulator(allegro, linked_account)


def test_management_command_imports_with_progress(allegro, linked_account, capsys):  # type: ignore[no-untyped-def]
    purchase(allegro, count=4)
    call_command("allegro_import_orders", "--account", str(linked_account.pk))
    out = capsys.readouterr().out
    assert "nowych: 4" in out
    call_command("allegro_import_orders", "--since", "2020-01-01")
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 4


def test_management_command_takes_the_job_lock_of_the_account(allegro, linked_account, capsys):  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB
    from shop.scheduler.services.runs import job_lock_acquire, job_lock_release, lock_name

    purchase(allegro, count=2)
    name = lock_name(IMPORT_ORDERS_JOB, {"account_id": linked_account.pk})
    holder = job_lock_acquire(name=name)  # the scheduled import is running
    assert holder
    allegro.requests.clear()
    with pytest.raises(CommandError, match="1 skipped"):
        call_command("allegro_import_orders", "--account", str(linked_account.pk))
    assert "inny import tego konta właśnie trwa" in capsys.readouterr().err
    assert allegro.requests.entries() == []
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 0
    job_lock_release(name=name, holder=holder)
    call_command("allegro_import_orders", "--account", str(linked_account.pk))
    assert Order.objects.filter(channel=Channel.ALLEGRO).count() == 2


def test_the_job_records_counts_in_the_task_run(allegro, linked_account):  # type: ignore[no-untyped-def]
    from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB, order_import_schedule
    from shop.scheduler.registry import job_get
    from shop.scheduler.services.runs import job_run
    from shop.scheduler.services.schedule import periodic_task_find

    order_import_schedule(account=linked_account)
    task = periodic_task_find(
        job=job_get(IMPORT_ORDERS_JOB), job_kwargs={"account_id": linked_account.pk}
    )
    assert task is not None
    assert task.interval.every == 60
    assert task.enabled
    purchase(allegro, count=2)
    run_ = job_run(job=IMPORT_ORDERS_JOB, job_kwargs={"account_id": linked_account.pk})
    assert run_.status == "success", run_.error
    assert run_.counts["orders_created"] == 2
    assert run_.counts["requests"] >= 1
    assert "duration_ms" in run_.counts


def test_last_unit_sold_in_the_shop_first_never_makes_stock_negative(allegro, linked_account):  # type: ignore[no-untyped-def]
    """Two channels sell the last unit: the Allegro order is flagged, stock stays at zero."""
    products = _products()
    for product in products.values():
        stock_adjust(product=product, delta=1, reason=StockReason.DELIVERY)
        stock_adjust(product=product, delta=-1, reason=StockReason.ORDER, note="sklep")
    run(linked_account)
    created = purchase(allegro, stage="READY_FOR_PROCESSING", items=1)
    run(linked_account)
    order = Order.objects.get(external_id=created["checkoutFormIds"][0])
    item = order.items.get()
    assert Product.objects.get(pk=item.product_id).stock == 0
    assert order.needs_attention and "stan" in order.attention_reason
    # Cancelled later: nothing was taken, so nothing comes back.
    control(allegro, f"/checkout-forms/{order.external_id}/status", {"status": "CANCELLED"})
    run(linked_account)
    assert Product.objects.get(pk=item.product_id).stock == 0
