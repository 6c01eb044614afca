"""The parcel section of the Allegro order page: create, label, cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroCheckoutForm, AllegroParcel, ParcelState
from shop.allegro.shipments import services
from shop.allegro.shipments.forms import ParcelForm
from shop.core.errors import ApplicationError

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


def _form_or_404(pk: int) -> AllegroCheckoutForm:
    form = AllegroCheckoutForm.objects.select_related("account", "order").filter(pk=pk).first()
    if form is None:
        raise Http404
    return form


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("allegro:order_detail", args=[pk]) + "#parcel-section")


@require_POST
def order_parcel_create(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(pk)
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
                parcel_form = None  # type: ignore[assignment]
                if outcome.ok:
                    messages.success(
                        request,
                        _("Utworzono przesyłkę %(w)s.") % {"w": outcome.parcel.waybill},
                    )
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        elif parcel_form is not None and parcel_form.errors:
            messages.error(
                request, "; ".join(str(e) for es in parcel_form.errors.values() for e in es)
            )
        return _back(pk)
    return render(request, SECTION, section_context(form, parcel_form=parcel_form, error=error))


def order_parcel_label(request: HttpRequest, pk: int, parcel_pk: int) -> HttpResponse:
    form = _form_or_404(pk)
    parcel = AllegroParcel.objects.filter(form=form, pk=parcel_pk).first()
    if parcel is None:
        raise Http404
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
    form = _form_or_404(pk)
    parcel = AllegroParcel.objects.filter(form=form, pk=parcel_pk).first()
    if parcel is None:
        raise Http404
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
    form = _form_or_404(pk)
    parcel = AllegroParcel.objects.filter(form=form, pk=parcel_pk).first()
    if parcel is None:
        raise Http404
    try:
        services.shipment_follow(parcel=parcel, user=request.user)
    except (ApplicationError, AllegroError) as exc:
        messages.error(request, describe_error(exc) if isinstance(exc, AllegroError) else str(exc))
    return _back(pk)
