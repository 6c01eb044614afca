"""Screenshots of the merchant's guide (docs/pl/img), written only when DOCS_SCREENSHOTS=1.

Without the variable the journeys still run and assert what they would show, and the pictures go
to test-artifacts/guide/, so `make test` checks the guide's screens without rewriting the
committed files. `make docs-screenshots` regenerates them.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
GUIDE_IMAGES = ROOT / "docs" / "pl" / "img"
ARTIFACTS = ROOT / "test-artifacts" / "guide"
MAX_BYTES = 250_000


def target_dir() -> Path:
    return GUIDE_IMAGES if os.environ.get("DOCS_SCREENSHOTS") == "1" else ARTIFACTS


def guide_shot(page: Any, name: str, element: Any = None) -> Path:
    """The viewport (or one element) as a palette PNG, small enough to commit."""
    png = element.screenshot() if element is not None else page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    folder = target_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    image.save(path, optimize=True)
    size = path.stat().st_size
    assert size < MAX_BYTES, f"{path} is {size} bytes"
    return path
