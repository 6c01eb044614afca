"""Every URL of the project shows an anonymous visitor the login page, never data."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"healthz", "backend/login/", "i18n/setlang/"}


def _walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    """Turn a pattern into a URL by filling its parameters with plausible values."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<int:\w+>|<path:\w+>|<str:\w+>|<slug:\w+>|<\w+>", "1", route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "auth" if "app" in m[1] else "1", route)
    return "/" + route


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_back_office():
    assert len(ROUTES) > 40
    assert any(r.startswith("backend/scheduler") for r in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitor_gets_the_login_page(client, route):
    url = _concrete(route)
    if route.rstrip("$") in PUBLIC or url.rstrip("/") in {"/healthz", "/backend/login"}:
        return
    if route.startswith("^static/"):
        # Static files (make run serves them through the URLs) are public and hold no data.
        assert client.get(url).status_code == 404
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (301, 302), (url, response.status_code)
        location = response.headers["Location"]
        if response.status_code == 301:  # APPEND_SLASH first, then the login redirect
            continue
        assert location.startswith("/backend/login/"), (url, location)
        assert b"<td" not in response.content


@pytest.mark.django_db
def test_logging_in_from_the_bare_login_page_lands_on_the_start_page(client, staff_user):
    response = client.post(
        "/backend/login/", {"username": "kierownik", "password": "haslo-testowe-1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/backend/"
