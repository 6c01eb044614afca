"""The printout's pages, measured: no word lies on another and none crosses the page margin.

Word boxes come from poppler's ``pdftotext -bbox-layout`` (the tool beside ``pdftoppm``); the
pages are also rendered to PNG under test-artifacts/printout-layout for a person to look at.
"""

from __future__ import annotations

import copy
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.printouts import printout_pdf
from shop.allegro.orders.services.importer import orders_import

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
# The @page margins of printout.html (top, right, bottom, left), in points.
MARGINS = (12 * MM, 12 * MM, 14 * MM, 12 * MM)
# Glyph boxes of neighbouring lines touch by a hair (ascent + descent ≈ line height).
TOLERANCE = 0.6
FOOTER_GAP = 3 * MM
# Beside the browser tests' screenshots (test-artifacts/ at the repository root).
PNG_DIR = Path(__file__).resolve().parents[4] / "test-artifacts" / "printout-layout"
LONG_NAME = (
    "Maria-Magdalena Konstantynopolitańczykiewicz-Wierzbięta",
    "Brzęczyszczykiewicz-Szczebrzeszyńska",
)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Word) -> float:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return min(width, height)


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def pdf_words(pdf: bytes, tmp_path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    source = tmp_path / "printout.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The output is XHTML; drop the namespace to walk it simply.
    xhtml = re.sub(r'\sxmlns="[^"]+"', "", html, count=1)
    root = ElementTree.fromstring(xhtml)  # noqa: S314 (poppler's output of our own PDF)
    words: list[Word] = []
    sizes: list[tuple[float, float]] = []
    for number, page in enumerate(root.iter("page")):
        sizes.append((float(page.attrib["width"]), float(page.attrib["height"])))
        for word in page.iter("word"):
            box = (float(word.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax"))
            words.append(Word(number, word.text or "", *box))
    return words, sizes


def render_png(pdf: bytes, name: str) -> list[Path]:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    source = PNG_DIR / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(source), str(PNG_DIR / name)], check=True)
    return sorted(PNG_DIR.glob(f"{name}-*.png"))


def layout_faults(words: list[Word], sizes: list[tuple[float, float]]) -> list[str]:
    faults = []
    top, right, bottom, left = MARGINS
    for w in words:
        width, height = sizes[w.page]
        # The page's footer (order number, page counter) sits in the middle of the bottom margin.
        footer = w.y0 >= height - bottom + FOOTER_GAP
        inside = (
            w.x0 >= left - TOLERANCE
            and w.x1 <= width - right + TOLERANCE
            and w.y0 >= top - TOLERANCE
            and (w.y1 <= height - bottom + TOLERANCE or footer)
            and w.y1 <= height
        )
        if not inside:
            faults.append(f"page {w.page + 1}: {w.text!r} crosses the margin at {w}")
    by_page: dict[int, list[Word]] = {}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, a in enumerate(page_words):
            for b in page_words[i + 1 :]:
                if b.y0 > a.y1:
                    break
                if a.overlap(b) > TOLERANCE:
                    faults.append(f"page {a.page + 1}: {a.text!r} overlaps {b.text!r}")
    return faults


@pytest.fixture
def crowded_form(allegro, linked_account) -> AllegroCheckoutForm:  # type: ignore[no-untyped-def]
    """Cash on delivery to a pickup point, 15 items, a company invoice with NIP, a long name."""
    created = control(
        allegro,
        "/purchases",
        {
            "synthetic": True,
            "count": 1,
            "items": 15,
            "offers": [
                {"id": str(7100000000 + n), "name": f"Oferta {n}", "price": "19.99"}
                for n in range(1, 16)
            ],
            "companyBuyer": True,
            "paymentType": "CASH_ON_DELIVERY",
        },
    )
    form_id = created["checkoutFormIds"][0]
    data = copy.deepcopy(orders_of(allegro.world).forms[form_id].data)
    first, last = LONG_NAME
    data["buyer"].update({"firstName": first, "lastName": last, "login": "bardzo_dlugi_login_1"})
    data["delivery"]["address"].update({"firstName": first, "lastName": last})
    data["delivery"]["pickupPoint"] = {
        "id": "POP-WAW123",
        "name": "Automat ORLEN Paczka POP-WAW123 przy stacji paliw w centrum handlowym",
        "description": "Stacja paliw ORLEN, wejście od parkingu, czynne całą dobę",
        "address": {
            "street": "ul. Aleje Jerozolimskie 123A/45",
            "zipCode": "02-001",
            "city": "Warszawa",
            "countryCode": "PL",
        },
    }
    data["invoice"] = {
        "required": True,
        "address": {
            "street": "ul. Długa 1",
            "city": "Gdańsk",
            "zipCode": "80-001",
            "countryCode": "PL",
            "company": {
                "name": "Przedsiębiorstwo Handlowo-Usługowe Zażółć Gęślą Jaźń sp. z o.o. sp.k.",
                "ids": [{"type": "PL_NIP", "value": "5252674798"}],
                "vatPayerStatus": "ACTIVE",
                "taxId": "5252674798",
            },
        },
    }
    data["messageToSeller"] = (
        "Proszę zapakować każdy produkt osobno i dołączyć paragon oraz fakturę. "
        "Jeśli czegoś zabraknie, proszę o telefon przed wysyłką — dziękuję! " * 3
    )
    for n, item in enumerate(data["lineItems"], start=1):
        item["offer"]["name"] = f"Zestaw kuchenny ze stali nierdzewnej, model {n}, 24 elementy"
        item["offer"]["external"] = {"id": f"ZESTAW-KUCHNIA-STAL-{n:03d}"}
    control(allegro, "/checkout-forms", {"checkoutForm": data})
    orders_import(account=linked_account, sweep=True)
    return AllegroCheckoutForm.objects.select_related("order").get(form_id=form_id)


def test_single_printout_has_no_overlaps_and_keeps_the_margins(crowded_form, tmp_path):  # type: ignore[no-untyped-def]
    pdf = printout_pdf(form_ids=[crowded_form.pk])
    render_png(pdf, "single")
    words, sizes = pdf_words(pdf, tmp_path)
    text = " ".join(w.text for w in words)
    # The crowded parts are on the page, so the measurement covers them.
    assert "Konstantynopolitańczykiewicz" in text and "Brzęczyszczykiewicz" in text
    assert "POP-WAW123" in text and "5252674798" in text
    assert "STAL-015" in text and "telefon" in text
    assert "pobraniem" in text and "CASH_ON_DELIVERY" not in text
    assert "PL_NIP" not in text and text.count("5252674798") == 1
    assert layout_faults(words, sizes) == []
    # Each item row is whole on one page: its SKU and its offer number on the same page.
    page_of = {w.text: w.page for w in words}
    for n in range(1, 16):
        assert page_of[f"STAL-{n:03d}"] == page_of[str(7100000000 + n)], n


def test_batch_printout_has_no_overlaps_and_keeps_the_margins(  # type: ignore[no-untyped-def]
    crowded_form, allegro, linked_account, tmp_path
):
    control(allegro, "/purchases", {"synthetic": True, "count": 2, "items": 3})
    orders_import(account=linked_account, sweep=True)
    others = AllegroCheckoutForm.objects.exclude(pk=crowded_form.pk).values_list("pk", flat=True)
    ids = [crowded_form.pk, *others]
    pdf = printout_pdf(form_ids=ids, with_pick_list=True)
    render_png(pdf, "batch")
    words, sizes = pdf_words(pdf, tmp_path)
    assert len(sizes) >= 4  # three orders and the pick list
    assert "kompletacyjna" in " ".join(w.text for w in words)
    assert layout_faults(words, sizes) == []


def test_the_measure_finds_a_word_on_a_word_and_one_past_the_margin() -> None:
    """The checks above could fail: two overlapping words and one in the margin are caught."""
    width, height = 595.0, 842.0
    words = [
        Word(0, "Zamówienie", 40, 40, 120, 52),
        Word(0, "nachodzi", 100, 44, 160, 56),
        Word(0, "margines", 570, 100, 600, 112),
    ]
    faults = layout_faults(words, [(width, height)])
    assert any("overlaps" in f for f in faults)
    assert any("margines" in f and "margin" in f for f in faults)
