"""Uploaded images (``POST /sale/images`` on the upload host)."""

from __future__ import annotations

from datetime import datetime

from allegro_api.models.common import AllegroModel

__all__ = ["UploadedImage"]


class UploadedImage(AllegroModel):
    location: str | None = None
    expires_at: datetime | None = None
