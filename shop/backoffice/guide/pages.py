"""Which guide page belongs to which back-office screen, and reading the pages from disk."""

from __future__ import annotations

import re
from pathlib import Path

from config.env import BASE_DIR

PAGE_NAME = re.compile(r"^[a-z0-9-]+$")
IMAGE_NAME = re.compile(r"^[a-z0-9-]+\.png$")
INDEX = "README"

# URL name of a screen → the guide page (file stem in docs/pl) that explains it. A screen not
# listed here shows no "Pomoc" link. Engineers adding a screen add its line here.
PAGE_FOR_SCREEN: dict[str, str] = {
    "admin:index": "strona-startowa",
    "allegro:config": "konto-allegro",
    "allegro:add_account": "konto-allegro",
    "allegro:shipping_rates": "cenniki-dostawy",
    "allegro:shipping_rates_add": "cenniki-dostawy",
    "allegro:shipping_rates_edit": "cenniki-dostawy",
    "allegro:offer_new": "wystawianie-oferty",
    "allegro:offer_edit": "wystawianie-oferty",
    "allegro:bulk_new": "lista-ofert",
    "allegro:bulk_job": "lista-ofert",
    "allegro:offers": "lista-ofert",
    "allegro:offer_preview": "lista-ofert",
    "allegro:orders": "zamowienia-allegro",
    "allegro:order_detail": "zamowienia-allegro",
    "allegro:sync": "stany-i-ceny",
    "scheduler:tasks": "import-zamowien",
    "scheduler:task": "import-zamowien",
    "allegro:offer_review": "do-potwierdzenia",
    "allegro:sync_held": "wstrzymane-zmiany",
    "allegro:claims": "zwroty-prowizji",
    "allegro:invoices_awaiting": "faktury",
    "allegro:returns": "zwroty",
    "allegro:return_detail": "zwroty",
    "allegro:order_refund": "zwroty",
    "allegro:settlements": "rozliczenia",
    "allegro:parcel_batch": "wysylam-z-allegro",
    "allegro:parcel_settings": "wysylam-z-allegro",
    "allegro:messages": "wiadomosci",
    "allegro:message_thread": "wiadomosci",
    "allegro:message_templates": "wiadomosci",
    "allegro:issues": "dyskusje-i-oceny",
    "allegro:issue": "dyskusje-i-oceny",
    "allegro:ratings": "dyskusje-i-oceny",
}


def guide_dir() -> Path:
    return BASE_DIR / "docs" / "pl"


def page_for_screen(url_name: str) -> str | None:
    return PAGE_FOR_SCREEN.get(url_name)


def page_source(name: str) -> str | None:
    """The Markdown of one guide page, or None for a name that is not a page of the guide."""
    if not PAGE_NAME.match(name) and name != INDEX:
        return None
    path = guide_dir() / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def image_path(name: str) -> Path | None:
    if not IMAGE_NAME.match(name):
        return None
    path = guide_dir() / "img" / name
    return path if path.is_file() else None
