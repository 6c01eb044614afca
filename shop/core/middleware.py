"""Every page of the back office is for staff only; odd paths and debug pages go nowhere."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

# What an anonymous visitor may reach: these exact paths, and files under these folders.
PUBLIC_PATHS = {"/healthz", "/favicon.ico"}
PUBLIC_FOLDERS = ("/static/", "/i18n/")
LOCAL_ADDRESSES = {"127.0.0.1", "::1"}

Handler = Callable[[HttpRequest], HttpResponse]


def path_is_plain(path: str) -> bool:
    """No ``..`` or ``.`` segments, backslashes or control characters: nothing to climb out of."""
    normal = posixpath.normpath(path)
    if path.endswith("/") and normal != "/":
        normal += "/"
    return normal == path and "\\" not in path and path.isprintable()


def carries_nul(request: HttpRequest) -> bool:
    """A NUL character in any query or form value: no text column of PostgreSQL can hold one."""
    for data in (request.GET, request.POST if request.method == "POST" else None):
        if data is not None and any("\x00" in v for _k, vs in data.lists() for v in vs):
            return True
    return False


class PlainRequestMiddleware:
    """``/static/../backend/``, ``/media/../db.sqlite3`` or a NUL character in a field is refused
    before anything reads it (Django's forms refuse NUL; a filter read from the query string
    would otherwise reach the database with it)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not path_is_plain(request.path):
            return HttpResponseBadRequest(_("Nieprawidłowy adres."), content_type="text/plain")
        if carries_nul(request):
            return HttpResponseBadRequest(
                _("Niedozwolony znak w przesłanych danych."), content_type="text/plain"
            )
        return self.get_response(request)


class LocalDebugPagesMiddleware:
    """With DEBUG on, Django's error pages (URL patterns, settings, tracebacks) only reach this
    machine; any other client gets a plain error instead."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code >= 400
            and request.META.get("REMOTE_ADDR") not in LOCAL_ADDRESSES
            and "text/html" in response.get("Content-Type", "")
        ):
            return HttpResponse(
                _("Błąd %(status)s.") % {"status": response.status_code},
                status=response.status_code,
                content_type="text/plain; charset=utf-8",
            )
        return response


class StaffOnlyMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        login_path = reverse("admin:login")
        user = getattr(request, "user", None)
        is_staff = bool(user and user.is_authenticated and user.is_active and user.is_staff)
        if (
            not is_staff
            and path != login_path
            and path not in PUBLIC_PATHS
            and not path.startswith(PUBLIC_FOLDERS)
            and not (settings.DEBUG and path.startswith(settings.MEDIA_URL))
        ):
            return redirect_to_login(request.get_full_path(), login_path)
        return self.get_response(request)


class PolishFirstLocaleMiddleware(LocaleMiddleware):
    """Polish unless the user chose otherwise with the language switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a merchant whose
    browser happens to be English would get a half-translated English back office.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # No "Vary: Accept-Language": the answer does not depend on it.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
