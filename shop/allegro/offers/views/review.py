"""Sprzedaż → Allegro → Do potwierdzenia: matches the offer import held, offer beside product.

Per row: Potwierdź (the proposed product), Wybierz inny (a SKU or EAN, as on the offer list),
Nie łącz; with checkboxes, confirm or reject many at once. Every decision goes through
``links`` (audited); until one is made nothing is pushed to the offer.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import LinkSource
from shop.allegro.offers.selectors import (
    MATCHED_LABELS,
    REASON_LABELS,
    offers_to_review,
)
from shop.allegro.offers.services.links import (
    offer_link_confirm,
    offer_link_reject,
    offer_product_link,
)
from shop.allegro.orders.selectors import product_exact
from shop.core.http import parse_id, parse_ids

MAX_ROWS = 200


def _decimal_or_none(value: object) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def offer_review(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    offers = list(offers_to_review(account=account)[:MAX_ROWS])
    rows = []
    for offer in offers:
        evidence = offer.link_evidence or {}
        product = offer.proposed_product
        images = list(product.images.all()) if product else []
        image = images[0] if images else None
        rows.append(
            {
                "offer": offer,
                "product": product,
                "product_image_url": (image.thumbnail or image.image).url if image else "",
                "offer_eans": evidence.get("offer_eans") or [],
                "matched": [MATCHED_LABELS.get(k, k) for k in evidence.get("matched") or []],
                "reasons": [REASON_LABELS.get(r, r) for r in evidence.get("reasons") or []],
                "similarity": evidence.get("similarity"),
                "price_ratio": _decimal_or_none(evidence.get("price_ratio")),
            }
        )
    return render(
        request,
        "allegro/offers/review.html",
        page_context(request, title=_("Do potwierdzenia"), rows=rows, account=account),
    )


@require_POST
def offer_review_decide(request: HttpRequest) -> HttpResponse:
    """One button per row (``decide=<action>:<offer id>``) or a bulk action on the ticked rows."""
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    action, _sep, one = str(request.POST.get("decide") or "").partition(":")
    if action:
        ids = [i for i in [parse_id(one)] if i is not None]
    else:
        action = str(request.POST.get("action") or "")
        ids = parse_ids(request.POST.getlist("offer"), MAX_ROWS)
    offers = list(offers_to_review(account=account).filter(pk__in=ids))
    if not offers or action not in {"confirm", "reject", "pick"}:
        messages.error(request, _("Zaznacz oferty i wybierz działanie."))
        return redirect("allegro:offer_review")
    done = 0
    for offer in offers:
        if action == "confirm":
            done += offer_link_confirm(offer=offer, user=request.user)
        elif action == "reject":
            done += offer_link_reject(offer=offer, user=request.user)
        else:
            term = str(request.POST.get(f"sku_{offer.pk}") or "")
            product = product_exact(term)
            if product is None:
                messages.error(request, _("Nie ma produktu o SKU lub EAN „%(t)s”.") % {"t": term})
                continue
            done += offer_product_link(
                offer=offer, product=product, user=request.user, source=LinkSource.MANUAL
            )
    if done:
        text = {
            "confirm": _("Potwierdzono powiązania: %(n)d."),
            "reject": _("Nie będą łączone: %(n)d."),
            "pick": _("Powiązano z wybranym produktem: %(n)d."),
        }[action]
        messages.success(request, text % {"n": done})
    return redirect("allegro:offer_review")
