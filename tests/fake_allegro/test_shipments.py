"""Wysyłam z Allegro in the emulator: services, create commands, refusals, labels, pickups."""

from __future__ import annotations

import json
import pickle
import uuid
from typing import Any

import httpx
import pytest

BASE = "/shipment-management"
SENDER = {
    "company": "Sklep Demo sp. z o.o.",
    "street": "Główna 30",
    "postalCode": "10-200",
    "city": "Warszawa",
    "countryCode": "PL",
    "email": "sklep@example.com",
    "phone": "+48500600700",
}


MEDIA = "application/vnd.allegro.public.v1+json"


def post(client: httpx.Client, path: str, body: Any, *, file: bool = False) -> httpx.Response:
    headers = {"Content-Type": MEDIA}
    if file:
        headers["Accept"] = "application/octet-stream"
    return client.post(path, content=json.dumps(body), headers=headers)


def order(client: httpx.Client, delivery: str, payment: str = "ONLINE") -> dict[str, Any]:
    response = client.post(
        "/_emulator/purchases",
        json={"synthetic": True, "delivery": delivery, "paymentType": payment},
    )
    assert response.status_code == 201, response.text
    (form_id,) = response.json()["checkoutFormIds"]
    form: dict[str, Any] = client.get(f"/order/checkout-forms/{form_id}").json()
    return form


def request_for(form: dict[str, Any], **package: Any) -> dict[str, Any]:
    address = form["delivery"]["address"]
    receiver = {
        "name": f"{address['firstName']} {address['lastName']}",
        "street": address["street"],
        "postalCode": address["zipCode"],
        "city": address["city"],
        "countryCode": "PL",
        "email": form["buyer"]["email"],
        "phone": address.get("phoneNumber") or "+48500600700",
    }
    if form["delivery"].get("pickupPoint"):
        receiver["point"] = form["delivery"]["pickupPoint"]["id"]
    sizes = {"length": 30, "width": 20, "height": 10, "weight": 1.5} | package
    return {
        "deliveryMethodId": form["delivery"]["method"]["id"],
        "sender": SENDER,
        "receiver": receiver,
        "referenceNumber": form["id"][:20],
        "packages": [
            {
                "type": sizes.get("type", "PACKAGE"),
                "length": {"value": sizes["length"], "unit": "CENTIMETER"},
                "width": {"value": sizes["width"], "unit": "CENTIMETER"},
                "height": {"value": sizes["height"], "unit": "CENTIMETER"},
                "weight": {"value": sizes["weight"], "unit": "KILOGRAMS"},
            }
        ],
        "labelFormat": "PDF",
    }


def create(client: httpx.Client, data: dict[str, Any], command_id: str | None = None) -> str:
    command_id = command_id or str(uuid.uuid4())
    response = post(
        client, f"{BASE}/shipments/create-commands", {"commandId": command_id, "input": data}
    )
    assert response.status_code == 200, response.text
    return command_id


