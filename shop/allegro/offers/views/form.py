"""The offer form (Dodatkowe opcje → Allegro → Dodaj) and its live fragments."""

from __future__ import annotations

import contextlib
import string
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus, SellingFormat
from shop.allegro.offers.forms import (
    OfferForm,
    ParametersForm,
    parameter_initial,
    submitted_parameter_values,
)
from shop.allegro.offers.mapping import clean_description_html
from shop.allegro.offers.services import catalog as offer_catalog
from shop.allegro.offers.services.publish import (
    offer_edit_overrides,
    offer_new_for_product,
    offer_save,
)
from shop.allegro.sync.rules import OverrideEdit, quantity_compute
from shop.allegro.sync.selectors import offer_origin
from shop.allegro.sync.services.overrides import offer_overrides_clear
from shop.allegro.sync.services.push import LIVE, sync_settings_for
from shop.catalog.models import Product
from shop.core.http import next_url, parse_id


def _usable_account(request: HttpRequest) -> AllegroAccount | None:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(
            request, _("Najpierw skonfiguruj i powiąż konto Allegro (Aplikacje → Allegro).")
        )
        return None
    return account


def _is_leaf(account: AllegroAccount) -> Any:
    def check(category_id: str) -> bool:
        try:
            return bool(offer_catalog.category_get(account, category_id).get("leaf"))
        except AllegroError:
            return False

    return check


