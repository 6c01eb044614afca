"""Every page and every form of the back office, found from the URL resolver and the HTML.

Nothing here is a hand-kept list: URL patterns come from Django's resolver (every view of the
shop's own apps), the ids filled into them are the primary keys that exist in the database,
and the forms (with their field names, ``hx-post`` endpoints included) are read from the pages
themselves, so a new page or form is covered the day it is added.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# The admin's pages for the shop's own models (their forms are the shop's too).
SHOP_ADMIN_PAGES = tuple(
    f"admin:{app}_" for app in ("catalog", "orders", "allegro", "scheduler", "core")
)
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    template: str  # "/backend/allegro/orders/<int:pk>/"
    name: str
    module: str


def shop_routes() -> list[Route]:
    """Every URL pattern whose view lives in the shop's own code (admin's own pages excluded)."""
    found: list[Route] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            else:
                view = pattern.callback
                module = getattr(view, "__module__", "") or ""
                name = namespace + (pattern.name or "")
                shop_admin = name.startswith(SHOP_ADMIN_PAGES)
                if module.startswith(("shop.", "config.")) or shop_admin:
                    found.append(
                        Route(
                            "/" + prefix + str(pattern.pattern),
                            namespace + (pattern.name or ""),
                            module,
                        )
                    )

    walk(get_resolver().url_patterns, "", "")
    return found


def existing_ids(limit: int = 4) -> list[int]:
    """Primary keys in use across the shop's tables, smallest first (a few of each table)."""
    ids: set[int] = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "allegro",
            "orders",
            "catalog",
            "scheduler",
            "django_celery_beat",
        }:
            continue
        if model._meta.pk.get_internal_type() not in {"AutoField", "BigAutoField"}:
            continue
        ids.update(model._base_manager.order_by("pk").values_list("pk", flat=True)[:limit])
    return sorted(ids)


def concrete_urls(route: Route, ids: list[int], extra_ids: tuple[int, ...] = ()) -> Iterator[str]:
    """The route with every ``<int:…>`` (or the admin's ``<path:object_id>``) filled by ids."""
    template = route.template.replace("^", "").replace("$", "")
    slots = list(CONVERTER.finditer(template))
    if not slots:
        yield template
        return
    values = [*ids, *extra_ids]
    for combo in itertools.product(values, repeat=len(slots)):
        url = template
        for slot, value in zip(slots, combo, strict=True):
            url = url.replace(slot.group(0), str(value), 1)
        yield url


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values seen
    textareas: set[str] = field(default_factory=set)
    element_id: str = ""


class _FormReader(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._open: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            form = Form(
                page=self.page,
                action=urljoin(self.page, a.get("action") or a.get("hx-post") or self.page),
                method=(a.get("method") or ("post" if a.get("hx-post") else "get")).lower(),
                element_id=a.get("id", ""),
            )
            self.forms.append(form)
            self._open.append(form)
            return
        if "hx-post" in a:
            # An element posting on its own (htmx): its form's fields go to its endpoint.
            owner = self._open[-1] if self._open else Form(self.page, self.page, "post")
            self.forms.append(
                Form(
                    self.page,
                    urljoin(self.page, a["hx-post"]),
                    "post",
                    owner.fields,
                    owner.textareas,
                )
            )
        name = a.get("name")
        if tag in {"input", "select", "textarea", "button"} and name:
            target = self._open[-1] if self._open else None
            form_id = a.get("form")
            if form_id:
                target = next((f for f in self.forms if f.element_id == form_id), target)
            if target is not None:
                target.fields.setdefault(name, []).append(a.get("value", ""))
                if tag == "textarea":
                    target.textareas.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._open:
            self._open.pop()


def forms_on(page: str, html: str) -> list[Form]:
    reader = _FormReader(page)
    reader.feed(html)
    return reader.forms


def is_local(location: str) -> bool:
    """A redirect that stays on this site: no scheme, no host, no ``//`` or ``\\`` tricks."""
    parts = urlsplit(location.replace("\\", "/"))
    return not parts.scheme and not parts.netloc and location.isprintable()
