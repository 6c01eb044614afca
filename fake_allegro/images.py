"""Seeded images, served by the emulator itself so previews render with no internet.

``GET /images/original/{bucket}/{name}.png`` answers a small PNG whose colours derive from the
name (the same name always gives the same picture). Seeded catalog products and offers point
here (``SaleState.image_base``); uploads keep Allegro's own image host in their ``location``.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.state import SEED_IMAGE_PATH

WIDTH, HEIGHT = 320, 240


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@lru_cache(maxsize=256)
def placeholder_png(name: str) -> bytes:
    """A 320×240 RGB PNG: a background and a centred block in two colours taken from ``name``."""
    digest = hashlib.sha256(name.encode()).digest()
    background, block = digest[0:3], bytes(255 - b for b in digest[3:6])
    rows = []
    for y in range(HEIGHT):
        inside_y = HEIGHT // 4 <= y < 3 * HEIGHT // 4
        row = bytearray(b"\x00")  # filter: none
        for x in range(WIDTH):
            row += block if inside_y and WIDTH // 4 <= x < 3 * WIDTH // 4 else background
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + _chunk(b"IEND", b"")
    )


@endpoint(
    "GET", SEED_IMAGE_PATH + "/{bucket}/{name}", auth="none", host="upload", spec_checked=False
)
def seed_image(call: Call) -> Reply:
    name = call.params["name"]
    if not name.endswith(".png"):
        return Reply(404, b"", content_type="text/plain")
    return Reply(
        200,
        placeholder_png(f"{call.params['bucket']}/{name}"),
        headers={"Cache-Control": "public, max-age=86400"},
        content_type="image/png",
    )
