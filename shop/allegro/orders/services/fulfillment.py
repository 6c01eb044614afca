"""What the merchant does with an Allegro order, sent back to Allegro.

* The shop status of an Allegro order becomes the seller (fulfillment) status on Allegro: a
  status change marks the checkout form ``fulfillment_pending`` inside the writing transaction
  and, after commit, ``fulfillment_send`` issues ``PUT …/fulfillment`` with the stored revision.
  An outdated revision (409) makes it read the form again: when Allegro's seller status changed
  meanwhile, nothing is overwritten and the merchant is told; otherwise it is sent again with
  the new revision.
* Tracking numbers: ``shipment_add`` reads the numbers already on Allegro first, never sends
  the same carrier + waybill twice (a row reserved under a unique constraint before the POST),
  and optionally marks the order sent.
* ``order_configure``: shop status, payment state, delivery method and notes, audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import (
    AllegroAPIError,
    AllegroClient,
    AllegroError,
    AllegroTransportError,
    Conflict,
    RateLimited,
    ServerError,
)
from allegro_api.models.orders import CheckoutForm
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.common.labels import carrier_label
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroShipment,
    FulfillmentStatus,
)
from shop.allegro.orders.mapping import fulfillment_for, moment, text
from shop.allegro.orders.services.store import forms_upsert
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write
from shop.orders.models import Channel, Order, OrderStatus, PaymentStatus
from shop.orders.services.orders import order_set_status

if TYPE_CHECKING:
    from allegro_api.resources.orders import FulfillmentStatus as ApiFulfillment

logger = logging.getLogger(__name__)

CARRIERS_CACHE_SECONDS = 24 * 3600
# A tracking number being sent holds its row this long before another attempt may take over.
CLAIM_TTL = timedelta(minutes=1)
OTHER_CARRIER = "OTHER"
# Order fields the merchant may set; a newer revision from Allegro then leaves them alone.
MERCHANT_FIELDS = ("payment_status", "delivery_method")


def status_label(value: str) -> str:
    try:
        return str(FulfillmentStatus(value).label)
    except ValueError:
        return value or "—"


# -- the seller status -----------------------------------------------------------------------------


@dataclass
class FulfillmentOutcome:
    status: str  # what the shop wanted Allegro to show
    sent: bool = False
    conflict: bool = False  # Allegro's seller status changed meanwhile; nothing was overwritten
    retry: bool = False  # a passing failure: still pending, sent again later
    message: str = ""


def fulfillment_request(*, form: AllegroCheckoutForm, status: str) -> bool:
    """Remember (inside the caller's transaction) that Allegro should show ``status``.

    Sending happens after commit; returns False when Allegro already shows it.
    """
    if form.fulfillment_status == status and not form.fulfillment_pending:
        return False
    AllegroCheckoutForm.objects.filter(pk=form.pk).update(
        fulfillment_pending=status, fulfillment_error=""
    )
    form.fulfillment_pending, form.fulfillment_error = status, ""
    return True


def _refresh(client: AllegroClient, form: AllegroCheckoutForm) -> CheckoutForm:
    """Read the form from Allegro and store it (new revision, seller status, everything)."""
    remote = client.checkout_forms.get(form.form_id)
    forms_upsert(account=form.account, forms=[remote])
    return remote


def _remote_status(remote: CheckoutForm) -> str:
    return text(remote.fulfillment.status if remote.fulfillment else None).upper()


def fulfillment_send(*, form_id: int) -> FulfillmentOutcome | None:
    """Send the pending seller status of one form (no transaction around the HTTP calls)."""
    form = AllegroCheckoutForm.objects.select_related("account").filter(pk=form_id).first()
    if form is None or not form.fulfillment_pending:
        return None
    wanted = form.fulfillment_pending
    known = form.fulfillment_status
    outcome = FulfillmentOutcome(status=wanted)
    account: AllegroAccount = form.account
    if not account.is_usable:
        outcome.retry = True
        outcome.message = _("Konto Allegro nie jest powiązane; status zostanie wysłany później.")
        AllegroCheckoutForm.objects.filter(pk=form.pk).update(fulfillment_error=outcome.message)
        return outcome
    try:
        with client_for(account) as client:
            try:
                client.checkout_forms.set_fulfillment_status(
                    form.form_id,
                    status=cast("ApiFulfillment", wanted),
                    revision=form.revision or None,
                )
            except Conflict:
                fresh = _refresh(client, form)
                remote = _remote_status(fresh)
                if remote == wanted:
                    outcome.sent = True
                elif remote != known:
                    outcome.conflict = True
                    outcome.message = _(
                        "Zamówienie zmieniło się w Allegro w międzyczasie: status realizacji "
                        "jest teraz „%(remote)s” (było „%(known)s”). Nie wysłano „%(wanted)s” — "
                        "sprawdź zamówienie i zapisz ponownie."
                    ) % {
                        "remote": status_label(remote),
                        "known": status_label(known),
                        "wanted": status_label(wanted),
                    }
                else:
                    client.checkout_forms.set_fulfillment_status(
                        form.form_id,
                        status=cast("ApiFulfillment", wanted),
                        revision=text(fresh.revision) or None,
                    )
                    outcome.sent = True
            else:
                outcome.sent = True
            if outcome.sent:
                try:
                    _refresh(client, form)
                except AllegroError:
                    logger.warning("form %s could not be read after its status", form.form_id)
    except Conflict as exc:
        outcome.conflict = True
        outcome.message = _(
            "Zamówienie zmienia się w Allegro; nie wysłano statusu. Spróbuj ponownie. (%(e)s)"
        ) % {"e": describe_error(exc)}
    except (ServerError, RateLimited, AllegroTransportError) as exc:
        outcome.retry = True
        outcome.message = _("Allegro chwilowo nie przyjęło statusu; ponowimy. %(e)s") % {
            "e": describe_error(exc)
        }
    except AllegroError as exc:
        outcome.message = _("Allegro odrzuciło status „%(wanted)s”: %(e)s") % {
            "wanted": status_label(wanted),
            "e": describe_error(exc),
        }
    updates: dict[str, Any] = {"fulfillment_error": outcome.message[:2000]}
    if outcome.sent:
        updates["fulfillment_status"] = wanted
    if not outcome.retry:
        updates["fulfillment_pending"] = ""
    # Only if nobody asked for another status meanwhile.
    AllegroCheckoutForm.objects.filter(pk=form.pk, fulfillment_pending=wanted).update(**updates)
    if not outcome.sent:
        logger.info("fulfillment of %s not sent: %s", form.form_id, outcome.message)
    return outcome


def fulfillment_flush(*, account: AllegroAccount, limit: int = 100) -> int:
    """Send the statuses still pending (after a passing failure); returns how many were sent."""
    sent = 0
    ids = AllegroCheckoutForm.objects.filter(account=account).exclude(fulfillment_pending="")
    for pk in list(ids.values_list("pk", flat=True)[:limit]):
        outcome = fulfillment_send(form_id=pk)
        if outcome is not None and outcome.sent:
            sent += 1
    return sent


def fulfillment_follow_status(*, order: Order, to_status: str) -> int | None:
    """An Allegro order moved in the shop: mark its form for the matching seller status.

    Runs inside the writing transaction. Returns the checkout form's id when a status is to be
    sent after commit, ``None`` when Allegro needs to hear nothing.
    """
    if order.channel != Channel.ALLEGRO:
        return None
    target = fulfillment_for(to_status)
    if target is None:
        return None
    form = AllegroCheckoutForm.objects.filter(order_id=order.pk).first()
    if form is None or (form.status == "CANCELLED" and target == "CANCELLED"):
        return None  # Allegro cancelled it itself: nothing to tell
    return form.pk if fulfillment_request(form=form, status=target) else None


# -- configuring the order -------------------------------------------------------------------------


def order_configure(
    *,
    order: Order,
    user: Any = None,
    status: str,
    payment_status: str,
    delivery_method: str,
    internal_note: str,
) -> dict[str, Any]:
    """Save what the merchant set; the seller status goes to Allegro after commit.

    Returns the changes (also written to the audit log). A status the pipeline does not allow
    raises ``InvalidTransition`` and nothing is saved.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        changes: dict[str, Any] = {}
        values = {
            "payment_status": payment_status,
            "delivery_method": delivery_method[:200],
            "internal_note": internal_note,
        }
        for name, value in values.items():
            old = getattr(locked, name)
            if old != value:
                changes[name] = [old, value]
                setattr(locked, name, value)
        if changes:
            locked.save(update_fields=[*values, "updated_at"])
            kept = [f for f in MERCHANT_FIELDS if f in changes]
            form = AllegroCheckoutForm.objects.filter(order_id=locked.pk).first()
            if form is not None and kept:
                form.merchant_fields = sorted(set(form.merchant_fields or ()) | set(kept))
                form.save(update_fields=["merchant_fields", "updated_at"])
        if status != locked.status:
            changes["status"] = [locked.status, status]
            order_set_status(order=locked, status=status, user=user, note=_("panel Allegro"))
        if changes:
            audit_log_write(
                action="allegro.order_configure", obj=locked, user=user, changes=changes
            )
    for name, value in values.items():
        setattr(order, name, value)
    order.status = status
    return changes


def payment_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in PaymentStatus.choices]


