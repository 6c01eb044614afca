# mypy: allow-untyped-defs
"""A merchant accepts held price cuts in bulk on "Wstrzymane zmiany"; they reach Allegro once."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from shop.allegro.models.sync import HeldChange
from shop.allegro.sync.services.push import offers_mark
from shop.catalog.models import Product
from tests.e2e.conftest import screenshot
from tests.factories import emulator_offer_linked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def price_puts(emulator) -> list[dict]:
    return [
        e
        for e in emulator.requests.entries()
        if "offer-price-change-commands" in e["path"] and e["method"] == "PUT"
    ]


def test_held_price_cuts_are_accepted_in_bulk(staff_page, linked_live_account, live_emulator):
    page = staff_page
    emulator = live_emulator.emulator
    state = emulator.world.sale
    products = [
        Product.objects.create(name=name, sku=sku, price=Decimal("120.00"), stock=4)
        for name, sku in (("Lampa biurkowa", "LAMPA-1"), ("Czajnik stalowy", "CZAJNIK-1"))
    ]
    remotes = [
        emulator_offer_linked(state, linked_live_account, p, price="120.00", available=4)[1]
        for p in products
    ]
    Product.objects.filter(pk__in=[p.pk for p in products]).update(price=Decimal("12.00"))
    offers_mark(product_ids=[p.pk for p in products])  # flushes at once (eager tasks)
    assert HeldChange.objects.filter(resolved_at__isnull=True).count() == 2
    assert [r.price for r in remotes] == ["120.00", "120.00"]
    assert price_puts(emulator) == []

    page.goto(page.base_url + "/backend/")
    assert page.locator("#allegro-held-changes").inner_text() == "2"
    screenshot(page, "dashboard-held-changes")
    page.goto(page.base_url + "/backend/allegro/sync/")
    assert "czekające na zatwierdzenie: 2" in page.locator("#sync-held").inner_text()
    screenshot(page, "allegro-sync-guard-settings")
    page.goto(page.base_url + "/backend/allegro/held-changes/")
    rows = page.locator("#held-table tbody tr")
    assert rows.count() == 2
    assert "120,00 → 12,00" in rows.first.locator(".held-values").inner_text()
    assert "-90,0%" in rows.first.inner_text()
    held_link = page.locator("a[href$='/held-changes/']").first  # the menu entry, with a badge
    assert held_link.inner_text().split()[-1] == "2"
    screenshot(page, "allegro-held-changes")

    page.check("#held-all")
    page.click("#held-accept-selected")
    page.wait_for_url("**/backend/allegro/held-changes/")
    deadline = time.time() + 10
    while any(r.price != "12.00" for r in remotes) and time.time() < deadline:
        time.sleep(0.1)
    assert [r.price for r in remotes] == ["12.00", "12.00"]
    assert len(price_puts(emulator)) == 1  # one command for both, sent once
    assert page.locator("#held-empty").is_visible()
    # Nothing left to decide: the menu shows no badge.
    assert held_link.inner_text().split()[-1] == "zmiany"
    screenshot(page, "allegro-held-changes-accepted")