def status(client: httpx.Client, command_id: str, settle: bool = True) -> dict[str, Any]:
    if settle:
        client.post("/_emulator/shipment-commands/settle", json={})
    response = client.get(f"{BASE}/shipments/create-commands/{command_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_delivery_services_carry_each_carriers_limits(emulator_http: httpx.Client) -> None:
    services = emulator_http.get(f"{BASE}/delivery-services").json()["services"]
    lockers = [s for s in services if s["name"].startswith("Allegro Paczkomaty InPost")]
    assert {s["carrierId"] for s in lockers} == {"INPOST"}
    cod = next(s for s in lockers if s.get("cashOnDelivery"))
    assert cod["cashOnDelivery"]["limit"] == 5000
    assert cod["packageTypes"] == ["PACKAGE"]


def test_a_command_is_in_progress_then_succeeds_with_a_waybill(
    emulator_http: httpx.Client,
) -> None:
    form = order(emulator_http, "dpd")
    command_id = create(emulator_http, request_for(form))
    assert status(emulator_http, command_id, settle=False)["status"] == "IN_PROGRESS"
    done = status(emulator_http, command_id)
    assert done["status"] == "SUCCESS"
    shipment = emulator_http.get(f"{BASE}/shipments/{done['shipmentId']}").json()
    assert shipment["carrier"] == "DPD"
    assert shipment["packages"][0]["waybill"]
    assert shipment["pickupAvailable"] is True


@pytest.mark.parametrize(
    ("delivery", "package", "code", "path"),
    [
        ("inpost-lockers", {"weight": 25.5}, "PACKAGE_MAX_WEIGHT_EXCEEDED", "packages[0].weight"),
        ("inpost-lockers", {"length": 70}, "PACKAGE_MAX_SIZE_EXCEEDED", "packages[0]"),
        (
            "poczta-polska",
            {"type": "PACKAGE", "height": 1},
            "PACKAGE_TYPE_NOT_SUPPORTED",
            "packages[0].type",
        ),
        ("dpd", {"weight": 8.533}, "CARRIER_ERROR", "/shipment-management"),
        ("dpd", {"width": 0.5}, "PACKAGE_MIN_SIZE_EXCEEDED", "packages[0]"),
    ],
)
def test_what_the_carrier_refuses_ends_the_command_in_error(
    emulator_http: httpx.Client, delivery: str, package: dict[str, Any], code: str, path: str
) -> None:
    form = order(emulator_http, delivery)
    done = status(emulator_http, create(emulator_http, request_for(form, **package)))
    assert done["status"] == "ERROR"
    assert (done["errors"][0]["code"], done["errors"][0]["path"]) == (code, path)
    assert done["errors"][0]["userMessage"]


def test_lockers_need_the_point_and_one_package(emulator_http: httpx.Client) -> None:
    form = order(emulator_http, "inpost-lockers")
    data = request_for(form)
    del data["receiver"]["point"]
    data["packages"] *= 2
    done = status(emulator_http, create(emulator_http, data))
    codes = {(e["code"], e["path"]) for e in done["errors"]}
    assert codes == {
        ("PACKAGES_COUNT_EXCEEDED", "packages.length"),
        ("RECEIVER_POINT_REQUIRED", "receiver.point"),
    }


def test_cash_on_delivery_limits_and_insurance(emulator_http: httpx.Client) -> None:
    form = order(emulator_http, "inpost-courier", "CASH_ON_DELIVERY")
    data = request_for(form)
    data["cashOnDelivery"] = {"amount": "5000.01", "currency": "PLN"}
    assert status(emulator_http, create(emulator_http, data))["errors"][0]["path"] == (
        "cashOnDelivery.amount"
    )
    data["cashOnDelivery"] = {"amount": "100.00", "currency": "PLN"}
    data["insurance"] = {"amount": "50.00", "currency": "PLN"}
    assert status(emulator_http, create(emulator_http, data))["errors"][0]["code"] == (
        "PROCESSING_ERROR"
    )
    paid = order(emulator_http, "inpost-courier")
    data = request_for(paid)
    data["cashOnDelivery"] = {"amount": "10.00", "currency": "PLN"}
    assert status(emulator_http, create(emulator_http, data))["errors"][0]["code"] == (
        "CASH_ON_DELIVERY_NOT_AVAILABLE"
    )


def test_an_unknown_receiver_and_a_reused_command_id_are_refused(
    emulator_http: httpx.Client,
) -> None:
    form = order(emulator_http, "dpd")
    data = request_for(form)
    data["receiver"]["email"] = "nobody@example.com"
    done = status(emulator_http, create(emulator_http, data))
    assert done["errors"][0]["path"] == "receiver.email"
    command_id = create(emulator_http, request_for(form))
    assert status(emulator_http, command_id)["status"] == "SUCCESS"
    create(emulator_http, request_for(form), command_id)
    assert status(emulator_http, command_id)["errors"][0]["code"] == "PROCESSING_ERROR"
    shipments = emulator_http.get("/_emulator/shipments").json()
    assert len(shipments) == 1  # the first shipment stays


def _shipment(client: httpx.Client, delivery: str) -> str:
    form = order(client, delivery)
    shipment_id: str = status(client, create(client, request_for(form)))["shipmentId"]
    return shipment_id


def test_labels_in_a4_and_a6_and_the_protocol_are_pdfs(emulator_http: httpx.Client) -> None:
    ids = [_shipment(emulator_http, "dpd") for _ in range(5)]
    a4 = post(emulator_http, f"{BASE}/label", {"shipmentIds": ids, "pageSize": "A4"}, file=True)
    assert a4.status_code == 200, a4.text
    assert a4.content.startswith(b"%PDF-") and a4.content.count(b"/Type /Page ") == 2
    a6 = post(emulator_http, f"{BASE}/label", {"shipmentIds": ids, "pageSize": "A6"}, file=True)
    assert a6.content.count(b"/Type /Page ") == 5
    assert b"MediaBox [0 0 298 420]" in a6.content
    protocol = post(emulator_http, f"{BASE}/protocol", {"shipmentIds": ids}, file=True)
    assert protocol.content.startswith(b"%PDF-")
    missing = post(emulator_http, f"{BASE}/label", {"shipmentIds": [str(uuid.uuid4())]}, file=True)
    assert missing.status_code == 404


def test_pickup_from_proposals_then_cancel_is_refused(emulator_http: httpx.Client) -> None:
    shipment_id = _shipment(emulator_http, "dpd")
    proposals = post(
        emulator_http, f"{BASE}/pickup-proposals", {"shipmentIds": [shipment_id], "address": SENDER}
    )
    assert proposals.status_code == 200, proposals.text
    slot = proposals.json()[0]["proposals"][0]["pickupTimes"][0]
    command_id = str(uuid.uuid4())
    created = post(
        emulator_http,
        f"{BASE}/pickups/create-commands",
        {
            "commandId": command_id,
            "input": {"shipmentIds": [shipment_id], "address": SENDER, "pickupTime": slot},
        },
    )
    assert created.status_code == 200, created.text
    emulator_http.post("/_emulator/shipment-commands/settle", json={})
    done = emulator_http.get(f"{BASE}/pickups/create-commands/{command_id}").json()
    assert done["status"] == "SUCCESS"
    pickup = emulator_http.get(f"{BASE}/pickups/{done['pickupId']}").json()
    assert pickup["shipmentIds"] == [shipment_id]
    cancel_id = str(uuid.uuid4())
    post(
        emulator_http,
        f"{BASE}/shipments/cancel-commands",
        {"commandId": cancel_id, "input": {"shipmentId": shipment_id}},
    )
    emulator_http.post("/_emulator/shipment-commands/settle", json={})
    cancelled = emulator_http.get(f"{BASE}/shipments/cancel-commands/{cancel_id}").json()
    assert cancelled["errors"][0]["code"] == "SHIPMENT_CANNOT_BE_CANCELLED"


def test_the_world_with_shipments_pickles(emulator_http: httpx.Client, emulator: Any) -> None:
    """The emulator saves its world with pickle: pending commands hold no closures."""
    form = order(emulator_http, "dpd")
    create(emulator_http, request_for(form))
    assert pickle.loads(pickle.dumps(emulator.world)).shipments.commands  # noqa: S301 (our own bytes)


def test_lockers_offer_no_pickup_and_cancel_works(emulator_http: httpx.Client) -> None:
    shipment_id = _shipment(emulator_http, "inpost-lockers")
    refused = post(
        emulator_http, f"{BASE}/pickup-proposals", {"shipmentIds": [shipment_id], "address": SENDER}
    )
    assert refused.status_code == 400
    cancel_id = str(uuid.uuid4())
    post(
        emulator_http,
        f"{BASE}/shipments/cancel-commands",
        {"commandId": cancel_id, "input": {"shipmentId": shipment_id}},
    )
    emulator_http.post("/_emulator/shipment-commands/settle", json={})
    assert (
        emulator_http.get(f"{BASE}/shipments/cancel-commands/{cancel_id}").json()["status"]
        == "SUCCESS"
    )
    assert emulator_http.get(f"{BASE}/shipments/{shipment_id}").json()["canceledDate"]
