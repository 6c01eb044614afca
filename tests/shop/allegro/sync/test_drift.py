# mypy: allow-untyped-defs
"""The drift report finds what changed on Allegro behind the back office's back, and heals it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shop.allegro.models.sync import DriftField, DriftReport
from shop.allegro.sync.rules import PriceRule, price_compute, price_round
from shop.allegro.sync.services.drift import drift_check, drift_heal
from shop.allegro.sync.services.push import stock_sync_flush

pytestmark = pytest.mark.django_db


def test_drift_is_reported_and_healed(allegro, synced_offer_factory, linked_account):
    _p1, quantity_mirror, quantity_remote = synced_offer_factory(stock=8)
    _p2, price_mirror, price_remote = synced_offer_factory(stock=3, price="20.00")
    _p3, _m3, steady_remote = synced_offer_factory(stock=5)
    # Someone edits the offers on Allegro directly.
    allegro.world.sale.set_stock(quantity_remote, 2)
    allegro.world.sale.set_price(price_remote, "14.00", "PLN")

    report = drift_check(account=linked_account)
    assert report.error == ""
    assert report.requests == 1
    found = {(r.offer_id, r.field, r.expected, r.actual) for r in report.rows.all()}
    assert found == {
        (quantity_mirror.pk, DriftField.QUANTITY, "8", "2"),
        (price_mirror.pk, DriftField.PRICE, "20.00", "14.00"),
    }

    assert drift_heal(report=report) == 2
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert quantity_remote.available == 8
    assert price_remote.price == "20.00"
    assert steady_remote.available == 5
    assert drift_check(account=linked_account).differences == 0


def test_offer_ended_on_allegro_with_stock_left_is_resumed(
    allegro, synced_offer_factory, linked_account
):
    _product, _mirror, remote = synced_offer_factory(stock=4)
    allegro.world.sale.end_offer(remote, "USER")
    report = drift_check(account=linked_account)
    row = report.rows.get()
    assert (row.field, row.expected, row.actual) == (DriftField.STATUS, "ACTIVE", "ENDED")
    drift_heal(report=report)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.status == "ACTIVE"
    assert remote.available == 4


def test_drift_page_lists_and_heals(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    _product, _mirror, remote = synced_offer_factory(stock=6)
    allegro.world.sale.set_stock(remote, 1)
    response = site_client.post("/backend/allegro/sync/drift/check/")
    assert response.status_code == 302
    page = site_client.get("/backend/allegro/sync/")
    assert page.status_code == 200
    text = page.content.decode()
    assert remote.id in text
    report = DriftReport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post(f"/backend/allegro/sync/drift/{report.pk}/heal/")
    assert response.status_code == 302
    assert remote.available == 6


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        ("12.30", "none", "12.30"),
        ("12.30", "99", "12.99"),
        ("12.00", "99", "12.99"),
        ("12.30", "49_99", "12.49"),
        ("12.50", "49_99", "12.99"),
        ("12.01", "whole", "13.00"),
        ("12.00", "whole", "12.00"),
    ],
)
def test_rounding(value: str, rounding: str, expected: str) -> None:
    assert price_round(Decimal(value), rounding) == Decimal(expected)


def test_price_rule_floor_and_ceiling() -> None:
    rule = PriceRule(markup=Decimal("1.5"), fixed_amount=Decimal(2), floor=Decimal(20))
    assert price_compute(Decimal(10), rule) == Decimal("20.00")
    assert price_compute(Decimal(100), rule) == Decimal("152.00")
    capped = PriceRule(markup=Decimal(2), ceiling=Decimal(150))
    assert price_compute(Decimal(100), capped) == Decimal("150.00")


# The price rule form: +10 %, ending in ,99, no floor or ceiling.
RULE_PLUS_10_PERCENT = {
    "markup": "1.10",
    "fixed_amount": "0",
    "rounding": "99",
    "price_floor": "",
    "price_ceiling": "",
}


def test_price_dry_run_sends_nothing_then_apply_sends(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    _product, _mirror, remote = synced_offer_factory(stock=3, price="100.00")
    data = RULE_PLUS_10_PERCENT
    allegro.requests.clear()
    page = site_client.post("/backend/allegro/sync/price-rule/", {**data, "preview": "1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "110,99" in text
    assert "100,00" in text
    assert remote.price == "100.00"
    assert not [e for e in allegro.requests.entries() if e["method"] == "PUT"]
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post("/backend/allegro/sync/price-rule/", {**data, "apply": "1"})
    assert response.status_code == 302
    assert remote.price == "110.99"


def test_price_dry_run_shows_what_the_sync_will_do_overrides_and_held_prices_included(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    """The preview takes the plan's own steps: an offer's own price stays, and a price the guard
    would hold says so; after "Zastosuj" the emulator shows exactly what the preview said."""
    from shop.allegro.models.sync import HeldChange, HeldReason, OfferSync

    _p1, _m1, plain = synced_offer_factory(price="100.00")
    _p2, own_mirror, own = synced_offer_factory(price="100.00")
    OfferSync.objects.update_or_create(
        offer=own_mirror, defaults={"price_override": Decimal("100.00")}
    )
    below, _m3, guarded = synced_offer_factory(price="100.00")
    below.purchase_price = Decimal("120.00")
    below.save(update_fields=["purchase_price"])
    data = RULE_PLUS_10_PERCENT
    page = site_client.post("/backend/allegro/sync/price-rule/", {**data, "preview": "1"})
    rows = {row.offer.allegro_id: row for row in page.context["preview"]}
    assert (rows[plain.id].new, rows[plain.id].overridden, rows[plain.id].held) == (
        Decimal("110.99"),
        False,
        None,
    )
    assert (rows[own.id].new, rows[own.id].changes, rows[own.id].overridden) == (
        Decimal("100.00"),
        False,
        True,
    )
    assert rows[guarded.id].held == HeldReason.BELOW_PURCHASE
    assert page.context["preview_changed"] == 2 and page.context["preview_held"] == 1
    text = page.content.decode()
    assert "cena ustawiona ręcznie — reguła jej nie zmieni" in text
    assert "zostanie wstrzymana: cena poniżej ceny zakupu" in text

    with django_capture_on_commit_callbacks(execute=True):
        site_client.post("/backend/allegro/sync/price-rule/", {**data, "apply": "1"})
    assert (plain.price, own.price, guarded.price) == ("110.99", "100.00", "100.00")
    held = HeldChange.objects.get()
    assert (held.offer.allegro_id, held.reason) == (guarded.id, HeldReason.BELOW_PURCHASE)


def test_bad_price_rule_gets_field_errors(linked_account, site_client):
    data = {
        "markup": "abc",
        "fixed_amount": "0",
        "rounding": "99",
        "price_floor": "50",
        "price_ceiling": "10",
    }
    page = site_client.post("/backend/allegro/sync/price-rule/", {**data, "preview": "1"})
    assert page.status_code == 200
    assert page.context["rule_form"].errors["markup"]


def test_sync_page_query_count(
    allegro, synced_offer_factory, linked_account, site_client, django_assert_max_num_queries
):
    for _ in range(3):
        _p, _m, remote = synced_offer_factory(stock=2)
        allegro.world.sale.set_stock(remote, 1)
    drift_check(account=linked_account)
    with django_assert_max_num_queries(25):
        assert site_client.get("/backend/allegro/sync/").status_code == 200