def status_choices(order: Order) -> list[tuple[str, str]]:
    """The order's status and where the pipeline lets it go."""
    allowed = [order.status, *order.allowed_transitions()]
    return [(str(v), str(label)) for v, label in OrderStatus.choices if v in allowed]


# -- tracking numbers ------------------------------------------------------------------------------


def carriers_list(*, account: AllegroAccount) -> list[tuple[str, str]]:
    """Allegro's carriers (cached for a day); "other" always present."""
    key = f"allegro:carriers:{account.pk}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    result: list[tuple[str, str]] = []
    try:
        with client_for(account) as client:
            for carrier in client.carriers.list().carriers:
                if carrier.id:
                    label = carrier.name or carrier_label(carrier.id)
                    result.append((carrier.id, label))
    except AllegroError as exc:
        logger.warning("carriers could not be read: %s", exc)
        return [(OTHER_CARRIER, str(_("Inny przewoźnik")))]
    if not any(cid == OTHER_CARRIER for cid, _label in result):
        result.append((OTHER_CARRIER, str(_("Inny przewoźnik"))))
    cache.set(key, result, CARRIERS_CACHE_SECONDS)
    return result


def normalize_waybill(value: str) -> str:
    return "".join(value.split()).upper()[:64]


def _store_remote(form: AllegroCheckoutForm, shipments: list[Any]) -> list[AllegroShipment]:
    """Mirror the numbers Allegro lists (added by carriers, on Allegro, or by the shop)."""
    stored = {(s.carrier_id, s.waybill): s for s in AllegroShipment.objects.filter(form=form)}
    result: list[AllegroShipment] = []
    for shipment in shipments:
        carrier_id = text(shipment.carrier_id, 32)
        waybill = normalize_waybill(text(shipment.waybill))
        if not carrier_id or not waybill:
            continue
        line_ids = [text(ref.id) for ref in shipment.line_items or [] if getattr(ref, "id", None)]
        row = stored.get((carrier_id, waybill))
        if row is None:
            row, _created = AllegroShipment.objects.get_or_create(
                form=form,
                carrier_id=carrier_id,
                waybill=waybill,
                defaults={"from_shop": False},
            )
        row.allegro_id = text(shipment.id, 128)
        row.carrier_name = text(shipment.carrier_name, 30) or row.carrier_name
        row.line_item_ids = line_ids
        row.sent_at = row.sent_at or moment(shipment.created_at) or timezone.now()
        row.error = ""
        row.save()
        result.append(row)
    return result


