"""The guide's pages and images, for staff (the staff-only middleware guards every URL)."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from shop.backoffice.guide.markdown import render as markdown_render
from shop.backoffice.guide.pages import INDEX, image_path, page_source


def _link(target: str) -> str:
    """``konto-allegro.md#sekcja`` → this view's URL; other targets stay as they are."""
    page, _, anchor = target.partition("#")
    if page == f"{INDEX}.md":
        return reverse("guide:index")
    if page.endswith(".md") and "/" not in page:
        url = reverse("guide:page", args=[page.removesuffix(".md")])
        return f"{url}#{anchor}" if anchor else url
    return target


def _image(target: str) -> str:
    if target.startswith("img/") and target.count("/") == 1:
        return reverse("guide:image", args=[target.removeprefix("img/")])
    return ""


def guide_page(request: HttpRequest, name: str = INDEX) -> HttpResponse:
    source = page_source(name)
    if source is None:
        raise Http404(name)
    first = source.lstrip().splitlines()[0] if source.strip() else ""
    title = first.lstrip("# ").strip() or name
    body = markdown_render(source, resolve_link=_link, resolve_image=_image)
    context = {
        **admin.site.each_context(request),
        "title": title,
        "guide_html": mark_safe(body),  # escaped, then sanitised by nh3
        "guide_index": name == INDEX,
    }
    return render(request, "backoffice/guide.html", context)


def guide_image(request: HttpRequest, name: str) -> HttpResponse:
    path = image_path(name)
    if path is None:
        raise Http404(name)
    # The guide's pictures are kept under 250 kB each; read whole, no file is left open.
    response = HttpResponse(path.read_bytes(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
