"""Wysyłam z Allegro: ``/shipment-management/...`` (scopes ``allegro:api:shipments:*``).

Shipments and pickups are created by commands: the POST answers at once with the command id
and the work finishes later (``IN_PROGRESS`` → ``SUCCESS`` | ``ERROR``). The command id is
the caller's: store it before sending. A POST repeated with an id Allegro already saw ends in
``ERROR`` (allegro/allegro-api#9128), so after a lost answer read the command first
(:meth:`ShipmentManagementResource.create_status`, 404 = never arrived) instead of posting
again; the POSTs are therefore never retried by the transport.
"""

from __future__ import annotations

from collections.abc import Sequence

from allegro_api._serialize import path_segment
from allegro_api.models.shipment_management import (
    CommandStatus,
    DeliveryServices,
    PickupCommandStatus,
    PickupDetails,
    PickupProposals,
    PickupTime,
    ShipmentAddress,
    ShipmentCreateRequest,
    ShipmentDetails,
)
from allegro_api.resources._base import Resource

__all__ = ["LABEL_PAGE_SIZES", "ShipmentManagementResource"]

BASE = "/shipment-management"
#: ``pageSize`` of ``POST /shipment-management/label`` (PDF only).
LABEL_PAGE_SIZES = ("A4", "A6")
FILE = "application/octet-stream"


class ShipmentManagementResource(Resource):
    def delivery_services(self) -> DeliveryServices:
        """The services the seller can ship with (Allegro Standard and own agreements)."""
        return self._parse(DeliveryServices, self._r.get_json(f"{BASE}/delivery-services"))

    # -- shipments ----------------------------------------------------------------------------
    def create(self, command_id: str, request: ShipmentCreateRequest) -> CommandStatus:
        body = {"commandId": command_id, "input": request.to_api()}
        data = self._r.send_json(
            "POST", f"{BASE}/shipments/create-commands", body, retry_safe=False
        )
        return self._parse(CommandStatus, data)

    def create_status(self, command_id: str) -> CommandStatus:
        """404 (:class:`~allegro_api.NotFound`) when the command never arrived."""
        path = f"{BASE}/shipments/create-commands/{path_segment(command_id)}"
        return self._parse(CommandStatus, self._r.get_json(path))

    def get(self, shipment_id: str) -> ShipmentDetails:
        path = f"{BASE}/shipments/{path_segment(shipment_id)}"
        return self._parse(ShipmentDetails, self._r.get_json(path))

    def cancel(self, command_id: str, shipment_id: str) -> CommandStatus:
        body = {"commandId": command_id, "input": {"shipmentId": shipment_id}}
        data = self._r.send_json(
            "POST", f"{BASE}/shipments/cancel-commands", body, retry_safe=False
        )
        return self._parse(CommandStatus, data)

    def cancel_status(self, command_id: str) -> CommandStatus:
        path = f"{BASE}/shipments/cancel-commands/{path_segment(command_id)}"
        return self._parse(CommandStatus, self._r.get_json(path))

    # -- documents ----------------------------------------------------------------------------
    def label(
        self, shipment_ids: Sequence[str], *, page_size: str = "A4", cut_line: bool = False
    ) -> bytes:
        """One file with the labels of every shipment (PDF for PDF shipments)."""
        if page_size not in LABEL_PAGE_SIZES:
            raise ValueError(f"page_size must be one of {LABEL_PAGE_SIZES}")
        body = {"shipmentIds": list(shipment_ids), "pageSize": page_size, "cutLine": cut_line}
        response = self._r.request(
            "POST", f"{BASE}/label", json_body=body, accept=FILE, retry_safe=True
        )
        return response.content

    def protocol(self, shipment_ids: Sequence[str]) -> bytes:
        """The handover protocol (PDF) for the courier."""
        body = {"shipmentIds": list(shipment_ids)}
        response = self._r.request(
            "POST", f"{BASE}/protocol", json_body=body, accept=FILE, retry_safe=True
        )
        return response.content

    # -- pickups ------------------------------------------------------------------------------
    def pickup_proposals(
        self,
        shipment_ids: Sequence[str],
        address: ShipmentAddress,
        *,
        ready_date: str | None = None,
    ) -> list[PickupProposals]:
        body: dict[str, object] = {
            "shipmentIds": list(shipment_ids),
            "address": address.to_api(),
        }
        if ready_date:
            body["readyDate"] = ready_date
        data = self._r.send_json("POST", f"{BASE}/pickup-proposals", body, retry_safe=True)
        return [PickupProposals.model_validate(item) for item in data or []]

    def create_pickup(
        self,
        command_id: str,
        shipment_ids: Sequence[str],
        address: ShipmentAddress,
        pickup_time: PickupTime,
    ) -> PickupCommandStatus:
        body = {
            "commandId": command_id,
            "input": {
                "shipmentIds": list(shipment_ids),
                "address": address.to_api(),
                "pickupTime": pickup_time.to_api(),
            },
        }
        data = self._r.send_json("POST", f"{BASE}/pickups/create-commands", body, retry_safe=False)
        return self._parse(PickupCommandStatus, data)

    def pickup_status(self, command_id: str) -> PickupCommandStatus:
        path = f"{BASE}/pickups/create-commands/{path_segment(command_id)}"
        return self._parse(PickupCommandStatus, self._r.get_json(path))

    def pickup(self, pickup_id: str) -> PickupDetails:
        path = f"{BASE}/pickups/{path_segment(pickup_id)}"
        return self._parse(PickupDetails, self._r.get_json(path))