def _initial(offer: AllegroOffer, metas: list[dict[str, Any]]) -> dict[str, Any]:
    data = dict(offer.form_data)
    initial = {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
    for position, image_id in enumerate(data.get("image_ids") or [], start=1):
        initial[f"image_{image_id}"] = position
    for n, section in enumerate(data.get("description") or [], start=1):
        initial[f"description_{n}_text"] = section.get("text") or ""
        initial[f"description_{n}_image"] = section.get("image_id") or ""
    initial.update(parameter_initial(metas, data.get("parameters") or {}))
    if offer.allegro_id and offer.status in LIVE:
        # What Allegro shows now: the sync may have changed it since the form was last saved,
        # and a change from these values is what becomes the offer's own (an override).
        if offer.selling_format == SellingFormat.BUY_NOW and offer.price is not None:
            initial["price"] = offer.price
        if offer.stock_available > 0:
            initial["quantity"] = offer.stock_available
    return initial


def _prefill_parameters(
    offer: AllegroOffer, metas: list[dict[str, Any]], catalog: dict[str, Any] | None
) -> dict[str, list[str]]:
    """Stored values, else the catalog product's, else the shop product's EAN/ISBN."""
    values: dict[str, list[str]] = {
        k: list(v) for k, v in (offer.form_data.get("parameters") or {}).items()
    }
    by_name = {str(m.get("name") or "").lower(): str(m["id"]) for m in metas}
    if catalog:
        for p in catalog.get("parameters") or []:
            pid = str(p.get("id"))
            if pid in values:
                continue
            if p.get("valuesIds"):
                values[pid] = [str(v) for v in p["valuesIds"]]
            elif p.get("rangeValue"):
                values[pid] = [str(p["rangeValue"].get("from")), str(p["rangeValue"].get("to"))]
            elif p.get("values"):
                values[pid] = [str(v) for v in p["values"]]
    if offer.product and offer.product.ean and not offer.allegro_id:
        for name in ("isbn", "ean (gtin)", "ean"):
            gtin_pid = by_name.get(name)
            if (
                gtin_pid
                and gtin_pid not in values
                and (name != "isbn" or offer.product.ean.startswith(("978", "979")))
            ):
                values[gtin_pid] = [offer.product.ean]
    return values


def _render_form(
    request: HttpRequest, offer: AllegroOffer, account: AllegroAccount, *, post: Any = None
) -> tuple[OfferForm, HttpResponse | None]:
    category_id = (post or {}).get("category_id") or offer.form_data.get("category_id") or ""
    metas: list[dict[str, Any]] = []
    if parse_id(category_id) is not None:
        try:
            metas = offer_catalog.category_parameters(account, str(category_id))
        except AllegroError:
            metas = []
    catalog = None
    catalog_id = (post or {}).get("catalog_product_id") or offer.form_data.get("catalog_product_id")
    if catalog_id and post is None and not offer.allegro_id:
        # A new offer takes the catalog product's values; an existing one keeps its own.
        try:
            catalog = offer_catalog.catalog_product(account, catalog_id)
        except AllegroError:
            catalog = None
    try:
        options = offer_catalog.seller_options(account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
        return None, redirect("allegro:config")  # type: ignore[return-value]
    images = list(offer.product.images.all()) if offer.product else []
    if post is not None:
        values = submitted_parameter_values(metas, post)
        form = OfferForm(
            post,
            metas=metas,
            values=values,
            options=options,
            images=images,
            is_leaf_category=_is_leaf(account),
        )
    else:
        values = _prefill_parameters(offer, metas, catalog)
        offer.form_data = {**offer.form_data, "parameters": values}
        form = OfferForm(
            initial=_initial(offer, metas),
            metas=metas,
            values=values,
            options=options,
            images=images,
            is_leaf_category=_is_leaf(account),
        )
    path: list[dict[str, Any]] = []
    if parse_id(category_id) is not None:
        with contextlib.suppress(AllegroError):
            path = offer_catalog.category_path(account, str(category_id))
    form.offer_category_path = path  # type: ignore[attr-defined]
    return form, None


def _page(request: HttpRequest, offer: AllegroOffer, form: OfferForm) -> HttpResponse:
    origin = (
        offer_origin(offer=offer, conf=sync_settings_for(offer.account_id))
        if offer.pk and offer.product_id
        else None
    )
    allegro_errors = offer.validation_errors or []
    if offer.has_errors and not form.is_bound:
        for error in allegro_errors:
            field = error.get("field")
            if field and field in form.fields:
                form.fields[field].widget.attrs["aria-invalid"] = "true"
    return render(
        request,
        "allegro/offers/form.html",
        page_context(
            request,
            title=_("Oferta Allegro: %(name)s")
            % {"name": offer.name or (offer.product.name if offer.product else "")},
            offer=offer,
            form=form,
            origin=origin,
            allegro_errors=allegro_errors,
            parameter_fields=[form[name] for name in form.parameter_names],
            image_fields=[(image, form[f"image_{image.pk}"]) for image in form.images],
            description_fields=[form[n] for n in form.fields if n.startswith("description_")],
        ),
    )


def offer_new(request: HttpRequest) -> HttpResponse:
    account = _usable_account(request)
    if account is None:
        return redirect("allegro:config")
    product = get_object_or_404(
        Product, pk=parse_id(request.GET.get("product") or request.POST.get("product"))
    )
    offer = offer_new_for_product(account=account, product=product)
    return _handle(request, offer, account)


def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(
        AllegroOffer.objects.select_related("account", "product"), pk=offer_id
    )
    if request.method == "GET" and offer.allegro_id and not offer.form_data.get("name"):
        from shop.allegro.offers.services.actions import offer_form_data_load

        try:
            offer_form_data_load(offer=offer)
        except AllegroError as exc:
            messages.error(request, describe_error(exc))
            return redirect("allegro:offers")
    return _handle(request, offer, offer.account)


def _handle(request: HttpRequest, offer: AllegroOffer, account: AllegroAccount) -> HttpResponse:
    if request.method == "POST":
        form, redirect_response = _render_form(request, offer, account, post=request.POST)
        if redirect_response is not None:
            return redirect_response
        if form.is_valid():
            overrides = offer_edit_overrides(offer=offer, data=form.cleaned_data)
            _check_quantity_override(offer, form, overrides)
        if form.is_valid():
            publish = "publish" in request.POST
            on_allegro = bool(offer.allegro_id)
            offer_save(offer=offer, data=form.cleaned_data, user=request.user, publish=publish)
            # The publication task may already have run (an eager queue); say what it did.
            offer.refresh_from_db()
            _saved_message(request, offer, publish=publish, on_allegro=on_allegro)
            _override_message(request, overrides)
            return redirect("allegro:offer_edit", offer_id=offer.pk)
        return _page(request, offer, form)
    form, redirect_response = _render_form(request, offer, account)
    if redirect_response is not None:
        return redirect_response
    return _page(request, offer, form)


def _check_quantity_override(offer: AllegroOffer, form: OfferForm, edit: OverrideEdit) -> None:
    """A manual quantity above what the shop has would sell goods that are not there."""
    if edit.quantity is None or offer.product is None:
        return
    conf = sync_settings_for(offer.account_id)
    available = quantity_compute(offer.product.stock, conf.safety_reserve)
    if conf.stock_enabled and edit.quantity > available:
        form.add_error(
            "quantity",
            _(
                "Produkt ma do wystawienia tylko %(n)s szt. (stan minus rezerwa) — "
                "więcej sztuk sprzedałoby towar, którego nie ma."
            )
            % {"n": available},
        )


def _saved_message(
    request: HttpRequest, offer: AllegroOffer, *, publish: bool, on_allegro: bool
) -> None:
    """Word the outcome: a draft saved, a publication queued, or an edit sent to Allegro."""
    if not on_allegro:
        if publish:
            messages.info(request, _("Wystawiamy ofertę w tle — stan odświeży się sam."))
        else:
            messages.success(request, _("Zapisano szkic oferty."))
        return
    if offer.status == OfferStatus.PUBLISHING:
        text = _("Aktualizujemy ofertę na Allegro — stan odświeży się sam.")
        if offer.last_error:
            text = f"{text} {offer.last_error}"
        messages.info(request, text)
    elif offer.last_error:
        messages.error(
            request, _("Allegro nie przyjęło zmian: %(error)s") % {"error": offer.last_error}
        )
    elif offer.status in LIVE:
        messages.success(request, _("Zaktualizowano ofertę na Allegro."))
    else:
        messages.success(request, _("Zapisano szkic oferty."))


def _override_message(request: HttpRequest, edit: OverrideEdit) -> None:
    if edit.price is not None:
        messages.info(
            request,
            _(
                "Cena %(price)s zł jest odtąd ustawiona ręcznie — synchronizacja z produktem "
                "jej nie zmieni, dopóki nie przywrócisz synchronizacji."
            )
            % {"price": number_format(edit.price, 2)},
        )
    if edit.quantity is not None:
        messages.info(
            request,
            _(
                "Liczba sztuk %(n)s jest odtąd ustawiona ręcznie — synchronizacja jej nie "
                "podniesie, obniży ją tylko, gdy w sklepie zostanie mniej sztuk."
            )
            % {"n": edit.quantity},
        )


@require_POST
def offer_sync_restore(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The "restore sync with the product" button: drop the offer's own price and quantity."""
    offer = get_object_or_404(AllegroOffer, pk=offer_id)
    if offer_overrides_clear(offer=offer, user=request.user):
        messages.success(
            request,
            _(
                "Przywrócono synchronizację z produktem — cena i liczba sztuk wrócą do wartości "
                "z produktu przy najbliższej synchronizacji."
            ),
        )
    return redirect("allegro:offer_edit", offer_id=offer.pk)


@require_POST
def offer_parameters(request: HttpRequest) -> HttpResponse:
    """The "Cechy przedmiotu" fieldset re-evaluated for the values in the request (htmx)."""
    account = account_current(request)
    category_id = str(request.POST.get("category_id") or "")
    if account is None or parse_id(category_id) is None:
        return render(request, "allegro/offers/_parameters.html", {"parameter_fields": []})
    try:
        metas = offer_catalog.category_parameters(account, category_id)
    except AllegroError as exc:
        return HttpResponse(describe_error(exc), status=502)
    values = submitted_parameter_values(metas, request.POST)
    product_id = parse_id(request.POST.get("product"))
    if request.POST.get("prefill") and product_id is not None:
        # A new category: fill what the shop product already knows (EAN/ISBN).
        product = Product.objects.filter(pk=product_id).first()
        if product is not None:
            draft = AllegroOffer(product=product, form_data={"parameters": values})
            values = _prefill_parameters(draft, metas, None)
    form = ParametersForm(
        metas=metas,
        values=values,
        initial=parameter_initial(metas, values),
        catalog_linked=bool(request.POST.get("catalog_product_id")),
    )
    return render(
        request,
        "allegro/offers/_parameters.html",
        {"parameter_fields": [form[name] for name in form.parameter_names]},
    )


def offer_categories(request: HttpRequest) -> HttpResponse:
    """Category picker fragment: children of ``parent``, or matches for ``q`` (htmx)."""
    account = account_current(request)
    if account is None:
        return HttpResponseBadRequest()
    phrase = str(request.GET.get("q") or "").strip()[:200]
    parent = str(request.GET.get("parent") or "")
    try:
        if phrase:
            categories = offer_catalog.matching_categories(account, phrase)
            mode = "search"
        else:
            categories = offer_catalog.category_children(
                account, parent if parse_id(parent) is not None else None
            )
            mode = "browse"
        path = offer_catalog.category_path(account, parent) if parse_id(parent) is not None else []
    except AllegroError as exc:
        return HttpResponse(f'<p class="bo-error">{describe_error(exc)}</p>')
    return render(
        request,
        "allegro/offers/_categories.html",
        {"categories": categories, "mode": mode, "path": path, "phrase": phrase},
    )


def offer_catalog_search(request: HttpRequest) -> HttpResponse:
    """Catalog candidates by GTIN (automatic, from the product's EAN) or by phrase (htmx)."""
    account = account_current(request)
    if account is None:
        return HttpResponseBadRequest()
    gtin = "".join(c for c in str(request.GET.get("gtin") or "") if c in string.digits)[:14]
    phrase = str(request.GET.get("q") or "").strip()[:200]
    try:
        if gtin:
            products = offer_catalog.catalog_search(account, phrase=gtin, mode="GTIN")
        elif phrase:
            products = offer_catalog.catalog_search(account, phrase=phrase)
        else:
            products = []
    except AllegroError as exc:
        return HttpResponse(f'<p class="bo-error">{describe_error(exc)}</p>')
    selected = str(request.GET.get("selected") or "")[:36]
    return render(
        request,
        "allegro/offers/_catalog.html",
        {
            "products": products,
            "gtin": gtin,
            "phrase": phrase,
            "selected": selected,
            # The offer's current catalog product stays selectable when a search does not list it.
            "selected_elsewhere": bool(selected)
            and selected not in {str(p.get("id")) for p in products},
        },
    )


def offer_status(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(AllegroOffer, pk=offer_id)
    # The card polls only while Allegro works on the offer: a poll that finds it done says so.
    finished = bool(request.headers.get("HX-Request")) and offer.status in LIVE
    return render(
        request,
        "allegro/offers/_status.html",
        {"offer": offer, "finished": finished and not offer.last_error},
    )


@require_POST
def offer_description_preview(request: HttpRequest) -> HttpResponse:
    sections = [
        clean_description_html(str(request.POST.get(f"description_{n}_text") or ""))
        for n in range(1, 5)
    ]
    return render(request, "allegro/offers/_description_preview.html", {"sections": sections})


def offer_is_publishing(offer: AllegroOffer) -> bool:
    return offer.status == OfferStatus.PUBLISHING


def offer_terms_defaults(request: HttpRequest) -> HttpResponse:
    """Guided creation of a default returns policy and implied warranty."""
    from shop.allegro.offers.forms import ReturnAddressForm
    from shop.allegro.offers.services.terms import ReturnAddress, offer_terms_create_defaults

    account = _usable_account(request)
    if account is None:
        return redirect("allegro:config")
    back = next_url(request, "allegro:config")
    form = ReturnAddressForm(
        request.POST or None,
        initial={"city": account.city, "post_code": account.post_code, "name": account.login},
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer_terms_create_defaults(
                account=account, address=ReturnAddress(**form.cleaned_data), user=request.user
            )
        except AllegroError as exc:
            messages.error(request, describe_error(exc))
        else:
            messages.success(request, _("Utworzono domyślne warunki zwrotów i reklamacji."))
            return redirect(back)
    return render(
        request,
        "allegro/offers/terms_defaults.html",
        page_context(request, title=_("Domyślne warunki oferty"), form=form, next=back),
    )
