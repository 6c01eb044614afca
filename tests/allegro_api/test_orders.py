"""Order events, event stats, checkout forms (incl. date windows), fulfillment, shipments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from allegro_api import AllegroClient, Conflict
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit


def purchase(emulator: Emulator, **data: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post("/_emulator/purchases", json=data)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_events_stats_and_checkout_form(client: AllegroClient, emulator: Emulator) -> None:
    assert client.order_events.stats().latest_event is None
    purchase(emulator, count=3)
    events = list(client.order_events.iter_from(limit=2))
    assert events
    assert [e.id for e in events] == sorted({e.id for e in events}, key=lambda i: int(i or 0))
    latest = client.order_events.stats().latest_event
    assert latest is not None
    assert latest.id == events[-1].id
    assert client.order_events.list(from_=latest.id).events == []
    ready = client.order_events.list(types=["READY_FOR_PROCESSING"]).events
    assert all(e.type == "READY_FOR_PROCESSING" for e in ready)
    form_id = events[0].checkout_form_id
    assert form_id is not None
    form = client.checkout_forms.get(form_id)
    assert form.id == form_id
    assert form.buyer is not None
    assert form.buyer.email
    assert form.line_items
    assert form.revision


def test_checkout_form_list_filters(client: AllegroClient, emulator: Emulator) -> None:
    purchase(emulator, count=5)
    page = client.checkout_forms.list(status="READY_FOR_PROCESSING", limit=2)
    assert page.total_count == 5
    assert len(page.checkout_forms) == 2
    with pytest.raises(ValueError, match="10000"):
        client.checkout_forms.list(offset=9950, limit=100)


def test_iter_window_splits_when_a_window_is_too_big(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    from allegro_api.resources import orders as orders_module

    purchase(emulator, count=30, spreadDays=10)
    start = fake_time.datetime() - timedelta(days=11)
    end = fake_time.datetime() + timedelta(minutes=1)
    baseline = [f.id for f in client.checkout_forms.iter_window(start=start, end=end)]
    assert len(baseline) == client.checkout_forms.list(limit=1).total_count
    assert len(baseline) > 8
    cap = orders_module.CHECKOUT_FORMS_WINDOW_CAP
    orders_module.CHECKOUT_FORMS_WINDOW_CAP = 8  # pretend the API's cap is tiny
    try:
        split = [f.id for f in client.checkout_forms.iter_window(start=start, end=end, page_size=3)]
    finally:
        orders_module.CHECKOUT_FORMS_WINDOW_CAP = cap
    assert sorted(split) == sorted(baseline)
    assert len(split) == len(set(split))
    for entry in audit.entries(path="/order/checkout-forms"):
        query = dict(p.split("=", 1) for p in entry["query"].split("&"))
        assert int(query["offset"]) + int(query["limit"]) <= 10_000


def test_fulfillment_with_revision(
    client: AllegroClient, emulator: Emulator, audit: RequestAudit
) -> None:
    purchase(emulator, count=1)
    form = client.checkout_forms.list().checkout_forms[0]
    assert form.id is not None
    client.checkout_forms.set_fulfillment_status(
        form.id, status="PROCESSING", revision=form.revision
    )
    fresh = client.checkout_forms.get(form.id)
    assert fresh.fulfillment is not None
    assert fresh.fulfillment.status == "PROCESSING"
    with pytest.raises(Conflict):
        client.checkout_forms.set_fulfillment_status(
            form.id, status="READY_FOR_SHIPMENT", revision=form.revision
        )
    client.checkout_forms.set_fulfillment_status(form.id, status="SENT")


def test_shipments_and_carriers(client: AllegroClient, emulator: Emulator) -> None:
    carriers = client.carriers.list().carriers
    assert "OTHER" in {c.id for c in carriers}
    purchase(emulator, count=1)
    form = client.checkout_forms.list().checkout_forms[0]
    assert form.id is not None
    shipment = client.shipments.add(form.id, carrier_id="INPOST", waybill="AD-1239134")
    assert shipment.waybill == "AD-1239134"
    other = client.shipments.add(
        form.id,
        carrier_id="OTHER",
        carrier_name="Kurier Lokalny",
        waybill="KL-1",
        line_item_ids=[form.line_items[0].id or ""],
    )
    assert other.carrier_name == "Kurier Lokalny"
    waybills = {s.waybill for s in client.shipments.list(form.id).shipments}
    assert {"AD-1239134", "KL-1"} <= waybills
