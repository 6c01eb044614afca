"""Shop status → Allegro seller status (with revisions), tracking numbers sent once."""

from __future__ import annotations

from typing import Any

import pytest

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from shop.allegro.common.client import client_for
from shop.allegro.models import AllegroCheckoutForm, AllegroShipment
from shop.allegro.orders.mapping import fulfillment_for
from shop.allegro.orders.services.fulfillment import (
    carriers_list,
    fulfillment_flush,
    order_configure,
    shipment_add,
)
from shop.allegro.orders.services.importer import orders_import
from shop.core.errors import ApplicationError
from shop.core.models import AuditLogEntry
from shop.orders.drafts import ItemDraft, OrderDraft
from shop.orders.models import Channel, Order, OrderStatus, PaymentStatus
from shop.orders.services.orders import InvalidTransition, order_create, order_set_status

pytestmark = pytest.mark.django_db


def purchase(emulator: Emulator, **payload: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post("/_emulator/purchases", json={"synthetic": True, **payload})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def remote(emulator: Emulator, form_id: str) -> dict[str, Any]:
    return orders_of(emulator.world).forms[form_id].data


def requests_to(emulator: Emulator, method: str, fragment: str) -> list[dict[str, Any]]:
    return [
        e
        for e in emulator.requests.entries()
        if e["method"] == method and fragment in e["path"] and "/_emulator" not in e["path"]
    ]


@pytest.fixture
def imported(allegro: Emulator, linked_account) -> AllegroCheckoutForm:  # type: ignore[no-untyped-def]
    created = purchase(allegro, count=1)
    orders_import(account=linked_account, sweep=False)
    return AllegroCheckoutForm.objects.select_related("order", "account").get(
        form_id=created["checkoutFormIds"][0]
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the after-commit work of each call, as a real request's commit would."""

    def call(func, /, **kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return call


@pytest.fixture
def configure(committed):  # type: ignore[no-untyped-def]
    def call(order: Order, status: str, **extra: Any) -> dict[str, Any]:
        values = {
            "payment_status": order.payment_status,
            "delivery_method": order.delivery_method,
            "internal_note": order.internal_note,
            **extra,
        }
        return committed(order_configure, order=order, status=status, **values)  # type: ignore[no-any-return]

    return call


def test_status_map_covers_the_pipeline() -> None:
    assert fulfillment_for(OrderStatus.PROCESSING) == "PROCESSING"
    assert fulfillment_for(OrderStatus.READY_FOR_SHIPMENT) == "READY_FOR_SHIPMENT"
    assert fulfillment_for(OrderStatus.SENT) == "SENT"
    assert fulfillment_for(OrderStatus.DELIVERED) == "PICKED_UP"
    assert fulfillment_for(OrderStatus.CANCELLED) == "CANCELLED"
    assert fulfillment_for(OrderStatus.RETURNED) is None  # the seller cannot set RETURNED


def test_shop_status_reaches_allegro_with_the_revision(allegro, imported, configure):  # type: ignore[no-untyped-def]
    order = imported.order
    revision = imported.revision
    allegro.requests.clear()
    changes = configure(order, OrderStatus.PROCESSING, internal_note="pakuje Zenek")
    assert changes["status"] == [OrderStatus.NEW, OrderStatus.PROCESSING]
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "PROCESSING"
    puts = requests_to(allegro, "PUT", "/fulfillment")
    assert len(puts) == 1
    assert f"checkoutForm.revision={revision}" in str(puts[0]["query"])
    imported.refresh_from_db()
    assert imported.fulfillment_status == "PROCESSING"
    assert imported.fulfillment_pending == ""
    assert imported.fulfillment_error == ""
    # The form was read back: the stored revision is Allegro's new one.
    assert imported.revision == remote(allegro, imported.form_id)["revision"]
    entry = AuditLogEntry.objects.get(action="allegro.order_configure")
    assert entry.changes["internal_note"] == ["", "pakuje Zenek"]

    configure(Order.objects.get(pk=order.pk), OrderStatus.SENT)
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "SENT"


def test_pipeline_refuses_a_jump_and_sends_nothing(allegro, imported, configure):  # type: ignore[no-untyped-def]
    allegro.requests.clear()
    with pytest.raises(InvalidTransition):
        configure(imported.order, OrderStatus.DELIVERED, internal_note="x")
    assert requests_to(allegro, "PUT", "/fulfillment") == []
    assert Order.objects.get(pk=imported.order.pk).internal_note == ""


def test_outdated_revision_with_unchanged_status_is_sent_again(allegro, imported, configure):  # type: ignore[no-untyped-def]
    # The buyer changed something on Allegro: a new revision, the seller status untouched.
    state = orders_of(allegro.world)
    state.touch(state.forms[imported.form_id], allegro.world.now())
    allegro.requests.clear()
    configure(imported.order, OrderStatus.PROCESSING)
    puts = requests_to(allegro, "PUT", "/fulfillment")
    assert [p["status"] for p in puts] == [409, 204]
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "PROCESSING"
    imported.refresh_from_db()
    assert imported.fulfillment_status == "PROCESSING"
    assert imported.fulfillment_error == ""


def test_outdated_revision_with_changed_status_is_not_overwritten(  # type: ignore[no-untyped-def]
    allegro, imported, configure, committed
):
    # Meanwhile someone set the status on Allegro's site.
    with client_for(imported.account) as client:
        client.checkout_forms.set_fulfillment_status(imported.form_id, status="SUSPENDED")
    configure(imported.order, OrderStatus.PROCESSING)
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "SUSPENDED"
    imported.refresh_from_db()
    assert imported.fulfillment_status == "SUSPENDED"  # re-read from Allegro
    assert imported.fulfillment_pending == ""
    assert "wstrzymane" in imported.fulfillment_error
    assert "międzyczasie" in imported.fulfillment_error
    # The shop status stays what the merchant chose; saving again sends it.
    order = Order.objects.get(pk=imported.order.pk)
    assert order.status == OrderStatus.PROCESSING
    committed(order_set_status, order=order, status=OrderStatus.READY_FOR_SHIPMENT)
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "READY_FOR_SHIPMENT"


def test_passing_failure_stays_pending_and_the_job_flushes_it(allegro, imported, configure):  # type: ignore[no-untyped-def]
    with allegro.http_client() as http:
        http.post(
            "/_emulator/faults",
            json={"pathRegex": "/fulfillment$", "status": 503, "rate": 1.0, "remaining": 10},
        )
    configure(imported.order, OrderStatus.PROCESSING)
    imported.refresh_from_db()
    assert imported.fulfillment_pending == "PROCESSING"
    assert imported.fulfillment_error
    with allegro.http_client() as http:
        http.delete("/_emulator/faults")
    assert fulfillment_flush(account=imported.account) == 1
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "PROCESSING"


def test_allegro_cancellation_is_not_echoed_back(allegro, imported, committed):  # type: ignore[no-untyped-def]
    with allegro.http_client() as http:
        http.post(
            f"/_emulator/checkout-forms/{imported.form_id}/status", json={"status": "CANCELLED"}
        )
    allegro.requests.clear()
    committed(orders_import, account=imported.account, sweep=False)
    assert Order.objects.get(pk=imported.order.pk).status == OrderStatus.CANCELLED
    assert requests_to(allegro, "PUT", "/fulfillment") == []


def test_shop_orders_never_call_allegro(allegro, linked_account, committed):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    order = order_create(
        channel=Channel.SHOP,
        draft=OrderDraft(items=[ItemDraft(name="x", quantity=1, unit_price=Decimal(1))]),
    )
    allegro.requests.clear()
    committed(order_set_status, order=order, status=OrderStatus.PROCESSING)
    assert requests_to(allegro, "PUT", "") == []


def test_merchant_payment_state_survives_a_new_revision(allegro, imported, configure):  # type: ignore[no-untyped-def]
    order = imported.order
    configure(order, order.status, payment_status=PaymentStatus.PAID, delivery_method="Kurier")
    state = orders_of(allegro.world)
    stored = state.forms[imported.form_id]
    stored.data["messageToSeller"] = "Proszę o szybką wysyłkę"
    state.touch(stored, allegro.world.now())
    orders_import(account=imported.account, sweep=True)
    order.refresh_from_db()
    assert order.customer_note == "Proszę o szybką wysyłkę"
    assert order.payment_status == PaymentStatus.PAID
    assert order.delivery_method == "Kurier"


# -- tracking numbers ------------------------------------------------------------------------------


def test_carriers_come_from_allegro_with_other(allegro, linked_account):  # type: ignore[no-untyped-def]
    carriers = dict(carriers_list(account=linked_account))
    assert carriers["INPOST"] == "InPost"
    assert "OTHER" in carriers
    allegro.requests.clear()
    carriers_list(account=linked_account)
    assert requests_to(allegro, "GET", "/order/carriers") == []  # cached


def test_waybill_is_sent_once_and_marks_the_order_sent(allegro, imported, committed):  # type: ignore[no-untyped-def]
    allegro.requests.clear()
    outcome = committed(
        shipment_add, form=imported, carrier_id="INPOST", waybill=" 6200 1234 ", mark_sent=True
    )
    assert outcome.sent
    assert not outcome.already
    shipments = orders_of(allegro.world).forms[imported.form_id].shipments
    assert [(s["carrierId"], s["waybill"]) for s in shipments] == [("INPOST", "62001234")]
    assert Order.objects.get(pk=imported.order.pk).status == OrderStatus.SENT
    assert remote(allegro, imported.form_id)["fulfillment"]["status"] == "SENT"

    again = shipment_add(form=imported, carrier_id="INPOST", waybill="62001234")
    assert again.already
    assert not again.sent
    assert len(requests_to(allegro, "POST", "/shipments")) == 1
    assert len(orders_of(allegro.world).forms[imported.form_id].shipments) == 1
    assert AllegroShipment.objects.filter(form=imported).count() == 1


def test_number_added_on_allegro_is_listed_and_not_sent_again(allegro, imported, committed):  # type: ignore[no-untyped-def]
    with client_for(imported.account) as client:
        client.shipments.add(imported.form_id, carrier_id="DPD", waybill="DPD777")
    allegro.requests.clear()
    outcome = shipment_add(form=imported, carrier_id="DPD", waybill="dpd777")
    assert outcome.already
    assert requests_to(allegro, "POST", "/shipments") == []
    row = AllegroShipment.objects.get(form=imported)
    assert (row.carrier_id, row.waybill, row.from_shop) == ("DPD", "DPD777", False)
    assert row.allegro_id
    assert row.sent_at is not None


def test_other_carrier_needs_a_name_and_items_can_be_chosen(allegro, imported, committed):  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError):
        shipment_add(form=imported, carrier_id="OTHER", waybill="X1")
    first = imported.items.first()
    outcome = shipment_add(
        form=imported,
        carrier_id="OTHER",
        carrier_name="Kurier Jan",
        waybill="X1",
        line_item_ids=[first.line_item_id],
    )
    assert outcome.sent
    sent = orders_of(allegro.world).forms[imported.form_id].shipments[0]
    assert sent["carrierName"] == "Kurier Jan"
    assert sent["lineItems"] == [{"id": first.line_item_id}]
