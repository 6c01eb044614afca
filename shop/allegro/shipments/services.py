"""Wysyłam z Allegro: create a parcel for an order, follow its command, label, cancel.

Every create starts with a row holding a fresh command id, committed before the POST. A retry
of a parcel still ``PENDING`` reads that command first (404: it never arrived, post it again
with the same id) — Allegro ends a repeated command id in ``ERROR`` (allegro/allegro-api#9128),
and an order with a live parcel gets no second one.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroClient, AllegroError, NotFound
from allegro_api.models.shipment_management import (
    CommandError,
    CommandStatus,
    DeliveryService,
    DeliveryServices,
    ShipmentAddress,
    ShipmentCreateRequest,
)
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    LIVE_STATES,
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroParcel,
    ParcelBatch,
    ParcelSettings,
    ParcelState,
)
from shop.allegro.orders.services.fulfillment import shipment_issued_by_allegro
from shop.allegro.shipments import mapping
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write

logger = logging.getLogger(__name__)

SERVICES_CACHE_SECONDS = 3600
#: How long one call waits for a create command (then a task follows it).
FOLLOW_ATTEMPTS = 6
FOLLOW_PAUSE = 0.5


@dataclass
class PackageInput:
    package_type: str = "PACKAGE"
    length: Decimal = Decimal(30)
    width: Decimal = Decimal(20)
    height: Decimal = Decimal(10)
    weight: Decimal = Decimal(1)
    cod_amount: Decimal | None = None
    insurance: Decimal | None = None
    point: str = ""


@dataclass
class ParcelOutcome:
    parcel: AllegroParcel
    errors: dict[str | None, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.parcel.state == ParcelState.CREATED


def settings_for(account: AllegroAccount) -> ParcelSettings:
    found, _created = ParcelSettings.objects.get_or_create(account=account)
    return found


def delivery_services_list(*, account: AllegroAccount) -> list[DeliveryService]:
    """The account's delivery services, cached for an hour."""
    key = f"allegro:delivery-services:{account.pk}"
    cached = cache.get(key)
    if cached is not None:
        return DeliveryServices.model_validate(cached).services
    with client_for(account) as client:
        found = client.shipment_management.delivery_services()
    cache.set(key, found.to_api(), SERVICES_CACHE_SECONDS)
    return found.services


def delivery_service_for(*, form: AllegroCheckoutForm) -> DeliveryService | None:
    method = str(((form.raw.get("delivery") or {}).get("method") or {}).get("id") or "")
    return mapping.service_for_method(delivery_services_list(account=form.account), method)


def _items_weight(form: AllegroCheckoutForm) -> Decimal | None:
    """The products' catalog weights times their quantities; None when one is unknown."""
    if form.order is None:
        return None
    total = Decimal(0)
    for item in form.order.items.select_related("product"):
        if item.product is None or not item.product.weight:
            return None
        total += item.product.weight * item.quantity
    return total.quantize(Decimal("0.01")) if total else None


def package_defaults(*, form: AllegroCheckoutForm) -> PackageInput:
    """The account's default box; the weight from the products when the catalog has them all
    (else the account's default), the order's COD amount and the buyer's point."""
    conf = settings_for(form.account)
    receiver = mapping.receiver_from_form(form.raw)
    cod = form.total if form.payment_type == "CASH_ON_DELIVERY" else None
    return PackageInput(
        length=conf.length,
        width=conf.width,
        height=conf.height,
        weight=_items_weight(form) or conf.weight,
        cod_amount=cod,
        insurance=cod,  # Allegro refuses insurance below the COD amount (#9128)
        point=receiver.point or "",
    )


def sender_address(conf: ParcelSettings) -> ShipmentAddress:
    account = conf.account
    return ShipmentAddress(
        company=conf.sender_name or account.login or "Sklep",
        street=conf.sender_street or "-",
        postal_code=conf.sender_post_code or account.post_code or "00-001",
        city=conf.sender_city or account.city or "-",
        country_code="PL",
        email=conf.sender_email or "sklep@example.com",
        phone=conf.sender_phone or "+48500600700",
    )


def _validate(
    package: PackageInput, service: DeliveryService | None
) -> dict[str | None, list[str]]:
    """What we can check before sending (the limits Allegro publishes per service)."""
    errors: dict[str | None, list[str]] = {}
    if service is None:
        errors[None] = [
            _("Metoda dostawy zamówienia nie jest obsługiwana przez Wysyłam z Allegro.")
        ]
        return errors
    if service.package_types and package.package_type not in service.package_types:
        errors["package_type"] = [_("Ta usługa nie przyjmuje takiego rodzaju paczki.")]
    cod_limit = service.cash_on_delivery.limit if service.cash_on_delivery else None
    if package.cod_amount and cod_limit is None:
        errors["cod_amount"] = [_("Zamówienie nie jest za pobraniem.")]
    elif package.cod_amount and cod_limit is not None and package.cod_amount > cod_limit:
        errors["cod_amount"] = [_("Pobranie przekracza limit %(l)s zł.") % {"l": cod_limit}]
    if (
        package.cod_amount
        and package.insurance is not None
        and package.insurance < package.cod_amount
    ):
        errors["insurance"] = [_("Ubezpieczenie nie może być niższe niż kwota pobrania.")]
    for name in ("length", "width", "height", "weight"):
        if getattr(package, name) <= 0:
            errors[name] = [_("Podaj wartość większą od zera.")]
    return errors


