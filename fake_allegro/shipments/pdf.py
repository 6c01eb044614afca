"""A minimal PDF writer for the emulator's labels and handover protocols (no dependencies).

Text is drawn with the standard Helvetica fonts (WinAnsi), so letters outside Latin-1 are
folded to ASCII; the barcode is a row of bars derived from the waybill.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

A4 = (595.0, 842.0)
A6 = (298.0, 420.0)
_FOLD = str.maketrans({"ł": "l", "Ł": "L"})


def _text(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode()
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass
class Page:
    width: float
    height: float
    ops: list[str] = field(default_factory=list)

    def text(self, x: float, y: float, value: str, *, size: float = 9, bold: bool = False) -> None:
        font = "F2" if bold else "F1"
        self.ops.append(f"BT /{font} {size:g} Tf {x:.1f} {y:.1f} Td ({_text(value)}) Tj ET")

    def rect(self, x: float, y: float, w: float, h: float, *, fill: bool = False) -> None:
        self.ops.append(f"{x:.1f} {y:.1f} {w:.1f} {h:.1f} re {'f' if fill else 'S'}")

    def line(self, x1: float, y1: float, x2: float, y2: float, *, dashed: bool = False) -> None:
        dash = "[4 3] 0 d " if dashed else ""
        self.ops.append(f"q {dash}{x1:.1f} {y1:.1f} m {x2:.1f} {y2:.1f} l S Q")

    def barcode(self, x: float, y: float, w: float, h: float, value: str) -> None:
        """Bars whose widths follow the bytes of ``value`` (not a real symbology)."""
        bits = "".join(f"{b:08b}" for b in value.encode()) or "1"
        step = w / (len(bits) + 2)
        for i, bit in enumerate(bits):
            if bit == "1":
                self.rect(x + (i + 1) * step, y, step * 0.9, h, fill=True)


def render(pages: list[Page]) -> bytes:
    """The pages as one PDF document (byte offsets in the xref table are exact)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids: list[int] = []
    for page in pages:
        stream = "\n".join(page.ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content} 0 R >>"
            ).encode()
        )
        kids.append(len(objects))
    objects[1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
