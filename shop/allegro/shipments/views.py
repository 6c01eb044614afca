"""The parcel section of the Allegro order page: create, label, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from allegro_api.models.shipment_management import PickupTime
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import checkout_form_or_404, page_context
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroParcel,
    BatchStatus,
    ParcelBatch,
    ParcelState,
)
from shop.allegro.orders.printouts import printout_pdf
from shop.allegro.shipments import bulk, services
from shop.allegro.shipments.forms import ParcelForm, ParcelSettingsForm
from shop.core.errors import ApplicationError
from shop.core.http import next_url, parse_ids

SECTION = "allegro/shipments/_section.html"


def _parcel_form(form: AllegroCheckoutForm, data: Any = None) -> tuple[ParcelForm, str]:
    """The form for this order's delivery service (the service name, or an error)."""
    try:
        service = services.delivery_service_for(form=form)
    except AllegroError as exc:
        return ParcelForm(data), describe_error(exc)
    defaults = services.package_defaults(form=form)
    points = bool(defaults.point) or bool(
        service and (service.features or {}).get("pointRequired") == "true"
    )
    parcel_form = ParcelForm(
        data,
        initial=ParcelForm.initial_from(defaults),
        package_types=list(service.package_types) if service else None,
        cod=bool(service and service.cash_on_delivery),
        point=points,
    )
    if service is None:
        return parcel_form, _(
            "Metoda dostawy zamówienia nie jest obsługiwana przez Wysyłam z Allegro."
        )
    return parcel_form, ""


def section_context(
    form: AllegroCheckoutForm,
    *,
    parcel_form: ParcelForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    parcels = list(form.parcels.all())
    live = next(
        (p for p in reversed(parcels) if p.state in (ParcelState.PENDING, ParcelState.CREATED)),
        None,
    )
    can_call = form.account.is_usable
    service_error = ""
    if parcel_form is None and can_call and live is None:
        parcel_form, service_error = _parcel_form(form)
        failed = parcels[-1] if parcels and parcels[-1].state == ParcelState.FAILED else None
        if failed is not None and not service_error:
            parcel_form.add_allegro_errors(services.parcel_errors(failed))
    return {
        "form": form,
        "parcels": parcels,
        "live": live,
        "parcel_form": parcel_form,
        "can_call": can_call,
        "section_error": error or service_error,
        "can_create": can_call and live is None and not service_error,
    }


def _parcel_or_404(pk: int, parcel_pk: int) -> tuple[AllegroCheckoutForm, AllegroParcel]:
    form = checkout_form_or_404(pk)
    parcel = AllegroParcel.objects.filter(form=form, pk=parcel_pk).first()
    if parcel is None:
        raise Http404
    return form, parcel


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("allegro:order_detail", args=[pk]) + "#parcel-section")


@require_POST
def order_parcel_create(request: HttpRequest, pk: int) -> HttpResponse:
    form = checkout_form_or_404(pk)
    parcel_form, error = _parcel_form(form, request.POST)
    if not error and parcel_form.is_valid():
        try:
            outcome = services.shipment_create(
                form=form, package=parcel_form.package(), user=request.user
            )
        except services.ParcelInvalid as exc:
            parcel_form.add_allegro_errors(exc.errors)
        except ApplicationError as exc:
            error = str(exc)
        else:
            if outcome.errors:
                parcel_form.add_allegro_errors(outcome.errors)
            else:
                if outcome.ok:
                    messages.success(
                        request,
                        _("Utworzono przesyłkę %(w)s.") % {"w": outcome.parcel.waybill},
                    )
                # The whole page changes (tracking numbers, status): load it again.
                target = reverse("allegro:order_detail", args=[pk]) + "#parcel-section"
                if request.headers.get("HX-Request"):
                    # Not HX-Redirect: to the same page with only a new #fragment the browser
                    # would scroll instead of loading it.
                    return HttpResponse(status=204, headers={"HX-Refresh": "true"})
                return redirect(target)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        elif parcel_form.errors:
            messages.error(
                request, "; ".join(str(e) for es in parcel_form.errors.values() for e in es)
            )
        return _back(pk)
    return render(request, SECTION, section_context(form, parcel_form=parcel_form, error=error))


