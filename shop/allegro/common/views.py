from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest

from shop.allegro.models import AllegroCheckoutForm


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The admin chrome (sidebar, header) for the Allegro pages."""
    return {**admin.site.each_context(request), **extra}


def checkout_form_or_404(pk: int) -> AllegroCheckoutForm:
    """The Allegro order a page or action names, with its account and shop order."""
    form = AllegroCheckoutForm.objects.select_related("account", "order").filter(pk=pk).first()
    if form is None:
        raise Http404
    return form
