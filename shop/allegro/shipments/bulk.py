"""Parcels for many orders at once: one batch, default packages, followed to the end.

The orders are worked on by a few threads (``ALLEGRO_PARCEL_WORKERS``): each thread sends one
order's create command, waits, reads it, stores the waybill and gives it to the order. Labels
of the whole batch then come in one request.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.translation import gettext as _

from allegro_api import AllegroError, NotFound
from allegro_api.models.shipment_management import PickupTime, ShipmentAddress
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    LIVE_STATES,
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroParcel,
    BatchStatus,
    ParcelBatch,
    ParcelState,
)
from shop.allegro.shipments import services
from shop.core.errors import ApplicationError
from shop.core.queue import task_enqueue

logger = logging.getLogger(__name__)

PARCEL_BATCH_TASK = "allegro.parcel_batch_run"
BATCH_LIMIT = 500
#: Rounds of reading the commands still in progress after the first pass.
FOLLOW_ROUNDS = 20


def batch_start(
    *, account: AllegroAccount, form_ids: Sequence[int], user: Any = None
) -> ParcelBatch:
    ids = list(
        AllegroCheckoutForm.objects.filter(account=account, pk__in=list(form_ids)[:BATCH_LIMIT])
        .order_by("bought_at", "id")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ApplicationError(_("Zaznacz zamówienia do wysłania."))
    batch = ParcelBatch.objects.create(
        account=account, created_by=user if getattr(user, "pk", None) else None, form_ids=ids
    )
    transaction.on_commit(lambda: task_enqueue(PARCEL_BATCH_TASK, batch.pk))
    return batch


def _one(
    batch: ParcelBatch, form_id: int, sleep: Callable[[float], None], threaded: bool
) -> tuple[int, str]:
    """One order of the batch; a refusal before sending comes back as a message."""
    try:
        form = AllegroCheckoutForm.objects.select_related("account", "order").get(pk=form_id)
        live = form.parcels.filter(state__in=LIVE_STATES).order_by("-id").first()
        if live is not None:
            if live.batch_id is None:
                AllegroParcel.objects.filter(pk=live.pk).update(batch=batch)
            if live.state == ParcelState.PENDING:
                services.shipment_follow(
                    parcel=live, user=batch.created_by, sleep=sleep, attempts=0
                )
            return form_id, ""
        parcel = services.parcel_send(form=form, user=batch.created_by, batch=batch)
        sleep(services.FOLLOW_PAUSE)
        services.shipment_follow(parcel=parcel, user=batch.created_by, sleep=sleep, attempts=0)
        return form_id, ""
    except ApplicationError as exc:
        return form_id, str(exc)
    finally:
        if threaded:
            close_old_connections()


def batch_run(*, batch_id: int, sleep: Callable[[float], None] = time.sleep) -> ParcelBatch:
    batch = ParcelBatch.objects.select_related("account", "created_by").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return batch
    batch.status = BatchStatus.RUNNING
    batch.save(update_fields=["status", "updated_at"])
    services.delivery_services_list(account=batch.account)  # read once, before the threads
    workers = max(1, int(getattr(settings, "ALLEGRO_PARCEL_WORKERS", 1)))
    todo = [int(i) for i in batch.form_ids if str(i) not in batch.refusals]
    if workers == 1:
        results = [_one(batch, form_id, sleep, False) for form_id in todo]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda f: _one(batch, f, sleep, True), todo))
    refusals = {str(form_id): message for form_id, message in results if message}
    for _round in range(FOLLOW_ROUNDS):
        pending = list(
            batch.parcels.filter(state=ParcelState.PENDING).select_related("form__account")
        )
        if not pending:
            break
        sleep(services.FOLLOW_PAUSE)
        for parcel in pending:
            try:
                services.shipment_follow(
                    parcel=parcel, user=batch.created_by, sleep=sleep, attempts=0
                )
            except ApplicationError as exc:
                logger.warning("parcel %s not followed: %s", parcel.pk, exc)
    batch.refusals = {**batch.refusals, **refusals}
    batch.status = BatchStatus.DONE
    batch.save(update_fields=["refusals", "status", "updated_at"])
    return batch


def batch_rows(batch: ParcelBatch) -> list[dict[str, Any]]:
    """One row per order of the batch: its parcel (latest) or the refusal."""
    forms = AllegroCheckoutForm.objects.select_related("order").in_bulk(batch.form_ids)
    parcels: dict[int, AllegroParcel] = {}
    for found in AllegroParcel.objects.filter(form_id__in=batch.form_ids).order_by("id"):
        parcels[found.form_id] = found
    rows = []
    for form_id in batch.form_ids:
        form = forms.get(int(form_id))
        if form is None:
            continue
        parcel = parcels.get(form.pk)
        message = batch.refusals.get(str(form.pk), "")
        if parcel is not None and parcel.state == ParcelState.FAILED:
            message = "; ".join(m for ms in services.parcel_errors(parcel).values() for m in ms)
        rows.append({"form": form, "parcel": parcel, "message": message})
    return rows


def batch_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    created = sum(1 for r in rows if r["parcel"] and r["parcel"].state == ParcelState.CREATED)
    pending = sum(1 for r in rows if r["parcel"] and r["parcel"].state == ParcelState.PENDING)
    return {
        "total": len(rows),
        "created": created,
        "pending": pending,
        "failed": len(rows) - created - pending,
    }


def batch_parcels(batch: ParcelBatch) -> list[AllegroParcel]:
    return list(
        AllegroParcel.objects.filter(
            form_id__in=batch.form_ids, state=ParcelState.CREATED
        ).order_by("form__bought_at", "form_id")
    )


def _pickup_address(batch: ParcelBatch) -> ShipmentAddress:
    return services.sender_address(services.settings_for(batch.account))


def pickup_parcels(batch: ParcelBatch, carrier: str) -> list[AllegroParcel]:
    """The batch's parcels of ``carrier`` a courier can collect (not lockers or points)."""
    return [
        p
        for p in batch_parcels(batch)
        if p.carrier_id == carrier and (p.raw.get("shipment") or {}).get("pickupAvailable")
    ]