def shipments_refresh(*, form: AllegroCheckoutForm) -> list[AllegroShipment]:
    """Read the order's tracking numbers from Allegro into the mirror."""
    with client_for(form.account) as client:
        remote = client.shipments.list(form.form_id).shipments
    return _store_remote(form, remote)


@dataclass
class ShipmentOutcome:
    shipment: AllegroShipment | None
    sent: bool = False
    already: bool = False  # the number was already on Allegro: nothing sent
    message: str = ""


def _mark_sent(order: Order, user: Any) -> bool:
    """NEW/PROCESSING/READY → SENT along the pipeline (one commit, one status to Allegro)."""
    if order.status == OrderStatus.SENT:
        return False
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if OrderStatus.SENT not in current.allowed_transitions():
            if OrderStatus.PROCESSING in current.allowed_transitions():
                current = order_set_status(
                    order=current, status=OrderStatus.PROCESSING, user=user, note=_("wysyłka")
                )
            else:
                return False
        order_set_status(
            order=current, status=OrderStatus.SENT, user=user, note=_("dodano numer przesyłki")
        )
    order.status = OrderStatus.SENT
    return True


def shipment_add(
    *,
    form: AllegroCheckoutForm,
    carrier_id: str,
    waybill: str,
    carrier_name: str = "",
    line_item_ids: list[str] | None = None,
    mark_sent: bool = False,
    user: Any = None,
) -> ShipmentOutcome:
    """Give Allegro a tracking number, once. Raises ``ApplicationError`` for bad input."""
    waybill = normalize_waybill(waybill)
    if not waybill:
        raise ApplicationError(_("Podaj numer przesyłki."))
    carrier_name = carrier_name.strip()[:30] if carrier_id == OTHER_CARRIER else ""
    if carrier_id == OTHER_CARRIER and not carrier_name:
        raise ApplicationError(_("Podaj nazwę przewoźnika."))
    known = {ln.line_item_id for ln in form.items.all()}
    chosen = list(dict.fromkeys(line_item_ids or []))
    if set(chosen) - known:
        raise ApplicationError(_("Wybrane pozycje nie należą do tego zamówienia."))
    if len(chosen) == len(known):
        chosen = []  # every item: the whole order
    account = form.account
    used = (
        AllegroShipment.objects.filter(
            form__account=account, carrier_id=carrier_id, waybill=waybill
        )
        .exclude(sent_at=None)
        .select_related("form")
        .first()
    )
    if used is not None:
        outcome = ShipmentOutcome(
            shipment=used,
            already=True,
            message=_("Numer %(w)s jest już w Allegro (zamówienie %(f)s); nie wysłano go ponownie.")
            % {"w": waybill, "f": used.form.form_id},
        )
    else:
        outcome = _shipment_send(form, carrier_id, waybill, carrier_name, chosen)
    audit_log_write(
        action="allegro.shipment_add",
        obj=form.order or form,
        user=user,
        changes={
            "form": form.form_id,
            "carrier": carrier_id,
            "waybill": waybill,
            "sent": outcome.sent,
            "already": outcome.already,
        },
    )
    if mark_sent and form.order is not None:
        _mark_sent(form.order, user)
    return outcome


