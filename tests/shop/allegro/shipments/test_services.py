"""Parcels through Wysyłam z Allegro: created once, followed, tracked, refused per field."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from fake_allegro import Emulator
from fake_allegro.faults import Fault
from fake_allegro.orders.state import orders_of
from fake_allegro.shipments.state import shipments_of
from shop.allegro.models import AllegroParcel, AllegroShipment, ParcelState
from shop.allegro.shipments import services
from shop.allegro.shipments.services import ParcelInvalid
from shop.core.errors import ApplicationError
from shop.orders.models import OrderStatus

pytestmark = pytest.mark.django_db


def requests_to(emulator: Emulator, method: str, fragment: str) -> list[dict[str, Any]]:
    return [
        e
        for e in emulator.requests.entries()
        if e["method"] == method and fragment in e["path"] and "/_emulator" not in e["path"]
    ]


def test_a_parcel_is_created_tracked_and_the_order_marked_sent(
    allegro: Emulator, order_of, sleep
) -> None:  # type: ignore[no-untyped-def]
    form = order_of("dpd")
    outcome = services.shipment_create(form=form, sleep=sleep)
    parcel = outcome.parcel
    assert outcome.ok and parcel.state == ParcelState.CREATED
    assert parcel.waybill and parcel.carrier_id == "DPD"
    tracking = AllegroShipment.objects.get(form=form)
    assert (tracking.carrier_id, tracking.waybill) == ("DPD", parcel.waybill)
    form.order.refresh_from_db()
    assert form.order.status == OrderStatus.SENT
    assert len(requests_to(allegro, "POST", "/shipment-management/shipments/create-commands")) == 1
    # Allegro put the number on the order itself; the shop never sends a copy (#13267).
    on_allegro = orders_of(allegro.world).forms[form.form_id].shipments
    assert [(s["carrierId"], s["waybill"]) for s in on_allegro] == [("DPD", parcel.waybill)]
    assert requests_to(allegro, "POST", f"/order/checkout-forms/{form.form_id}/shipments") == []
    # A second call creates nothing.
    again = services.shipment_create(form=form, sleep=sleep)
    assert again.parcel.pk == parcel.pk
    assert len(shipments_of(allegro.world).shipments) == 1
    assert len(requests_to(allegro, "POST", "/shipment-management/shipments/create-commands")) == 1


def test_the_services_are_read_once_per_account(allegro: Emulator, order_of, sleep) -> None:  # type: ignore[no-untyped-def]
    services.shipment_create(form=order_of("dpd"), sleep=sleep)
    services.shipment_create(form=order_of("inpost-courier"), sleep=sleep)
    assert len(requests_to(allegro, "GET", "/delivery-services")) == 1


def test_a_post_that_never_arrived_is_sent_again_with_the_same_command_id(
    allegro: Emulator, order_of, sleep
) -> None:  # type: ignore[no-untyped-def]
    form = order_of("inpost-lockers")
    allegro.faults.add(
        Fault(
            id="lost",
            path_regex="/shipments/create-commands$",
            method="POST",
            status=504,
            remaining=1,
        )
    )
    with pytest.raises(ApplicationError):
        services.shipment_create(form=form, sleep=sleep)
    parcel = AllegroParcel.objects.get(form=form)
    assert parcel.state == ParcelState.PENDING
    outcome = services.shipment_create(form=form, sleep=sleep)
    assert outcome.parcel.pk == parcel.pk and outcome.ok
    assert len(shipments_of(allegro.world).shipments) == 1
    assert set(shipments_of(allegro.world).commands) == {parcel.command_id}


def test_a_command_still_in_progress_is_followed_not_repeated(
    allegro: Emulator, order_of, sleep
) -> None:  # type: ignore[no-untyped-def]
    form = order_of("dpd")
    outcome = services.shipment_create(form=form, sleep=lambda _s: None)
    if outcome.parcel.state == ParcelState.PENDING:  # the emulator took longer than the wait
        assert not outcome.ok
    done = services.shipment_create(form=form, sleep=sleep)
    assert done.ok and done.parcel.pk == outcome.parcel.pk
    assert len(requests_to(allegro, "POST", "/shipment-management/shipments/create-commands")) == 1


def test_allegro_refusal_is_shown_on_the_field_its_path_names(order_of, sleep) -> None:  # type: ignore[no-untyped-def]
    form = order_of("inpost-lockers")
    package = services.package_defaults(form=form)
    package.weight = Decimal(26)
    outcome = services.shipment_create(form=form, package=package, sleep=sleep)
    assert outcome.parcel.state == ParcelState.FAILED
    assert "25" in outcome.errors["weight"][0]
    assert services.parcel_errors(outcome.parcel)["weight"] == outcome.errors["weight"]
    # A corrected retry is a new command (the failed one created nothing).
    package.weight = Decimal(2)
    fixed = services.shipment_create(form=form, package=package, sleep=sleep)
    assert fixed.ok and fixed.parcel.command_id != outcome.parcel.command_id


def test_cash_on_delivery_comes_from_the_order_and_its_limit_is_checked_first(
    allegro: Emulator, order_of, sleep
) -> None:  # type: ignore[no-untyped-def]
    form = order_of("inpost-courier", "CASH_ON_DELIVERY")
    package = services.package_defaults(form=form)
    assert package.cod_amount == form.total
    package.cod_amount = Decimal("5000.01")
    package.insurance = Decimal("5000.01")
    with pytest.raises(ParcelInvalid) as refused:
        services.shipment_create(form=form, package=package, sleep=sleep)
    assert "cod_amount" in refused.value.errors
    assert requests_to(allegro, "POST", "/create-commands") == []
    outcome = services.shipment_create(form=form, sleep=sleep)
    assert outcome.ok
    assert Decimal(outcome.parcel.raw["shipment"]["cashOnDelivery"]["amount"]) == form.total


def test_labels_of_several_parcels_in_one_request_and_cancel(
    allegro: Emulator, order_of, sleep, linked_account
) -> None:  # type: ignore[no-untyped-def]
    parcels = [services.shipment_create(form=order_of("dpd"), sleep=sleep).parcel for _ in range(3)]
    pdf = services.labels_download(account=linked_account, parcels=parcels, page_size="A6")
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page ") == 3
    assert len(requests_to(allegro, "POST", "/shipment-management/label")) == 1
    protocol = services.protocol_download(account=linked_account, parcels=parcels)
    assert protocol.startswith(b"%PDF-")
    assert services.shipment_cancel(parcel=parcels[0], sleep=sleep)
    parcels[0].refresh_from_db()
    assert parcels[0].state == ParcelState.CANCELLED


def test_the_job_finishes_parcels_nobody_followed(allegro: Emulator, order_of, sleep) -> None:  # type: ignore[no-untyped-def]
    form = order_of("dpd")
    parcel = services.parcel_send(form=form)
    AllegroParcel.objects.filter(pk=parcel.pk).update(
        created_at=parcel.created_at - timedelta(minutes=5)
    )
    sleep(1)
    assert services.parcels_follow_pending() == {
        "checked": 1,
        "created": 1,
        "failed": 0,
        "errors": 0,
    }
    parcel.refresh_from_db()
    assert parcel.state == ParcelState.CREATED and parcel.waybill


def test_the_default_weight_comes_from_the_products_when_all_have_one(order_of) -> None:  # type: ignore[no-untyped-def]
    from shop.catalog.models import Product

    form = order_of("dpd")
    assert services.package_defaults(form=form).weight == Decimal("1.00")  # no products linked
    expected = Decimal(0)
    for index, item in enumerate(form.order.items.all()):
        product = Product.objects.create(
            name=item.name, sku=f"W-{index}", price=Decimal(10), weight=Decimal("0.250")
        )
        item.product = product
        item.save()
        expected += Decimal("0.25") * item.quantity
    assert services.package_defaults(form=form).weight == expected
