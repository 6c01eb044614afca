"""The start page: today's boxes (to ship, attention, sold out), the relink banner, the chart."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fake_allegro import Emulator
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroOffer,
    FulfillmentStatus,
    LinkStatus,
    OfferStatus,
    OfferSync,
)
from shop.allegro.orders.services.importer import orders_import
from shop.backoffice.chart import Series, nice_ceiling, stacked_bars
from shop.backoffice.dashboard import attention_cards, orders_chart
from shop.orders.models import Channel, Order, OrderStatus
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(allegro: Emulator, linked_account: AllegroAccount):  # type: ignore[no-untyped-def]
    """Purchases made on the emulator and imported, as the schedule would."""

    def make(count: int) -> list[AllegroCheckoutForm]:
        with allegro.http_client() as http:
            response = http.post("/_emulator/purchases", json={"synthetic": True, "count": count})
        assert response.status_code == 201, response.text
        orders_import(account=linked_account, sweep=False)
        ids = response.json()["checkoutFormIds"]
        return list(AllegroCheckoutForm.objects.filter(form_id__in=ids).select_related("order"))

    return make


def _set_deadline(form: AllegroCheckoutForm, when: datetime) -> None:
    form.raw["delivery"]["time"]["dispatch"]["to"] = when.isoformat().replace("+00:00", "Z")
    AllegroCheckoutForm.objects.filter(pk=form.pk).update(raw=form.raw)


def _sold_out_offer(account: AllegroAccount, name: str) -> AllegroOffer:
    offer = AllegroOffer.objects.create(
        account=account, allegro_id=name[-6:], name=name, status=OfferStatus.ENDED
    )
    OfferSync.objects.create(offer=offer, ended_by_sync=True)
    return offer


def test_boxes_show_what_needs_doing_with_links_to_the_filtered_lists(  # type: ignore[no-untyped-def]
    site_client, imported, linked_account
):
    forms = imported(3)
    sent, late, later = forms
    AllegroCheckoutForm.objects.filter(pk=sent.pk).update(fulfillment_status=FulfillmentStatus.SENT)
    now = timezone.now()
    _set_deadline(late, now - timedelta(hours=2))
    _set_deadline(later, now + timedelta(days=2))
    Order.objects.update(needs_attention=False)  # the emulator's items have no shop product
    Order.objects.filter(pk=later.order.pk).update(
        needs_attention=True, attention_reason="Brak produktu dla oferty"
    )
    ended = _sold_out_offer(linked_account, "Kubek ceramiczny 300001")
    AllegroOffer.objects.create(  # ended by hand: not the sync's business
        account=linked_account, allegro_id="300002", name="Ręcznie", status=OfferStatus.ENDED
    )

    cards = {card.key: card for card in attention_cards()}
    to_ship = cards["card-to-ship"]
    assert to_ship.count == 2
    assert [row.url for row in to_ship.rows] == [
        reverse("allegro:order_detail", args=[late.pk]),
        reverse("allegro:order_detail", args=[later.pk]),
    ]  # the nearest deadline first
    assert [row.late for row in to_ship.rows] == [True, False]
    local = timezone.localtime(now + timedelta(days=2))
    assert to_ship.rows[1].note == f"wyślij do {local:%d.%m %H:%M}"
    assert cards["card-attention"].count == 1
    assert cards["card-attention"].rows[0].note == "Brak produktu dla oferty"
    assert cards["card-sold-out"].count == 1
    assert cards["card-sold-out"].rows[0].label == ended.name

    html = site_client.get("/backend/").content.decode()
    assert 'href="/backend/allegro/orders/?to_ship=1"' in html
    assert 'href="/backend/allegro/offers/?sold_out=1"' in html
    assert 'href="/backend/orders/order/?needs_attention__exact=1"' in html
    assert "dashboard-relink" not in html

    # The links lead to lists filtered the same way.
    listed = site_client.get(reverse("allegro:orders"), {"to_ship": "1"}).content.decode()
    assert late.form_id in listed and later.form_id in listed
    assert sent.form_id not in listed
    offers = site_client.get(reverse("allegro:offers"), {"sold_out": "1"}).content.decode()
    assert ended.name in offers
    assert "Ręcznie" not in offers


def test_relink_banner_names_the_account(site_client, linked_account):  # type: ignore[no-untyped-def]
    AllegroAccount.objects.filter(pk=linked_account.pk).update(
        status=LinkStatus.RELINK_REQUIRED, relink_reason="Allegro odrzuciło token."
    )
    html = site_client.get("/backend/").content.decode()
    assert 'id="dashboard-relink"' in html
    assert linked_account.login in html
    assert "Połącz ponownie" in html
    assert "Allegro odrzuciło token." in html


def test_the_start_page_costs_the_same_queries_for_3_or_30_orders(  # type: ignore[no-untyped-def]
    site_client, imported, linked_account, django_assert_max_num_queries
):
    imported(3)
    _sold_out_offer(linked_account, "Oferta 400001")
    with django_assert_max_num_queries(30) as few:
        assert site_client.get("/backend/").status_code == 200
    imported(30)
    for n in range(10):
        _sold_out_offer(linked_account, f"Oferta 40010{n}")
        OrderFactory(channel=Channel.SHOP, total=Decimal("10.00"), needs_attention=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert site_client.get("/backend/").status_code == 200


def test_chart_counts_orders_and_revenue_per_day_and_channel():
    today = timezone.localdate()
    noon = timezone.make_aware(datetime.combine(today, datetime.min.time())) + timedelta(hours=12)
    OrderFactory(channel=Channel.SHOP, total=Decimal("100.00"), placed_at=noon)
    OrderFactory(channel=Channel.ALLEGRO, total=Decimal("50.00"), placed_at=noon)
    OrderFactory(channel=Channel.ALLEGRO, total=Decimal("25.00"), placed_at=noon)
    OrderFactory(  # cancelled: left out
        channel=Channel.ALLEGRO,
        total=Decimal("999.00"),
        placed_at=noon,
        status=OrderStatus.CANCELLED,
    )
    OrderFactory(  # three days ago
        channel=Channel.SHOP, total=Decimal("10.00"), placed_at=noon - timedelta(days=3)
    )
    OrderFactory(  # 31 days ago: outside the window
        channel=Channel.SHOP, total=Decimal("10.00"), placed_at=noon - timedelta(days=31)
    )
    with CaptureQueriesContext(connection) as queries:
        chart = orders_chart(today)
    assert len(queries.captured_queries) == 1
    legend = {s.key: s for s in chart["legend"]}  # type: ignore[union-attr]
    assert legend["shop"].values[-1] == 1 and legend["allegro"].values[-1] == 2
    assert legend["shop"].values[-4] == 1
    assert sum(legend["shop"].values) == 2 and sum(legend["allegro"].values) == 2
    revenue = chart["revenue"]
    titles = sorted(bar.title for bar in revenue.bars)  # type: ignore[union-attr]
    assert f"{today:%d.%m} · Allegro: 75 zł" in titles
    assert f"{today:%d.%m} · sklep: 100 zł" in titles
    assert len(titles) == 3


def test_stacked_bars_scale_to_a_round_top_and_stack_the_series():
    assert [nice_ceiling(Decimal(v)) for v in ("0", "3", "7", "10", "11", "240")] == [
        1, 5, 10, 10, 20, 500
    ]  # fmt: skip
    days = [date(2026, 12, 6), date(2026, 12, 7)]
    chart = stacked_bars(
        days,
        [
            Series("a", "A", "#000", [Decimal(3), Decimal(0)]),
            Series("b", "B", "#fff", [Decimal(2), Decimal(5)]),
        ],
    )
    first_a, first_b, second_b = chart.bars
    assert first_b.y + first_b.height == pytest.approx(first_a.y)  # b stacked on top of a
    assert first_a.height + first_b.height == pytest.approx(second_b.height)  # 5 == 3 + 2
    assert chart.grid[-1].label == "5"
    assert [t.label for t in chart.days] == ["07.12"]
