"""Every page of the back office is for staff only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

# Paths an anonymous visitor may reach: the login page itself, static files and the OAuth
# callback's own checks happen behind login too, so the list stays this short.
PUBLIC_PREFIXES = ("/static/", "/favicon.ico", "/healthz", "/i18n/")


class StaffOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        login_path = reverse("admin:login")
        user = getattr(request, "user", None)
        is_staff = bool(user and user.is_authenticated and user.is_active and user.is_staff)
        if (
            not is_staff
            and path != login_path
            and not path.startswith(PUBLIC_PREFIXES)
            and not (settings.DEBUG and path.startswith(settings.MEDIA_URL))
        ):
            return redirect_to_login(request.get_full_path(), login_path)
        return self.get_response(request)
