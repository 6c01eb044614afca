"""The back office is bilingual: Polish (the msgids) by default, English from locale/en."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from config.env import BASE_DIR

BASE = Path(BASE_DIR)
EN_PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
PL_PO = BASE / "locale" / "pl" / "LC_MESSAGES" / "django.po"
VENDOR_PL_PO = BASE / "locale_vendor" / "pl" / "LC_MESSAGES" / "django.po"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    ctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (the header and obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgctxt":
                current.ctxt, target = value, ("ctxt", 0)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.plural, target = value, ("plural", 0)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
        elif line.startswith('"'):
            value = _unquote(line)
            if target[0] == "ctxt":
                current.ctxt = (current.ctxt or "") + value
            elif target[0] == "msgid":
                current.msgid += value
            elif target[0] == "plural":
                current.plural = (current.plural or "") + value
            else:
                current.msgstr[target[1]] += value
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    return [e for e in entries if e.msgid]


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|<[^>]+>", text))


def test_every_english_entry_is_translated() -> None:
    entries = parse_po(EN_PO)
    assert len(entries) > 800
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    for entry in entries:
        if entry.plural is None:
            assert set(entry.msgstr) == {0}
            assert _placeholders(entry.msgstr[0]) == _placeholders(entry.msgid), entry.msgid
        else:
            assert set(entry.msgstr) == {0, 1}, entry.msgid
            assert _placeholders(entry.msgstr[1]) == _placeholders(entry.plural), entry.msgid


def test_polish_plural_entries_have_three_forms() -> None:
    entries = parse_po(PL_PO)
    plurals = [e for e in entries if e.plural is not None]
    assert plurals
    for entry in plurals:
        assert set(entry.msgstr) == {0, 1, 2}, entry.msgid
        assert all(entry.msgstr.values()), entry.msgid
    assert "nplurals=3;" in PL_PO.read_text(encoding="utf-8")


@pytest.mark.parametrize("po_path", [EN_PO, PL_PO, VENDOR_PL_PO], ids=["en", "pl", "vendor-pl"])
def test_compiled_catalogues_match_the_sources(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run `make messages`"
    with mo_path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in parse_po(po_path):
        if entry.ctxt is not None or not any(entry.msgstr.values()):
            continue
        if entry.plural is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr[0], entry.msgid
        else:
            assert catalogue.ngettext(entry.msgid, entry.plural, 1) == entry.msgstr[0]


def test_polish_plural_forms_follow_the_number() -> None:
    with translation.override("pl"):
        forms = [translation.ngettext("%(n)s oferta", "%(n)s ofert", n) for n in (1, 2, 5, 12, 22)]
    assert forms == ["%(n)s oferta", "%(n)s oferty", "%(n)s ofert", "%(n)s ofert", "%(n)s oferty"]
    with translation.override("en"):
        assert translation.ngettext("%(n)s oferta", "%(n)s ofert", 5) == "%(n)s offers"


def _sidebar_page(client: Client, language: str) -> str:
    response = client.get("/backend/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_backend_is_polish_whatever_the_browser_asks(staff_client: Client) -> None:
    for language in ("en", "en-US,en;q=0.9", "de", "pl"):
        page = _sidebar_page(staff_client, language)
        assert "Harmonogram zadań" in page and "Cenniki dostawy" in page, language
        assert "Task schedule" not in page and 'lang="pl"' in page, language


@pytest.mark.django_db
def test_english_is_there_for_whoever_chooses_it(staff_client: Client) -> None:
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _sidebar_page(staff_client, "pl")
    assert "Task schedule" in english
    assert "Delivery price lists" in english
    assert "Harmonogram zadań" not in english
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Harmonogram zadań" in _sidebar_page(staff_client, "en")


@pytest.mark.django_db
def test_language_switcher_sets_english(staff_client: Client) -> None:
    response = staff_client.post("/i18n/setlang/", {"language": "en", "next": "/backend/"})
    assert response.status_code == 302
    page = staff_client.get("/backend/").content.decode()
    assert "Task schedule" in page
    assert 'lang="en"' in page

    staff_client.post("/i18n/setlang/", {"language": "pl", "next": "/backend/"})
    assert "Harmonogram zadań" in staff_client.get("/backend/").content.decode()


@pytest.mark.django_db
def test_admin_theme_strings_are_polish(staff_client: Client) -> None:
    polish = _sidebar_page(staff_client, "pl")
    assert "Szukaj aplikacji i modeli..." in polish
    assert "Search apps and models..." not in polish
    assert "Wpisz, aby wyszukać" in polish
    assert "Jasny" in polish

    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _sidebar_page(staff_client, "en")
    assert "Search apps and models..." in english
    assert "Szukaj aplikacji i modeli..." not in english