def shipment_create(
    *,
    form: AllegroCheckoutForm,
    package: PackageInput | None = None,
    user: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ParcelOutcome:
    """Create the order's parcel (or follow the one already under way)."""
    live = form.parcels.filter(state__in=LIVE_STATES).order_by("-id").first()
    if live is not None:
        if live.state == ParcelState.PENDING:
            return shipment_follow(parcel=live, user=user, sleep=sleep)
        return ParcelOutcome(parcel=live)
    parcel = parcel_send(form=form, package=package, user=user)
    sleep(FOLLOW_PAUSE)  # a command is never done at once: no status read wasted on it
    return shipment_follow(parcel=parcel, user=user, sleep=sleep)


def parcel_send(
    *,
    form: AllegroCheckoutForm,
    package: PackageInput | None = None,
    user: Any = None,
    batch: ParcelBatch | None = None,
) -> AllegroParcel:
    """Check, store the row with its command id, then send the create command."""
    package = package or package_defaults(form=form)
    service = delivery_service_for(form=form)
    errors = _validate(package, service)
    if errors:
        raise ParcelInvalid(errors)
    assert service is not None
    receiver = mapping.receiver_from_form(form.raw)
    receiver.point = package.point or None
    sizes: dict[str, Any] = {
        "package_type": package.package_type,
        "length": package.length,
        "width": package.width,
        "height": package.height,
        "weight": package.weight,
        "cod_amount": package.cod_amount,
        "insurance": package.insurance,
    }
    request = mapping.create_request(
        method_id=str(service.id.delivery_method_id),
        sender=sender_address(settings_for(form.account)),
        receiver=receiver,
        reference=form.order.number if form.order else form.form_id,
        currency=form.currency,
        **sizes,
    )
    parcel = AllegroParcel.objects.create(
        form=form,
        batch=batch,
        command_id=str(uuid.uuid4()),
        delivery_method_id=str(service.id.delivery_method_id),
        carrier_id=service.carrier_id or "",
        service_name=service.name or "",
        point=package.point,
        raw={"request": request.to_api()},
        **sizes,
    )
    try:
        with client_for(form.account) as client:
            client.shipment_management.create(parcel.command_id, request)
    except AllegroError as exc:
        # Maybe arrived, maybe not: the row stays PENDING and the next attempt reads it first.
        raise ApplicationError(describe_error(exc)) from exc
    audit_log_write(
        action="allegro.parcel_create",
        obj=form.order or form,
        user=user,
        changes={"form": form.form_id, "command": parcel.command_id},
    )
    return parcel


class ParcelInvalid(ApplicationError):
    """Refused before sending; ``errors`` by form field (None: the whole form)."""

    def __init__(self, errors: dict[str | None, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def _status(client: AllegroClient, parcel: AllegroParcel) -> CommandStatus | None:
    try:
        return client.shipment_management.create_status(parcel.command_id)
    except NotFound:
        return None


def shipment_follow(
    *,
    parcel: AllegroParcel,
    user: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = FOLLOW_ATTEMPTS,
) -> ParcelOutcome:
    """Read the create command until it finishes; store the waybill or Allegro's errors."""
    if parcel.state != ParcelState.PENDING:
        return ParcelOutcome(parcel=parcel)
    form = parcel.form
    with client_for(form.account) as client:
        status = _status(client, parcel)
        if status is None:  # the POST never arrived: send it again with the same id
            request = ShipmentCreateRequest.model_validate(parcel.raw.get("request") or {})
            client.shipment_management.create(parcel.command_id, request)
            status = _status(client, parcel)
        for _attempt in range(attempts):
            if status is None or status.status != "IN_PROGRESS":
                break
            sleep(FOLLOW_PAUSE)
            status = _status(client, parcel)
        if status is None or status.status == "IN_PROGRESS":
            return ParcelOutcome(parcel=parcel)
        if status.status == "ERROR":
            parcel.state = ParcelState.FAILED
            parcel.errors = [e.to_api() for e in status.errors]
            parcel.save(update_fields=["state", "errors", "updated_at"])
            return ParcelOutcome(parcel=parcel, errors=mapping.errors_by_field(status.errors))
        details = client.shipment_management.get(str(status.shipment_id))
    parcel.shipment_id = str(status.shipment_id)
    parcel.waybill = details.waybills[0] if details.waybills else ""
    parcel.carrier_id = details.carrier or parcel.carrier_id
    parcel.state = ParcelState.CREATED
    parcel.errors = []
    parcel.raw = {**parcel.raw, "shipment": details.to_api()}
    parcel.save()
    _attach_tracking(parcel, user)
    return ParcelOutcome(parcel=parcel)


def _attach_tracking(parcel: AllegroParcel, user: Any) -> None:
    """The waybill Allegro put on the order, mirrored; the order marked sent per the setting."""
    if parcel.tracking_attached or not parcel.waybill:
        return
    shipment_issued_by_allegro(
        form=parcel.form,
        carrier_id=parcel.carrier_id,
        waybill=parcel.waybill,
        mark_sent=settings_for(parcel.form.account).mark_sent,
        user=user,
    )
    parcel.tracking_attached = True
    parcel.save(update_fields=["tracking_attached", "updated_at"])


def parcel_errors(parcel: AllegroParcel) -> dict[str | None, list[str]]:
    return mapping.errors_by_field([CommandError.model_validate(e) for e in parcel.errors])


def shipment_cancel(
    *, parcel: AllegroParcel, user: Any = None, sleep: Callable[[float], None] = time.sleep
) -> bool:
    """Cancel a created parcel in Allegro; True once Allegro confirms."""
    if parcel.state != ParcelState.CREATED:
        raise ApplicationError(_("Tej przesyłki nie można anulować."))
    if not parcel.cancel_command_id:
        parcel.cancel_command_id = str(uuid.uuid4())
        parcel.save(update_fields=["cancel_command_id", "updated_at"])
    try:
        with client_for(parcel.form.account) as client:
            api = client.shipment_management
            try:
                status = api.cancel_status(parcel.cancel_command_id)
            except NotFound:
                api.cancel(parcel.cancel_command_id, parcel.shipment_id)
                status = api.cancel_status(parcel.cancel_command_id)
            for _attempt in range(FOLLOW_ATTEMPTS):
                if status.status != "IN_PROGRESS":
                    break
                sleep(FOLLOW_PAUSE)
                status = api.cancel_status(parcel.cancel_command_id)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    if status.status == "ERROR":
        message = "; ".join(e.user_message or e.message or "" for e in status.errors)
        parcel.cancel_command_id = ""
        parcel.save(update_fields=["cancel_command_id", "updated_at"])
        raise ApplicationError(message or _("Allegro nie anulowało przesyłki."))
    if status.status != "SUCCESS":
        return False
    parcel.state = ParcelState.CANCELLED
    parcel.save(update_fields=["state", "updated_at"])
    audit_log_write(
        action="allegro.parcel_cancel",
        obj=parcel.form.order or parcel.form,
        user=user,
        changes={"waybill": parcel.waybill},
    )
    return True


def labels_download(
    *, account: AllegroAccount, parcels: Sequence[AllegroParcel], page_size: str = "A4"
) -> bytes:
    """One PDF with the labels of every created parcel (one request)."""
    ids = [p.shipment_id for p in parcels if p.state == ParcelState.CREATED and p.shipment_id]
    if not ids:
        raise ApplicationError(_("Brak utworzonych przesyłek."))
    try:
        with client_for(account) as client:
            return client.shipment_management.label(ids, page_size=page_size)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc


def protocol_download(*, account: AllegroAccount, parcels: Sequence[AllegroParcel]) -> bytes:
    ids = [p.shipment_id for p in parcels if p.state == ParcelState.CREATED and p.shipment_id]
    if not ids:
        raise ApplicationError(_("Brak utworzonych przesyłek."))
    try:
        with client_for(account) as client:
            return client.shipment_management.protocol(ids)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc


def parcels_follow_pending(*, older_than: timedelta = timedelta(seconds=30)) -> dict[str, int]:
    """Finish the parcels whose create command nobody followed to the end (a closed page,
    a worker that stopped): read each command once, store waybills or Allegro's errors."""
    counts = {"checked": 0, "created": 0, "failed": 0, "errors": 0}
    cutoff = timezone.now() - older_than
    pending = AllegroParcel.objects.filter(state=ParcelState.PENDING, created_at__lt=cutoff)
    for parcel in pending.select_related("form__account", "form__order")[:200]:
        if not parcel.form.account.is_usable:
            continue
        counts["checked"] += 1
        try:
            outcome = shipment_follow(parcel=parcel, attempts=0)
        except (ApplicationError, AllegroError) as exc:
            logger.warning("parcel %s not followed: %s", parcel.pk, exc)
            counts["errors"] += 1
            continue
        if outcome.parcel.state == ParcelState.CREATED:
            counts["created"] += 1
        elif outcome.parcel.state == ParcelState.FAILED:
            counts["failed"] += 1
    return counts