def order_parcel_label(request: HttpRequest, pk: int, parcel_pk: int) -> HttpResponse:
    form, parcel = _parcel_or_404(pk, parcel_pk)
    size = "A6" if request.GET.get("size") == "A6" else "A4"
    try:
        pdf = services.labels_download(account=form.account, parcels=[parcel], page_size=size)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return _back(pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="etykieta-{parcel.waybill}-{size}.pdf"'
    return response


@require_POST
def order_parcel_cancel(request: HttpRequest, pk: int, parcel_pk: int) -> HttpResponse:
    _form, parcel = _parcel_or_404(pk, parcel_pk)
    try:
        done = services.shipment_cancel(parcel=parcel, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        if done:
            messages.success(request, _("Anulowano przesyłkę %(w)s.") % {"w": parcel.waybill})
        else:
            messages.info(
                request, _("Allegro jeszcze anuluje przesyłkę; odśwież stronę za chwilę.")
            )
    return _back(pk)


@require_POST
def order_parcel_follow(request: HttpRequest, pk: int, parcel_pk: int) -> HttpResponse:
    _form, parcel = _parcel_or_404(pk, parcel_pk)
    try:
        services.shipment_follow(parcel=parcel, user=request.user)
    except (ApplicationError, AllegroError) as exc:
        messages.error(request, describe_error(exc) if isinstance(exc, AllegroError) else str(exc))
    return _back(pk)


# -- bulk ------------------------------------------------------------------------------------------


@require_POST
def parcels_bulk(request: HttpRequest) -> HttpResponse:
    """The order list's action: a batch of parcels with default packages."""
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    ids = parse_ids(request.POST.getlist("form"), bulk.BATCH_LIMIT)
    try:
        batch = bulk.batch_start(account=account, form_ids=ids, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(next_url(request, "allegro:orders"))
    return redirect("allegro:parcel_batch", batch_id=batch.pk)


def _batch_or_404(request: HttpRequest, batch_id: int) -> ParcelBatch:
    account = account_current(request)
    batch = ParcelBatch.objects.filter(pk=batch_id, account=account).first()
    if batch is None:
        raise Http404
    return batch


def parcel_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The batch's progress, one row per order; the page polls it until it is done."""
    batch = _batch_or_404(request, batch_id)
    rows = bulk.batch_rows(batch)
    partial = request.headers.get("HX-Request")
    template = "allegro/shipments/_batch.html" if partial else "allegro/shipments/batch.html"
    counts = bulk.batch_counts(rows)
    carriers = sorted(
        {
            r["parcel"].carrier_id
            for r in rows
            if r["parcel"] and r["parcel"].state == ParcelState.CREATED
        }
    )
    return render(
        request,
        template,
        page_context(
            request,
            title=_("Przesyłki zbiorczo #%(n)d") % {"n": batch.pk},
            batch=batch,
            rows=rows,
            counts=counts,
            percent=int(100 * (counts["created"] + counts["failed"]) / (counts["total"] or 1)),
            running=batch.status != BatchStatus.DONE,
            carriers=carriers,
            pickup_carriers=bulk.pickup_carriers(batch),
            slots=None,
        ),
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _batch_pdf(
    request: HttpRequest, batch: ParcelBatch, make: Callable[[], bytes], name: str
) -> HttpResponse:
    """A file of the batch, or back to its page with Allegro's message."""
    try:
        data = make()
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("allegro:parcel_batch", batch_id=batch.pk)
    return _pdf(data, name)


def parcel_batch_labels(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    size = "A6" if request.GET.get("size") == "A6" else "A4"
    return _batch_pdf(
        request,
        batch,
        lambda: services.labels_download(
            account=batch.account, parcels=bulk.batch_parcels(batch), page_size=size
        ),
        f"etykiety-{batch.pk}-{size}.pdf",
    )


def parcel_batch_protocol(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The handover protocol of one carrier (Allegro makes one per carrier)."""
    batch = _batch_or_404(request, batch_id)
    carrier = request.GET.get("carrier", "")
    parcels = [p for p in bulk.batch_parcels(batch) if p.carrier_id == carrier]
    return _batch_pdf(
        request,
        batch,
        lambda: services.protocol_download(account=batch.account, parcels=parcels),
        f"protokol-{batch.pk}-{carrier}.pdf",
    )


def parcel_batch_printout(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The orders' printout with the pick list, for the parcels of the batch."""
    batch = _batch_or_404(request, batch_id)
    ids = [p.form_id for p in bulk.batch_parcels(batch)]
    if not ids:
        messages.error(request, _("Brak utworzonych przesyłek."))
        return redirect("allegro:parcel_batch", batch_id=batch.pk)
    return _pdf(printout_pdf(form_ids=ids, with_pick_list=True), f"kompletacja-{batch.pk}.pdf")


def parcel_batch_pickup(request: HttpRequest, batch_id: int) -> HttpResponse:
    """GET: the pickup slots Allegro proposes; POST: order the courier for the chosen slot."""
    batch = _batch_or_404(request, batch_id)
    if batch.pickup_id:
        messages.info(
            request, _("Odbiór jest już zamówiony: %(n)s.") % {"n": batch.carrier_pickup_id}
        )
        return redirect("allegro:parcel_batch", batch_id=batch.pk)
    carrier = request.GET.get("carrier") or request.POST.get("carrier", "")
    try:
        slots = bulk.pickup_proposals(batch=batch, carrier=carrier)
        if request.method == "POST":
            chosen = request.POST.get("slot", "")
            slot = next((s for s in slots if _slot_key(s) == chosen), None)
            if slot is None:
                raise ApplicationError(_("Wybierz termin odbioru z zaproponowanych."))
            batch = bulk.pickup_create(batch=batch, carrier=carrier, slot=slot)
            if batch.pickup_error:
                messages.error(request, batch.pickup_error)
            elif batch.carrier_pickup_id:
                messages.success(
                    request,
                    _("Zamówiono odbiór %(n)s.") % {"n": batch.carrier_pickup_id},
                )
            return redirect("allegro:parcel_batch", batch_id=batch.pk)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("allegro:parcel_batch", batch_id=batch.pk)
    rows = bulk.batch_rows(batch)
    counts = bulk.batch_counts(rows)
    return render(
        request,
        "allegro/shipments/batch.html",
        page_context(
            request,
            title=_("Przesyłki zbiorczo #%(n)d") % {"n": batch.pk},
            batch=batch,
            rows=rows,
            counts=counts,
            percent=100,
            running=False,
            carriers=[],
            pickup_carriers=[],
            pickup_carrier=carrier,
            slots=[(_slot_key(s), s) for s in slots],
        ),
    )


def _slot_key(slot: PickupTime) -> str:
    return f"{slot.date}|{slot.min_time or ''}|{slot.max_time or ''}"


def parcel_settings(request: HttpRequest) -> HttpResponse:
    """The sender, the default package and whether a parcel marks the order sent."""
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    current = services.settings_for(account)
    settings_form = ParcelSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and settings_form.is_valid():
        settings_form.save()
        messages.success(request, _("Zapisano ustawienia wysyłki."))
        return redirect("allegro:parcel_settings")
    return render(
        request,
        "allegro/shipments/settings.html",
        page_context(
            request, title=_("Wysyłam z Allegro: ustawienia"), settings_form=settings_form
        ),
    )
