"""The fee import (windows, overlap, idempotency), the order margin and the CSV export."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from allegro_api.models.billing import BillingEntry
from fake_allegro import Emulator
from fake_allegro.billing.state import billing_of
from fake_allegro.spec import MEDIA_TYPE
from fake_allegro.world import iso
from shop.allegro.billing.export import BOM, billing_csv
from shop.allegro.billing.mapping import fee_group
from shop.allegro.billing.selectors import fees_per_period, order_fees, unmatched_entries
from shop.allegro.billing.services import billing_import
from shop.allegro.models import AllegroBillingEntry, AllegroCheckoutForm, BillingImportState
from shop.allegro.orders.services.importer import orders_import
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    if path.startswith("/billing/"):
        # Dated by the shop's clock: the emulator's runs ahead after ``posted``.
        payload = {"occurredAt": iso(timezone.now()), "lagSeconds": 0} | payload
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def posted(emulator: Emulator) -> None:
    """Past the emulator's posting lag: fees of the orders so far are visible."""
    control(emulator, "/clock", {"advance_seconds": 300})


def emulator_entries(emulator: Emulator) -> list[dict[str, Any]]:
    tokens = emulator.issue_tokens()
    headers = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "Accept": MEDIA_TYPE,
        "User-Agent": "SklepDemo/1.0 (+http://localhost:8000)",
    }
    with emulator.http_client(headers=headers) as h:
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = h.get("/billing/billing-entries", params={"offset": offset}).json()
            found += page["billingEntries"]
            if len(page["billingEntries"]) < 100:
                return found
            offset += 100


