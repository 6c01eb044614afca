"""Dodatkowe opcje → Allegro on the product page: add an offer, open the existing ones."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.catalog.hooks import ExtraOption, ListAction
from shop.catalog.models import Product


def allegro_product_options(product: Product) -> list[ExtraOption]:
    from shop.allegro.models import AllegroOffer

    options = [
        ExtraOption("Allegro", _("Dodaj"), f"{reverse('allegro:offer_new')}?product={product.pk}")
    ]
    for offer in AllegroOffer.objects.filter(product=product).order_by("-id")[:5]:
        label = _("Edytuj %(n)s") % {"n": offer.allegro_id or _("szkic")}
        options.append(
            ExtraOption("Allegro", label, reverse("allegro:offer_edit", args=[offer.pk]))
        )
    return options


def _bulk_url(ids: list[int]) -> str:
    return f"{reverse('allegro:bulk_new')}?ids={','.join(str(i) for i in ids)}"


BULK_LIST_ACTION = ListAction("allegro_bulk_list", gettext_lazy("Wystaw na Allegro"), _bulk_url)
