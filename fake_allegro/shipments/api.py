"""``/shipment-management/...``: Wysyłam z Allegro (shipments, labels, protocols, pickups).

Creating a shipment or a pickup is a command: the POST answers 200 with the command, which is
``IN_PROGRESS`` for ``COMMAND_SECONDS`` of emulator time and then ``SUCCESS`` or ``ERROR``.
What Allegro refuses, and how (allegro/allegro-api issues), all reported in the command's
``errors`` with ``status: ERROR``:

* a receiver e-mail that names no order of the seller: ``VALIDATION_FAILED`` on
  ``receiver.email`` (#10176; the e-mail is required, #10837);
* more packages than the service takes: ``PACKAGES_COUNT_EXCEEDED`` on ``packages.length``
  ("Maximum number of parcels is 1", #10615); only DPD takes up to 10 (#9862);
* a side smaller than the carrier accepts: ``PACKAGE_MIN_SIZE_EXCEEDED`` on ``packages[i]``
  (#10615), larger: ``PACKAGE_MAX_SIZE_EXCEEDED`` (the size limit of #9903; limits differ per
  carrier and are not published, #9903);
* a weight over the carrier's maximum: ``PACKAGE_MAX_WEIGHT_EXCEEDED`` (#9903), under 0.01 kg
  or with more than two decimals: ``CARRIER_ERROR`` (#12540, #13550);
* a label text over 50 characters: ``TEXT_ON_LABEL_TOO_LONG`` on ``packages.textOnLabel`` (#10615);
* insurance lower than the cash-on-delivery amount: ``PROCESSING_ERROR`` with Allegro's
  unhelpful "Problem z nadaniem przesyłki" (#9128);
* a command id used before: ``PROCESSING_ERROR`` too (#9128) — read the command instead of
  posting it again.

Codes not quoted in an issue (max size, weight, COD limit, package type, missing point) are
descriptive. Labels and protocols are PDF files the emulator draws (``pdf.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fake_allegro.control import control, json_body, ok
from fake_allegro.errors import ApiError
from fake_allegro.orders.state import StoredForm, form_shipment_record, iso, orders_of
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.shipments import pdf
from fake_allegro.shipments.state import (
    COMMAND_SECONDS,
    SERVICES,
    Service,
    ShipmentsState,
    StoredCommand,
    StoredPickup,
    StoredShipment,
    services_by_method,
    shipments_of,
)
from fake_allegro.world import World

MAX_TEXT_ON_LABEL = 50
MAX_IDS = 100
PROCESSING = "Problem z nadaniem przesyłki. Skontaktuj się z nami. Pomożemy jak najszybciej."


def _err(code: str, message: str, path: str, user_message: str | None = None) -> dict[str, str]:
    return {
        "code": code,
        "message": message,
        "details": "",
        "path": path,
        "userMessage": user_message or message,
    }


def _settle(world: World, command: StoredCommand) -> None:
    if command.finished or world.now() < command.due:
        return
    command.finished = True
    if command.errors:
        return
    state = shipments_of(world)
    pending = command.pending
    if isinstance(pending, StoredShipment):
        pending.created_at = command.due
        pending.waybills = [state.new_waybill(pending.service) for _ in pending.data["packages"]]
        state.shipments[pending.id] = pending
        # Allegro puts the parcel's numbers on the order itself (allegro/allegro-api#13267).
        form = orders_of(world).forms.get(pending.form_id)
        if form is not None:
            for waybill in pending.waybills:
                form_shipment_record(world, form, pending.service.carrier_id, waybill)
    elif isinstance(pending, StoredPickup):
        state.pickups[pending.id] = pending
    elif command.kind == "cancel" and command.shipment_id in state.shipments:
        state.shipments[command.shipment_id].canceled_at = command.due


def _command_json(world: World, command: StoredCommand) -> dict[str, Any]:
    _settle(world, command)
    status = "IN_PROGRESS" if not command.finished else ("ERROR" if command.errors else "SUCCESS")
    data: dict[str, Any] = {"commandId": command.id, "status": status}
    if status == "ERROR":
        data["errors"] = command.errors
    if command.kind == "pickup":
        if status == "SUCCESS":
            data["pickupId"] = command.pickup_id
            data["carrierPickupId"] = command.carrier_pickup_id
    elif status == "SUCCESS":
        data["shipmentId"] = command.shipment_id
    return data


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _form_by_email(world: World, seller_id: str, email: str) -> StoredForm | None:
    email = email.strip().lower()
    found = [
        f
        for f in orders_of(world).seller_forms(seller_id)
        if str((f.data.get("buyer") or {}).get("email") or "").lower() == email
        and f.status != "CANCELLED"
    ]
    return max(found, key=lambda f: f.bought_at) if found else None


def _package_errors(service: Service, index: int, package: dict[str, Any]) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    where = f"packages[{index}]"
    if package.get("type") not in service.package_types:
        errors.append(
            _err(
                "PACKAGE_TYPE_NOT_SUPPORTED",
                f"Package type {package.get('type')} is not supported by the delivery service",
                f"{where}.type",
                "Wybrany rodzaj paczki nie jest obsługiwany przez tę usługę dostawy.",
            )
        )
    sides = sorted(
        (_decimal((package.get(k) or {}).get("value")) or Decimal(0))
        for k in ("length", "width", "height")
    )[::-1]
    for side in sides:
        if side < service.min_side:
            errors.append(
                _err(
                    "PACKAGE_MIN_SIZE_EXCEEDED",
                    "One of the provided parcel dimensions is smaller than the acceptable "
                    f"value. The provided value: {side:g}, the acceptable value: "
                    f"{service.min_side}",
                    where,
                    "Jeden z podanych wymiarów paczki jest mniejszy niż dopuszczalna wartość. "
                    f"Podana wartość: {side:g}, dopuszczalna wartość: {service.min_side}",
                )
            )
            break
    for side, limit in zip(sides, service.max_sides, strict=True):
        if side > limit:
            errors.append(
                _err(
                    "PACKAGE_MAX_SIZE_EXCEEDED",
                    "One of the provided parcel dimensions is greater than the acceptable "
                    f"value. The provided value: {side:g}, the acceptable value: {limit}",
                    where,
                    "Jeden z podanych wymiarów paczki jest większy niż dopuszczalna wartość. "
                    f"Podana wartość: {side:g}, dopuszczalna wartość: {limit}",
                )
            )
            break
    weight = _decimal((package.get("weight") or {}).get("value")) or Decimal(0)
    if weight > service.max_weight:
        errors.append(
            _err(
                "PACKAGE_MAX_WEIGHT_EXCEEDED",
                f"Parcel weight exceeds the limit of {service.max_weight:g} kg",
                f"{where}.weight",
                f"Waga paczki przekracza dopuszczalne {service.max_weight:g} kg.",
            )
        )
    elif weight < Decimal("0.01") or weight != weight.quantize(Decimal("0.01")):
        errors.append(
            _err(
                "CARRIER_ERROR",
                "Carrier error",
                "/shipment-management",
                "Error has occurred in the external carrier system: Błędy walidacji "
                "przesyłki: Błąd parametru weight: Waga paczki nie może być mniejsza niż "
                "0.01 kg i może mieć najwyżej dwa miejsca po przecinku.",
            )
        )
    if len(str(package.get("textOnLabel") or "")) > MAX_TEXT_ON_LABEL:
        errors.append(
            _err(
                "TEXT_ON_LABEL_TOO_LONG",
                "Additional information on the label is too long",
                "packages.textOnLabel",
                "Dodatkowa informacja na etykiecie jest za długa",
            )
        )
    return errors


def _create_errors(
    data: dict[str, Any], form: StoredForm | None, service: Service | None, cod_method: bool
) -> list[dict[str, str]]:
    if form is None:
        return [
            _err(
                "VALIDATION_FAILED",
                "Selected order can not be used",
                "receiver.email",
            )
        ]
    if service is None:
        return [
            _err(
                "DELIVERY_METHOD_NOT_SUPPORTED",
                "The delivery method of the order is not available in Ship with Allegro",
                "deliveryMethodId",
                "Metoda dostawy tego zamówienia nie jest obsługiwana przez Wysyłam z Allegro.",
            )
        ]
    errors: list[dict[str, str]] = []
    packages = data.get("packages") or []
    if len(packages) > service.max_packages:
        errors.append(
            _err(
                "PACKAGES_COUNT_EXCEEDED",
                f"Maximum number of parcels is {service.max_packages}",
                "packages.length",
                f"Maksymalna liczba przesyłek to {service.max_packages}",
            )
        )
    for index, package in enumerate(packages):
        errors.extend(_package_errors(service, index, package))
    if service.point_required and not (data.get("receiver") or {}).get("point"):
        errors.append(
            _err(
                "RECEIVER_POINT_REQUIRED",
                "Pick up point is required for this delivery service",
                "receiver.point",
                "Podaj punkt odbioru wybrany przez kupującego.",
            )
        )
    cod = data.get("cashOnDelivery")
    cod_amount = _decimal((cod or {}).get("amount")) or Decimal(0)
    if cod and not cod_method:
        errors.append(
            _err(
                "CASH_ON_DELIVERY_NOT_AVAILABLE",
                "Cash on delivery is not available for the chosen delivery method",
                "cashOnDelivery",
                "Zamówienie nie było opłacone przy odbiorze: usuń kwotę pobrania.",
            )
        )
    elif cod_amount > service.cod_limit:
        errors.append(
            _err(
                "CASH_ON_DELIVERY_LIMIT_EXCEEDED",
                f"Cash on delivery amount exceeds the limit of {service.cod_limit} PLN",
                "cashOnDelivery.amount",
                f"Kwota pobrania przekracza limit {service.cod_limit} zł.",
            )
        )
    insurance = _decimal((data.get("insurance") or {}).get("amount"))
    if insurance is not None and insurance > service.insurance_limit:
        errors.append(
            _err(
                "INSURANCE_LIMIT_EXCEEDED",
                f"Insurance amount exceeds the limit of {service.insurance_limit} PLN",
                "insurance.amount",
                f"Kwota ubezpieczenia przekracza limit {service.insurance_limit} zł.",
            )
        )
    elif cod and insurance is not None and insurance < cod_amount:
        # Allegro answers with its generic message here (#9128).
        errors.append(_err("PROCESSING_ERROR", "Problem with dispatch.", "", PROCESSING))
    return errors


def _new_command(
    state: ShipmentsState, call: Call, kind: str, body: dict[str, Any]
) -> StoredCommand:
    seller = call.require_seller()
    now = call.world.now()
    command_id = str(body.get("commandId") or state.new_id())
    command = StoredCommand(
        id=command_id,
        kind=kind,
        seller_id=seller.id,
        created_at=now,
        due=now + timedelta(seconds=COMMAND_SECONDS),
    )
    previous = state.commands.get(command_id)
    if previous is not None:
        # A reused command id ends in Allegro's generic error (#9128); what the first
        # command did stays done.
        command.errors = [_err("PROCESSING_ERROR", "Problem with dispatch.", "", PROCESSING)]
    state.commands[command_id] = command
    return command


def _start(call: Call, kind: str) -> tuple[dict[str, Any], ShipmentsState, bool, StoredCommand]:
    """A new command from the POST: its input, the state, whether its id was used before."""
    body = call.body() or {}
    state = shipments_of(call.world)
    reused = str(body.get("commandId") or "") in state.commands
    return dict(body.get("input") or {}), state, reused, _new_command(state, call, kind, body)


def _command(call: Call, kind: str) -> StoredCommand:
    state = shipments_of(call.world)
    command = state.commands.get(call.params["commandId"])
    if command is None or command.kind != kind or command.seller_id != call.require_seller().id:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Command {call.params['commandId']} not found",
            path=call.request.path,
        )
    return command


def _shipment(call: Call, shipment_id: str, path: str) -> StoredShipment:
    shipment = shipments_of(call.world).shipments.get(shipment_id)
    if shipment is None or shipment.seller_id != call.require_seller().id:
        raise ApiError.one(
            404,
            "SHIPMENT_NOT_FOUND",
            f"Shipment {shipment_id} not found",
            path=path,
            user_message="Nie znaleziono przesyłki.",
        )
    return shipment


# -- delivery services -----------------------------------------------------------------------------


@endpoint("GET", "/shipment-management/delivery-services")
def delivery_services(call: Call) -> dict[str, Any]:
    services: list[dict[str, Any]] = []
    for method, (service, cod) in services_by_method().items():
        item: dict[str, Any] = {
            "id": {"deliveryMethodId": method, "credentialsId": None},
            "name": f"{service.name} pobranie" if cod else service.name,
            "carrierId": service.carrier_id,
            "additionalServices": [],
            "additionalProperties": [],
            "owner": "ALLEGRO",
            "marketplaces": ["allegro-pl"],
            "packageTypes": list(service.package_types),
            "insurance": {"limit": float(service.insurance_limit), "currency": "PLN"},
            "features": {
                "maxWeight": f"{service.max_weight}",
                "maxDimensions": "x".join(str(s) for s in service.max_sides),
                "maxPackages": str(service.max_packages),
                "pointRequired": str(service.point_required).lower(),
            },
        }
        if cod:
            item["cashOnDelivery"] = {
                "limit": float(service.cod_limit),
                "currency": "PLN",
                "paymentType": "MONEY_TRANSFER",
                "forceRequireIban": False,
            }
        services.append(item)
    return {"services": services}


# -- shipments -------------------------------------------------------------------------------------


@endpoint("POST", "/shipment-management/shipments/create-commands")
def create_shipment(call: Call) -> Reply:
    data, state, reused, command = _start(call, "create")
    if not reused:
        seller_id = command.seller_id
        form = _form_by_email(
            call.world, seller_id, str((data.get("receiver") or {}).get("email") or "")
        )
        method = str(data.get("deliveryMethodId") or "")
        if form is not None and not method:
            method = str(((form.data.get("delivery") or {}).get("method") or {}).get("id") or "")
        service, cod = services_by_method().get(method, (None, False))
        command.errors = _create_errors(data, form, service, cod)
        if not command.errors and form is not None and service is not None:
            command.shipment_id = state.new_id()
            command.pending = StoredShipment(
                id=command.shipment_id,
                seller_id=seller_id,
                form_id=form.id,
                service=service,
                method_id=method,
                data=data,
                waybills=[],
                created_at=command.due,
            )
    return Reply(200, {"commandId": command.id, "input": data})


@endpoint("GET", "/shipment-management/shipments/create-commands/{commandId}")
def create_status(call: Call) -> dict[str, Any]:
    return _command_json(call.world, _command(call, "create"))


def shipment_json(shipment: StoredShipment) -> dict[str, Any]:
    data = shipment.data
    packages = []
    for package, waybill in zip(data.get("packages") or [], shipment.waybills, strict=False):
        packages.append(
            {
                **package,
                "waybill": waybill,
                "transportingInfo": [
                    {"carrierId": shipment.service.carrier_id, "carrierWaybill": waybill}
                ],
            }
        )
    result: dict[str, Any] = {
        "id": shipment.id,
        "deliveryMethodId": shipment.method_id,
        "credentialsId": None,
        "sender": data.get("sender"),
        "receiver": data.get("receiver"),
        "referenceNumber": data.get("referenceNumber"),
        "packages": packages,
        "createdDate": iso(shipment.created_at),
        "canceledDate": iso(shipment.canceled_at) if shipment.canceled_at else None,
        "carrier": shipment.service.carrier_id,
        "labelFormat": data.get("labelFormat") or "PDF",
        "additionalServices": data.get("additionalServices") or [],
        "additionalProperties": data.get("additionalProperties") or {},
        "transport": [shipment.service.carrier_id],
        "pickupAvailable": shipment.service.pickup_available and shipment.canceled_at is None,
    }
    for key in ("insurance", "cashOnDelivery"):
        if data.get(key):
            result[key] = data[key]
    return result


@endpoint("GET", "/shipment-management/shipments/{shipmentId}")
def get_shipment(call: Call) -> dict[str, Any]:
    return shipment_json(_shipment(call, call.params["shipmentId"], "shipmentId"))


@endpoint("POST", "/shipment-management/shipments/cancel-commands")
def cancel_shipment(call: Call) -> Reply:
    data, state, reused, command = _start(call, "cancel")
    shipment = state.shipments.get(str(data.get("shipmentId")))
    command.shipment_id = str(data.get("shipmentId"))
    if reused:
        pass
    elif shipment is None or shipment.seller_id != command.seller_id:
        command.errors = [
            _err(
                "SHIPMENT_NOT_FOUND",
                "Shipment not found",
                "shipmentId",
                "Nie znaleziono przesyłki.",
            )
        ]
    elif shipment.canceled_at is not None:
        command.errors = [
            _err(
                "SHIPMENT_ALREADY_CANCELLED",
                "Shipment is already cancelled",
                "shipmentId",
                "Przesyłka została już anulowana.",
            )
        ]
    elif any(shipment.id in p.shipment_ids for p in state.pickups.values()):
        command.errors = [
            _err(
                "SHIPMENT_CANNOT_BE_CANCELLED",
                "Shipment with ordered pickup cannot be cancelled",
                "shipmentId",
                "Nie można anulować przesyłki, do której zamówiono odbiór.",
            )
        ]
    return Reply(200, {"commandId": command.id, "input": data})


@endpoint("GET", "/shipment-management/shipments/cancel-commands/{commandId}")
def cancel_status(call: Call) -> dict[str, Any]:
    return _command_json(call.world, _command(call, "cancel"))


# -- labels and protocols --------------------------------------------------------------------------


def _documented(call: Call, ids: list[str]) -> list[StoredShipment]:
    shipments = [_shipment(call, i, "shipmentIds") for i in ids]
    for shipment in shipments:
        if shipment.canceled_at is not None:
            raise ApiError.one(
                400,
                "SHIPMENT_CANCELLED",
                f"Shipment {shipment.id} is cancelled",
                path="shipmentIds",
                user_message="Przesyłka została anulowana.",
            )
    return shipments


def _draw_label(page: pdf.Page, x: float, y: float, w: float, h: float, s: StoredShipment) -> None:
    receiver = s.data.get("receiver") or {}
    sender = s.data.get("sender") or {}
    waybill = s.waybills[0] if s.waybills else ""
    page.rect(x + 8, y + 8, w - 16, h - 16)
    top = y + h - 30
    page.text(x + 16, top, s.service.name, size=11, bold=True)
    page.text(x + 16, top - 16, f"Nr przesylki: {waybill}", size=9)
    page.text(x + 16, top - 40, "Nadawca:", size=7, bold=True)
    page.text(x + 16, top - 50, str(sender.get("company") or sender.get("name") or ""), size=8)
    page.text(x + 16, top - 60, f"{sender.get('postalCode', '')} {sender.get('city', '')}", size=8)
    page.text(x + 16, top - 84, "Odbiorca:", size=8, bold=True)
    page.text(x + 16, top - 98, str(receiver.get("name") or receiver.get("company") or ""), size=11)
    page.text(x + 16, top - 112, str(receiver.get("street") or ""), size=10)
    page.text(
        x + 16,
        top - 126,
        f"{receiver.get('postalCode', '')} {receiver.get('city', '')}",
        size=10,
    )
    if receiver.get("point"):
        page.text(x + 16, top - 146, f"Punkt: {receiver['point']}", size=12, bold=True)
    cod = s.data.get("cashOnDelivery")
    if cod:
        page.text(
            x + 16, top - 166, f"POBRANIE {cod['amount']} {cod['currency']}", size=12, bold=True
        )
    page.barcode(x + 16, y + 40, w - 32, 60, waybill)
    page.text(x + w / 2 - 40, y + 24, waybill, size=9)
    if s.data.get("referenceNumber"):
        page.text(x + 16, y + 110, f"Ref: {s.data['referenceNumber']}", size=7)


@endpoint("POST", "/shipment-management/label")
def label(call: Call) -> Reply:
    body = call.body() or {}
    ids = [str(i) for i in body.get("shipmentIds") or []]
    if not ids:
        raise ApiError.one(
            400, "VALIDATION_ERROR", "shipmentIds must not be empty", path="shipmentIds"
        )
    shipments = _documented(call, ids)
    formats = {str(s.data.get("labelFormat") or "PDF") for s in shipments}
    if len(formats) > 1:
        raise ApiError.one(
            400,
            "LABEL_FORMAT_MISMATCH",
            "Shipments have labels in different formats",
            path="shipmentIds",
            user_message="Etykiety w różnych formatach (PDF i ZPL) pobierz osobno.",
        )
    if formats == {"ZPL"}:
        zpl = "".join(
            f"^XA^FO50,50^A0N,40,40^FD{s.service.name}^FS^FO50,120^BCN,100^FD{s.waybills[0]}^FS^XZ\n"
            for s in shipments
        )
        return Reply(200, zpl.encode(), content_type="application/octet-stream")
    page_size = str(body.get("pageSize") or "A4")
    pages: list[pdf.Page] = []
    if page_size == "A6":
        for s in shipments:
            page = pdf.Page(*pdf.A6)
            _draw_label(page, 0, 0, *pdf.A6, s)
            pages.append(page)
    else:
        width, height = pdf.A4
        cells = [(0, height / 2), (width / 2, height / 2), (0, 0), (width / 2, 0)]
        for start in range(0, len(shipments), 4):
            page = pdf.Page(width, height)
            for (x, y), s in zip(cells, shipments[start : start + 4], strict=False):
                _draw_label(page, x, y, width / 2, height / 2, s)
            if body.get("cutLine"):
                page.line(width / 2, 0, width / 2, height, dashed=True)
                page.line(0, height / 2, width, height / 2, dashed=True)
            pages.append(page)
    return Reply(200, pdf.render(pages), content_type="application/octet-stream")


@endpoint("POST", "/shipment-management/protocol")
def protocol(call: Call) -> Reply:
    body = call.body() or {}
    ids = [str(i) for i in body.get("shipmentIds") or []]
    shipments = _documented(call, ids)
    carriers = {s.service.carrier_id for s in shipments}
    if len(carriers) > 1:
        raise ApiError.one(
            400,
            "DIFFERENT_CARRIERS",
            "A protocol covers shipments of one carrier",
            path="shipmentIds",
            user_message="Protokół obejmuje przesyłki jednego przewoźnika.",
        )
    pages: list[pdf.Page] = []
    rows_per_page = 40
    for start in range(0, max(len(shipments), 1), rows_per_page):
        page = pdf.Page(*pdf.A4)
        page.text(40, 800, "Protokol przekazania przesylek", size=14, bold=True)
        page.text(40, 782, f"Przewoznik: {', '.join(sorted(carriers))}", size=9)
        page.text(40, 770, f"Data: {call.world.now().date().isoformat()}", size=9)
        y = 740.0
        for number, s in enumerate(shipments[start : start + rows_per_page], start=start + 1):
            receiver = s.data.get("receiver") or {}
            page.text(40, y, f"{number}.", size=9)
            page.text(70, y, ", ".join(s.waybills), size=9)
            page.text(250, y, str(receiver.get("name") or ""), size=9)
            page.text(430, y, str(receiver.get("city") or ""), size=9)
            y -= 16
        page.text(40, 60, "Podpis nadawcy: ....................", size=9)
        page.text(320, 60, "Podpis kuriera: ....................", size=9)
        pages.append(page)
    return Reply(200, pdf.render(pages), content_type="application/octet-stream")


# -- pickups ---------------------------------------------------------------------------------------


def _pickup_days(today: date) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < 3:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _pickup_shipments(call: Call, ids: list[str]) -> list[StoredShipment]:
    if not 1 <= len(ids) <= MAX_IDS:
        raise ApiError.one(
            400,
            "VALIDATION_ERROR",
            f"shipmentIds must contain between 1 and {MAX_IDS} ids",
            path="shipmentIds",
        )
    shipments = _documented(call, ids)
    for shipment in shipments:
        if not shipment.service.pickup_available:
            raise ApiError.one(
                400,
                "PICKUP_NOT_AVAILABLE",
                f"Pickup is not available for shipment {shipment.id}",
                path="shipmentIds",
                user_message="Dla tej usługi nie można zamówić odbioru: nadaj paczkę w punkcie.",
            )
    return shipments


@endpoint("POST", "/shipment-management/pickup-proposals")
def pickup_proposals(call: Call) -> list[dict[str, Any]]:
    body = call.body() or {}
    ids = [str(i) for i in body.get("shipmentIds") or []]
    _pickup_shipments(call, ids)
    times = [
        {"date": d.isoformat(), "minTime": "10:00", "maxTime": "16:00"}
        for d in _pickup_days(call.world.now().date())
    ]
    return [
        {
            "proposals": [{"shipmentId": i, "pickupTimes": times} for i in ids],
            "address": body.get("address"),
        }
    ]


@endpoint("POST", "/shipment-management/pickups/create-commands")
def create_pickup(call: Call) -> Reply:
    asked = ((call.body() or {}).get("input") or {}).get("shipmentIds") or []
    ids = [str(i) for i in asked]
    shipments = _pickup_shipments(call, ids)  # refused at once (400), before any command
    data, state, reused, command = _start(call, "pickup")
    if not reused:
        wanted = str((data.get("pickupTime") or {}).get("date") or "")
        allowed = {d.isoformat() for d in _pickup_days(call.world.now().date())}
        if wanted not in allowed:
            command.errors = [
                _err(
                    "PICKUP_DATE_NOT_AVAILABLE",
                    f"Pickup date {wanted} is not available",
                    "pickupTime.date",
                    "Wybierz termin odbioru z zaproponowanych.",
                )
            ]
        else:
            pickup_id = state.new_id()
            command.pickup_id = pickup_id
            command.carrier_pickup_id = f"PU{state.rng.randint(10**8, 10**9 - 1)}"
            command.pending = StoredPickup(
                id=pickup_id,
                carrier_pickup_id=command.carrier_pickup_id,
                seller_id=command.seller_id,
                carrier=shipments[0].service.carrier_id,
                address=dict(data.get("address") or {}),
                shipment_ids=ids,
                waybills=[w for s in shipments for w in s.waybills],
            )
    return Reply(200, {"commandId": command.id, "input": data})


@endpoint("GET", "/shipment-management/pickups/create-commands/{commandId}")
def pickup_status(call: Call) -> dict[str, Any]:
    return _command_json(call.world, _command(call, "pickup"))


@endpoint("GET", "/shipment-management/pickups/{pickupId}")
def get_pickup(call: Call) -> dict[str, Any]:
    pickup = shipments_of(call.world).pickups.get(call.params["pickupId"])
    if pickup is None or pickup.seller_id != call.require_seller().id:
        raise ApiError.one(404, "PICKUP_NOT_FOUND", "Pickup not found", path="pickupId")
    return {
        "id": pickup.id,
        "carrierPickupId": pickup.carrier_pickup_id,
        "carrier": pickup.carrier,
        "pickupCarrier": pickup.carrier,
        "address": pickup.address,
        "shipmentIds": pickup.shipment_ids,
        "waybills": pickup.waybills,
    }


# -- control ---------------------------------------------------------------------------------------


@control("POST", "/shipment-commands/settle")
def settle_commands(call: Call) -> Reply:
    """Finish every pending shipment and pickup command now."""
    json_body(call)
    state = shipments_of(call.world)
    settled = 0
    for command in state.commands.values():
        if not command.finished:
            command.due = min(command.due, call.world.now())
            _settle(call.world, command)
            settled += 1
    return ok({"settled": settled})


@control("GET", "/shipments")
def peek_shipments(call: Call) -> Reply:
    state = shipments_of(call.world)
    return ok([shipment_json(s) for s in state.shipments.values()])


__all__ = ["SERVICES"]
