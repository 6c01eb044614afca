from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from shop.backoffice.guide.pages import page_for_screen


def guide_link(request: HttpRequest) -> dict[str, str]:
    """``guide_url``: the guide page of the screen being shown (the "Pomoc" link), if it has one."""
    match = getattr(request, "resolver_match", None)
    page = page_for_screen(match.view_name) if match else None
    return {"guide_url": reverse("guide:page", args=[page])} if page else {}
