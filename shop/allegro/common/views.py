from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The admin chrome (sidebar, header) for the Allegro pages."""
    return {**admin.site.each_context(request), **extra}
