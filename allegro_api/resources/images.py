"""Image upload to Allegro's upload host (``POST /sale/images``)."""

from __future__ import annotations

from allegro_api.models.images import UploadedImage
from allegro_api.resources._base import Resource

__all__ = ["ImagesResource"]

_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


class ImagesResource(Resource):
    """Uploaded images expire after a few hours unless an offer uses them (``expires_at``).

    Repeating an upload only leaves an unused copy that expires, so uploads are retried like
    idempotent requests.
    """

    def upload(self, data: bytes, *, content_type: str = "image/jpeg") -> UploadedImage:
        """Upload image bytes; returns the ``location`` URL to put into an offer."""
        if content_type not in _IMAGE_TYPES:
            raise ValueError(f"unsupported image type {content_type!r}")
        response = self._r.request(
            "POST",
            "/sale/images",
            host="upload",
            content=data,
            content_type=content_type,
            retry_safe=True,
        )
        return self._parse(UploadedImage, response.json())

    def upload_from_url(self, url: str) -> UploadedImage:
        """Let Allegro fetch an image from a public HTTPS URL (a domain, not an IP)."""
        response = self._r.request(
            "POST", "/sale/images", host="upload", json_body={"url": url}, retry_safe=True
        )
        return self._parse(UploadedImage, response.json())