def sold(allegro: Emulator, account, count: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    created = control(allegro, "/purchases", {"synthetic": True, "count": count, "items": 1})
    orders_import(account=account, sweep=False)
    posted(allegro)
    ids: list[str] = created["checkoutFormIds"]
    return ids


def test_import_twice_gives_the_same_rows_and_links_orders(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    form_ids = sold(allegro, linked_account)
    control(allegro, "/billing/entries", {"type": "LIS", "amount": "-0.50", "offerId": "777"})
    posted(allegro)
    remote = emulator_entries(allegro)

    first = billing_import(account=linked_account)

    assert first.requests == 1
    assert first.entries_read == first.entries_created == len(remote)
    assert AllegroBillingEntry.objects.count() == len(remote)
    commissions = AllegroBillingEntry.objects.filter(type_id="SUC")
    assert {e.order_ref for e in commissions} == set(form_ids)
    assert all(e.form is not None and e.form.form_id == e.order_ref for e in commissions)
    assert all(e.amount < 0 and e.group == "commission" for e in commissions)
    listing = AllegroBillingEntry.objects.get(type_id="LIS")
    assert listing.form is None and listing.offer_id == "777"
    rows_before = list(AllegroBillingEntry.objects.order_by("entry_id").values())

    second = billing_import(account=linked_account)

    assert second.requests == 1
    assert second.entries_created == second.entries_updated == 0
    assert second.entries_unchanged == len(remote)
    assert list(AllegroBillingEntry.objects.order_by("entry_id").values()) == rows_before


def test_an_entry_posted_late_is_caught_by_the_overlap(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    billing_import(account=linked_account)
    synced = BillingImportState.objects.get(account=linked_account).synced_until
    assert synced is not None
    # Dated before the last run's end, visible only now.
    late = synced - timedelta(minutes=30)
    control(
        allegro,
        "/billing/entries",
        {"type": "FEA", "amount": "-9.90", "offerId": "555", "occurredAt": iso(late)},
    )

    stats = billing_import(account=linked_account)

    assert stats.entries_created == 1
    entry = AllegroBillingEntry.objects.get()
    assert entry.group == "promotion" and entry.amount == Decimal("-9.90")


def test_a_full_page_is_followed_by_the_next_one(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(days=2)
    for n in range(130):
        control(
            allegro,
            "/billing/entries",
            {
                "type": "LIS",
                "amount": "-0.10",
                "offerId": str(n),
                "occurredAt": iso(start + timedelta(minutes=n)),
            },
        )

    stats = billing_import(account=linked_account)

    assert stats.requests == 2
    assert stats.entries_created == 130


def test_fees_and_margin_of_an_order(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    (form_id,) = sold(allegro, linked_account, count=1)
    control(allegro, "/billing/commission-refunds", {"orderId": form_id})
    posted(allegro)
    billing_import(account=linked_account)
    form = AllegroCheckoutForm.objects.get(form_id=form_id)
    order = form.order
    assert order is not None
    entries = list(AllegroBillingEntry.objects.filter(form=form))
    commission = sum(-e.amount for e in entries if e.type_id == "SUC")
    delivery = sum(-e.amount for e in entries if e.group == "delivery")

    fees = order_fees(form=form)

    assert fees.by_group["commission"] == Decimal("0.00")  # charged, then refunded
    assert commission > 0
    assert fees.by_group["delivery"] == delivery
    assert fees.total == delivery
    assert fees.paid == order.paid_amount - order.refunded_amount
    assert fees.purchase_cost is None and fees.margin is None  # no product on the line

    line = form.items.get()
    product = ProductFactory(purchase_price=Decimal("12.34"))
    item = line.order_item
    item.product = product
    item.save()
    order.refunded_amount = Decimal("5.00")
    order.save()

    fees = order_fees(form=AllegroCheckoutForm.objects.get(pk=form.pk))

    cost = Decimal("12.34") * line.quantity
    assert fees.purchase_cost == cost
    assert fees.margin == order.paid_amount - Decimal("5.00") - delivery - cost


def test_totals_per_day_and_month_and_unmatched(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    sold(allegro, linked_account, count=2)
    control(allegro, "/billing/entries", {"type": "CPF", "amount": "-1.00", "offerId": "9"})
    posted(allegro)
    billing_import(account=linked_account)
    today = timezone.localdate()
    total_fees = -sum(e.amount for e in AllegroBillingEntry.objects.all())

    days = fees_per_period(
        account=linked_account, start=today - timedelta(days=6), end=today, period="day"
    )
    months = fees_per_period(account=linked_account, start=today, end=today, period="month")

    assert len(days) == 7
    assert days[-1].start == today and days[-1].total == total_fees
    assert sum(d.total for d in days[:-1]) == 0
    assert [m.start for m in months] == [today.replace(day=1)]
    assert months[0].total == total_fees
    assert days[-1].by_group["other"] == Decimal("1.00")
    unmatched = list(unmatched_entries(account=linked_account, start=today, end=today))
    assert [e.type_id for e in unmatched] == ["CPF"]


def test_csv_export_opens_in_polish_excel(allegro, linked_account, site_client) -> None:  # type: ignore[no-untyped-def]
    (form_id,) = sold(allegro, linked_account, count=1)
    billing_import(account=linked_account)
    entry = AllegroBillingEntry.objects.filter(type_id="SUC").get()

    response = site_client.get("/backend/allegro/settlements/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    lines = text[1:].split("\r\n")
    assert lines[0] == (
        "Data;Rodzaj operacji;Grupa;Kwota;Waluta;VAT %;Oferta;Tytuł oferty;"
        "Zamówienie Allegro;Zamówienie w sklepie"
    )
    row = next(line for line in lines if form_id in line and "Prowizja" in line).split(";")
    assert row[1] == "Prowizja od sprzedaży"
    assert row[2] == "Prowizje"
    assert row[3] == f"{entry.amount:.2f}".replace(".", ",")
    assert row[3].startswith("-") and "," in row[3]
    assert row[5] == "23,00"
    assert row[9] == entry.form.order.number
    assert billing_csv([]) == BOM + lines[0] + "\r\n"


def test_settlements_page_renders(allegro, linked_account, site_client) -> None:  # type: ignore[no-untyped-def]
    sold(allegro, linked_account, count=1)
    billing_import(account=linked_account)

    page = site_client.get("/backend/allegro/settlements/?period=month")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="chart-fees"' in html and "Prowizje" in html and "SUC" not in html


def test_a_window_past_the_offset_cap_is_split(allegro, linked_account) -> None:  # type: ignore[no-untyped-def]
    """Allegro refuses offset > 10 000 (#12716): the import narrows the window instead."""
    seller = allegro.demo_seller
    state = billing_of(allegro.world)
    start = timezone.now() - timedelta(days=3)
    total = 10_150
    for n in range(total):
        state.add(
            seller.id, "LIS", Decimal("-0.01"), start + timedelta(seconds=n), lag=timedelta(0)
        )

    stats = billing_import(account=linked_account)

    assert stats.entries_created == AllegroBillingEntry.objects.count() == total
    # 101 full pages up to the cap, then one page of the older rest (from the oldest seen).
    assert stats.requests == 101 + 1


@pytest.mark.parametrize(
    ("payload", "group"),
    [
        ({"type": {"id": "SUC"}, "order": {"id": "x"}}, "commission"),
        ({"type": {"id": "REF"}, "order": {"id": "x"}}, "commission"),
        ({"type": {"id": "REF"}}, "other"),
        ({"type": {"id": "NEW", "group": {"id": "delivery-services"}}}, "delivery"),
        ({"type": {"id": "HB4"}}, "delivery"),
        ({"type": {"id": "FEA"}}, "promotion"),
        ({"type": {"id": "LIS"}}, "other"),
        ({}, "other"),
    ],
)
def test_fee_groups(payload: dict[str, Any], group: str) -> None:
    assert fee_group(BillingEntry.model_validate(payload)).value == group
