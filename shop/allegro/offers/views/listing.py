"""Sprzedaż → Allegro → Lista ofert: the list, its actions, preview, import, linking."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroOffer, LinkSource, OfferStatus, SyncCommand
from shop.allegro.offers.selectors import (
    OfferFilters,
    offer_command_get,
    offer_command_results,
    offer_ids_for_list,
    offers_by_ids,
    review_count,
    search_page,
)
from shop.allegro.offers.services import catalog as offer_catalog
from shop.allegro.offers.services.actions import (
    offer_delete_draft,
    offer_form_data_load,
    offer_similar_create,
    offers_publication_change,
)
from shop.allegro.offers.services.importer import RECONCILE_JOB, offers_import_queue
from shop.allegro.offers.services.links import offer_product_link
from shop.allegro.orders.selectors import product_exact
from shop.core.errors import ApplicationError
from shop.core.http import next_url, parse_ids
from shop.core.money import money_or_none
from shop.scheduler.selectors import job_run_latest
from shop.scheduler.views import run_started

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> OfferFilters:
    get = request.GET
    status = str(get.get("status") or "")
    return OfferFilters(
        status=status if status in OfferStatus.values else "",
        category=str(get.get("category") or "")[:20],
        linked=str(get.get("linked") or "") if get.get("linked") in ("yes", "no") else "",
        errors=get.get("errors") == "1",
        sold_out=get.get("sold_out") == "1",
        q=str(get.get("q") or "")[:100],
        sort=str(get.get("sort") or "updated"),
    )


def offer_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    filters = _filters(request)
    ids = offer_ids_for_list(account=account, filters=filters)
    page: Any = (
        search_page(ids, request.GET.get("page"), PAGE_SIZE)
        if filters.q
        else Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    )
    page.object_list = offers_by_ids(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("command", None)
    command = (
        offer_command_get(account=account, command_id=str(request.GET["command"]))
        if request.GET.get("command")
        else None
    )
    return render(
        request,
        "allegro/offers/list.html",
        page_context(
            request,
            title=_("Lista ofert"),
            page=page,
            filters=filters,
            statuses=OfferStatus.choices,
            query=query.urlencode(),
            account=account,
            import_run=job_run_latest(job=RECONCILE_JOB),
            to_review=review_count(request),
            **_command_context(command),
        ),
    )


def _command_context(command: SyncCommand | None) -> dict[str, Any]:
    """A command's per-offer results; its offers still in progress show "w toku" in their rows."""
    results = offer_command_results(command) if command else []
    pending = {r.allegro_id for r in results if r.state == "pending"}
    return {"command": command, "results": results, "pending_ids": pending}


def offer_command_status(request: HttpRequest, command_id: UUID) -> HttpResponse:
    """The command's progress card (polled by htmx) and the state of its offers' rows."""
    account = account_current(request)
    command = offer_command_get(account=account, command_id=str(command_id)) if account else None
    if command is None:
        raise Http404
    return render(
        request, "allegro/offers/_command.html", {**_command_context(command), "oob": True}
    )


@require_POST
def offers_bulk(request: HttpRequest) -> HttpResponse:
    """End or resume the selected offers: one publication command, sent in the background."""
    account = account_current(request)
    action = {"end": "END", "resume": "ACTIVATE"}.get(str(request.POST.get("action")))
    ids = parse_ids(request.POST.getlist("offer"), PAGE_SIZE * 10)
    offers = list(AllegroOffer.objects.filter(account=account, pk__in=ids))
    if account is None or action is None or not offers:
        messages.error(request, _("Zaznacz oferty i wybierz działanie."))
        return redirect("allegro:offers")
    try:
        command = offers_publication_change(
            account=account, offers=offers, action=action, user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("allegro:offers")
    messages.info(
        request, _("Polecenie wysłane do Allegro (ofert: %(n)d).") % {"n": len(command.offer_ids)}
    )
    back = next_url(request, "allegro:offers")
    return redirect(_with_command(back, str(command.command_id)))


def _with_command(back: str, command_id: str) -> str:
    """Back to the list the merchant came from, showing the command's progress."""
    parts = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "command"]
    query.append(("command", command_id))
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


@require_POST
def offer_similar(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(AllegroOffer, pk=offer_id)
    try:
        draft = offer_similar_create(offer=offer, user=request.user)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
        return redirect("allegro:offers")
    messages.info(
        request, _("Nowy szkic na podstawie oferty %(n)s.") % {"n": offer.allegro_id or offer.name}
    )
    return redirect("allegro:offer_edit", offer_id=draft.pk)


@require_POST
def offer_delete(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(AllegroOffer, pk=offer_id)
    try:
        offer_delete_draft(offer=offer, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Usunięto szkic."))
    return redirect("allegro:offers")


@require_POST
def offers_import_now(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:offers")
    run = offers_import_queue()
    return run_started(
        request,
        run,
        message=_("Zlecono pobranie ofert z Allegro; jego postęp widać powyżej."),
        back=reverse("allegro:offers"),
        reload_when_done=True,
    )


@require_POST
def offer_link(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(AllegroOffer, pk=offer_id)
    term = str(request.POST.get("sku") or "").strip()
    product = product_exact(term)
    if product is None:
        messages.error(request, _("Nie ma produktu o SKU lub EAN „%(t)s”.") % {"t": term})
    else:
        offer_product_link(
            offer=offer, product=product, user=request.user, source=LinkSource.MANUAL
        )
        messages.success(request, _("Powiązano ofertę z produktem %(p)s.") % {"p": product})
    return redirect(next_url(request, "allegro:offers"))


def offer_preview(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The offer as a buyer sees it, rendered from what we hold."""
    offer = get_object_or_404(
        AllegroOffer.objects.select_related("account", "product"), pk=offer_id
    )
    try:
        offer_form_data_load(offer=offer)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    data = offer.form_data
    uploaded = data.get("uploaded") or {}
    images = [uploaded[i]["url"] for i in data.get("image_ids") or [] if i in uploaded]
    if not images and offer.product:
        images = [
            img.image.url
            for img in offer.product.images.all()
            if str(img.pk) in (data.get("image_ids") or [])
        ]
    images = (
        images
        or list(data.get("remote_images") or [])
        or ([offer.image_url] if offer.image_url else [])
    )
    parameters = []
    if offer.category_id:
        try:
            metas = {
                str(m["id"]): m
                for m in offer_catalog.category_parameters(offer.account, offer.category_id)
            }
        except AllegroError:
            metas = {}
        for pid, values in (data.get("parameters") or {}).items():
            meta = metas.get(str(pid), {})
            labels = {str(d.get("id")): d.get("value") for d in meta.get("dictionary") or []}
            shown = [str(labels.get(v, v)) for v in values]
            unit = meta.get("unit") or ""
            parameters.append(
                (meta.get("name") or pid, ", ".join(shown) + (f" {unit}" if unit else ""))
            )
    from shop.allegro.offers.mapping import clean_description_html

    sections = [
        clean_description_html(str(s.get("text") or "")) for s in data.get("description") or []
    ]
    return render(
        request,
        "allegro/offers/preview.html",
        page_context(
            request,
            title=_("Podgląd: %(name)s") % {"name": offer.name},
            offer=offer,
            price=money_or_none(
                data.get("starting_price")
                if data.get("selling_format") == "AUCTION"
                else data.get("price")
            ),
            images=images,
            parameters=parameters,
            sections=[s for s in sections if s],
            data=data,
        ),
    )