def pickup_carriers(batch: ParcelBatch) -> list[str]:
    return sorted(
        {
            p.carrier_id
            for p in batch_parcels(batch)
            if (p.raw.get("shipment") or {}).get("pickupAvailable")
        }
    )


def pickup_proposals(*, batch: ParcelBatch, carrier: str) -> list[PickupTime]:
    """Pickup slots Allegro offers for the batch's parcels of one carrier."""
    ids = [p.shipment_id for p in pickup_parcels(batch, carrier)]
    if not ids:
        raise ApplicationError(_("Brak utworzonych przesyłek."))
    try:
        with client_for(batch.account) as client:
            found = client.shipment_management.pickup_proposals(ids, _pickup_address(batch))
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    slots: list[PickupTime] = []
    for group in found:
        for proposal in group.proposals[:1]:
            slots.extend(proposal.pickup_times)
    return slots


def pickup_create(
    *,
    batch: ParcelBatch,
    carrier: str,
    slot: PickupTime,
    sleep: Callable[[float], None] = time.sleep,
) -> ParcelBatch:
    """Order the courier for the batch once; a retry follows the stored command."""
    if batch.pickup_id:
        return batch
    ids = [p.shipment_id for p in pickup_parcels(batch, carrier)]
    if not batch.pickup_command_id:
        batch.pickup_command_id = str(uuid.uuid4())
        batch.pickup_date = f"{slot.date} {slot.min_time or ''}-{slot.max_time or ''}".strip()
        batch.pickup_error = ""
        batch.save(update_fields=["pickup_command_id", "pickup_date", "pickup_error"])
    try:
        with client_for(batch.account) as client:
            api = client.shipment_management
            try:
                status = api.pickup_status(batch.pickup_command_id)
            except NotFound:
                api.create_pickup(batch.pickup_command_id, ids, _pickup_address(batch), slot)
                sleep(services.FOLLOW_PAUSE)
                status = api.pickup_status(batch.pickup_command_id)
            for _attempt in range(services.FOLLOW_ATTEMPTS):
                if status.status != "IN_PROGRESS":
                    break
                sleep(services.FOLLOW_PAUSE)
                status = api.pickup_status(batch.pickup_command_id)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    if status.status == "ERROR":
        batch.pickup_error = "; ".join(e.user_message or e.message or "" for e in status.errors)
        batch.pickup_command_id = ""  # the failed command created nothing: a new one may follow
    elif status.status == "SUCCESS":
        batch.pickup_id = status.pickup_id or ""
        batch.carrier_pickup_id = status.carrier_pickup_id or ""
    batch.save(
        update_fields=["pickup_error", "pickup_command_id", "pickup_id", "carrier_pickup_id"]
    )
    return batch
