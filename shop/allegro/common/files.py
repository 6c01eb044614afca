"""Files a buyer sent through Allegro, handed to the back office user safely.

The type Allegro names is kept only when it is on the operation's allow-list (never guessed from
the bytes), and the answer is always a download in a sandbox: a file made to look like a page
never runs in the back office's origin.
"""

from __future__ import annotations

from collections.abc import Collection

from django.http import HttpResponse

__all__ = ["allowed_type", "download_response"]


def allowed_type(content_type: str, allowed: Collection[str]) -> str | None:
    """The bare type (no parameters, lower case) when it is one of ``allowed``, else None."""
    kind = content_type.split(";")[0].strip().lower()
    return kind if kind in allowed else None


def download_response(data: bytes, *, content_type: str, file_name: str) -> HttpResponse:
    """An attachment download: never shown inline, type never sniffed, scripts never run."""
    response = HttpResponse(data, content_type=content_type)
    safe_name = "".join(c for c in file_name if c.isalnum() or c in "._- ") or "plik"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
