"""Produkty → Wystaw na Allegro: a listing template, a dry run, then a background job."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import BulkListingJob
from shop.allegro.offers.forms import ListingTemplateForm
from shop.allegro.offers.services import catalog as offer_catalog
from shop.allegro.offers.services.bulk_listing import ListingTemplate, bulk_dry_run, bulk_job_create
from shop.catalog.models import Product
from shop.core.http import parse_ids

MAX_PRODUCTS = 5000


def _ids(raw: str) -> list[int]:
    return parse_ids(raw.split(","), MAX_PRODUCTS)


def bulk_new(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:config")
    ids = _ids(str(request.GET.get("ids") or request.POST.get("ids") or ""))
    products = list(Product.objects.filter(pk__in=ids).prefetch_related("images").order_by("name"))
    try:
        options = offer_catalog.seller_options(account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
        return redirect("admin:catalog_product_changelist")
    form = ListingTemplateForm(request.POST or None, options=options)
    results = None
    if request.method == "POST" and form.is_valid():
        data = {k: (str(v) if v is not None else "") for k, v in form.cleaned_data.items()}
        data["reserve"] = form.cleaned_data["reserve"]
        template = ListingTemplate.from_json(data)
        results = bulk_dry_run(account=account, template=template, products=products)
        if "start" in request.POST:
            passing = [r.product for r in results if r.ok]
            if not passing:
                messages.error(request, _("Żaden z produktów nie przeszedł sprawdzenia."))
            else:
                job = bulk_job_create(account=account, template=template, products=passing)
                skipped = len(results) - len(passing)
                if skipped:
                    messages.warning(
                        request,
                        _("Pominięto %(n)d produktów, które nie przeszły sprawdzenia.")
                        % {"n": skipped},
                    )
                return redirect("allegro:bulk_job", job_id=job.pk)
    return render(
        request,
        "allegro/offers/bulk/new.html",
        page_context(
            request,
            title=_("Wystaw na Allegro: %(n)d produktów") % {"n": len(products)},
            form=form,
            products=products,
            results=results,
            ids=",".join(str(p.pk) for p in products),
            passing=sum(1 for r in results or [] if r.ok),
        ),
    )


def bulk_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkListingJob, pk=job_id)
    items = job.items.select_related("product", "offer")
    partial = request.htmx  # type: ignore[attr-defined]
    template = "allegro/offers/bulk/_progress.html" if partial else "allegro/offers/bulk/job.html"
    return render(
        request,
        template,
        page_context(
            request,
            title=_("Wystawianie zbiorcze #%(n)d") % {"n": job.pk},
            job=job,
            items=items,
            template_data=asdict(ListingTemplate.from_json(job.template)),
        ),
    )