def shipment_issued_by_allegro(
    *, form: AllegroCheckoutForm, carrier_id: str, waybill: str, mark_sent: bool, user: Any = None
) -> AllegroShipment:
    """A parcel's number that Wysyłam z Allegro put on the order itself: mirrored, never sent.

    Allegro adds it right after creating the parcel, and one added again would show twice to
    the buyer (allegro/allegro-api#13267). Its Allegro id comes with the next read of the
    order's numbers.
    """
    row, _created = AllegroShipment.objects.get_or_create(
        form=form,
        carrier_id=carrier_id,
        waybill=normalize_waybill(waybill),
        defaults={"from_shop": True, "sent_at": timezone.now()},
    )
    audit_log_write(
        action="allegro.shipment_add",
        obj=form.order or form,
        user=user,
        changes={"form": form.form_id, "carrier": carrier_id, "waybill": row.waybill},
    )
    if mark_sent and form.order is not None:
        _mark_sent(form.order, user)
    return row


def _shipment_send(
    form: AllegroCheckoutForm,
    carrier_id: str,
    waybill: str,
    carrier_name: str,
    chosen: list[str],
) -> ShipmentOutcome:
    outcome = ShipmentOutcome(shipment=None)
    with client_for(form.account) as client:
        # Numbers added by the carrier or on Allegro's site (or by an earlier unanswered POST).
        remote = _store_remote(form, client.shipments.list(form.form_id).shipments)
        match = next(
            (s for s in remote if (s.carrier_id, s.waybill) == (carrier_id, waybill)), None
        )
        if match is not None:
            outcome = ShipmentOutcome(
                shipment=match,
                already=True,
                message=_("Numer %(w)s jest już w Allegro; nie wysłano go ponownie.")
                % {"w": waybill},
            )
        else:
            try:
                with transaction.atomic():
                    row, created = AllegroShipment.objects.get_or_create(
                        form=form,
                        carrier_id=carrier_id,
                        waybill=waybill,
                        defaults={
                            "carrier_name": carrier_name,
                            "line_item_ids": chosen,
                            "from_shop": True,
                        },
                    )
                    if not created:
                        locked = AllegroShipment.objects.select_for_update().get(pk=row.pk)
                        if locked.sent_at is not None:
                            return ShipmentOutcome(shipment=locked, already=True)
                        # A claim younger than a minute: another request is sending it now.
                        if locked.error == "" and timezone.now() - locked.created_at < CLAIM_TTL:
                            raise ApplicationError(_("Ten numer jest właśnie wysyłany."))
                        locked.error = ""
                        locked.carrier_name = carrier_name
                        locked.line_item_ids = chosen
                        locked.save(update_fields=["error", "carrier_name", "line_item_ids"])
                        row = locked
            except IntegrityError as exc:
                raise ApplicationError(_("Ten numer jest właśnie wysyłany.")) from exc
            try:
                sent = client.shipments.add(
                    form.form_id,
                    carrier_id=carrier_id,
                    waybill=waybill,
                    line_item_ids=chosen or None,
                    carrier_name=carrier_name or None,
                )
            except Conflict as exc:
                remote = _store_remote(form, client.shipments.list(form.form_id).shipments)
                if any((s.carrier_id, s.waybill) == (carrier_id, waybill) for s in remote):
                    row.refresh_from_db()
                    outcome = ShipmentOutcome(shipment=row, already=True)
                else:
                    row.error = describe_error(exc)[:2000]
                    row.save(update_fields=["error"])
                    AllegroShipment.objects.filter(pk=row.pk, sent_at=None).delete()
                    raise ApplicationError(describe_error(exc)) from exc
            except AllegroAPIError as exc:
                if isinstance(exc, ServerError | RateLimited):
                    # Maybe stored, maybe not: the next attempt reads the list first.
                    row.error = describe_error(exc)[:2000]
                    row.save(update_fields=["error"])
                else:
                    AllegroShipment.objects.filter(pk=row.pk, sent_at=None).delete()
                raise ApplicationError(describe_error(exc)) from exc
            except AllegroError as exc:
                row.error = describe_error(exc)[:2000]
                row.save(update_fields=["error"])
                raise ApplicationError(describe_error(exc)) from exc
            else:
                row.allegro_id = text(sent.id, 128)
                row.sent_at = moment(sent.created_at) or timezone.now()
                row.line_item_ids = [text(r.id) for r in sent.line_items or [] if r.id] or chosen
                row.error = ""
                row.save()
                outcome = ShipmentOutcome(shipment=row, sent=True)
    return outcome
