"""The one way every channel creates shop orders: many at once, in a constant number of queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shop.orders.drafts import AddressDraft, ItemDraft, OrderDraft
from shop.orders.models import Address, Channel, Order, OrderEvent, OrderItem, OrderStatus
from shop.orders.services.orders import InvalidDraft, orders_create_many
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PLACED = datetime(2026, 9, 18, 12, 0, tzinfo=UTC)


def drafts(count: int, product=None) -> list[OrderDraft]:  # type: ignore[no-untyped-def]
    return [
        OrderDraft(
            external_id=f"ext-{i}",
            placed_at=PLACED,
            customer_name=f"Klient {i}",
            delivery_cost=Decimal("9.99"),
            shipping_address=AddressDraft(first_name="Ola", city="Łódź", postal_code="90-001"),
            billing_address=AddressDraft(company_name="Firma sp. z o.o.", city="Kraków"),
            items=[
                ItemDraft(name="Kubek", quantity=2, unit_price=Decimal("10.50"), product=product),
                ItemDraft(name="Talerz", quantity=1, unit_price=Decimal("4.00"), external_id="L1"),
            ],
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [3, 40, 150])
def test_creates_orders_with_items_addresses_events_and_numbers(  # type: ignore[no-untyped-def]
    count, django_assert_max_num_queries
):
    product = ProductFactory(sku="KUB-1", ean="5901234123457")
    batch = drafts(count, product)
    # Addresses, order keys, orders, items, events: a few statements each, however many orders
    # (reserving keys takes a second statement the first time a table gets rows).
    with django_assert_max_num_queries(12):
        created = orders_create_many(channel=Channel.ALLEGRO, drafts=batch, note="import")
    assert len(created) == count
    orders = list(Order.objects.filter(channel=Channel.ALLEGRO).order_by("id"))
    assert [o.external_id for o in orders] == [f"ext-{i}" for i in range(count)]
    assert [o.number for o in orders] == [f"A/2026/{o.pk:06d}" for o in orders]
    first = orders[0]
    assert first.items_total == Decimal("25.00") and first.total == Decimal("34.99")
    assert first.shipping_address is not None and first.shipping_address.city == "Łódź"
    assert first.billing_address is not None and first.billing_address.company_name
    assert Address.objects.count() == 2 * count
    items = list(first.items.order_by("id"))
    assert [(i.name, i.sku, i.ean, i.quantity, i.external_id) for i in items] == [
        ("Kubek", "KUB-1", "5901234123457", 2, ""),
        ("Talerz", "", "", 1, "L1"),
    ]
    assert OrderItem.objects.count() == 2 * count
    assert [c.items[0].pk for c in created] == list(
        OrderItem.objects.filter(name="Kubek").order_by("id").values_list("pk", flat=True)
    )
    events = OrderEvent.objects.filter(order__in=orders)
    assert set(events.values_list("from_status", "to_status", "note")) == {
        ("", OrderStatus.NEW, "import")
    }
    assert events.count() == count


def test_given_totals_win_over_computed_ones():  # type: ignore[no-untyped-def]
    draft = replace(drafts(1)[0], total=Decimal("30.00"), items_total=Decimal("20.00"))
    order = orders_create_many(channel=Channel.SHOP, drafts=[draft])[0].order
    order.refresh_from_db()
    assert (order.items_total, order.total) == (Decimal("20.00"), Decimal("30.00"))
    assert order.number.startswith("S/2026/")


def test_invalid_drafts_are_refused_before_anything_is_written():  # type: ignore[no-untyped-def]
    good = drafts(1)[0]
    bad = OrderDraft(
        external_id="zly",
        status="lost",
        currency="ZŁOTY",
        placed_at=datetime(2026, 1, 1),
        items=[
            ItemDraft(name="", quantity=-1, unit_price=Decimal("NaN")),
            ItemDraft(name="x" * 300, quantity=1, unit_price=Decimal(1), sku="s" * 65),
        ],
        shipping_address=AddressDraft(country_code="POL"),
    )
    with pytest.raises(InvalidDraft) as excinfo:
        orders_create_many(channel=Channel.SHOP, drafts=[good, bad])
    message = str(excinfo.value)
    assert message.startswith("draft 1 (zly): ")
    for part in (
        "status: unknown 'lost'",
        "currency: not a 3-letter code",
        "placed_at: without a time zone",
        "items[0].name: empty",
        "items[0].quantity: negative",
        "items[0].unit_price: not a finite Decimal",
        "items[1].name: longer than 255 characters",
        "items[1].sku: longer than 64 characters",
        "shipping_address.country_code: longer than 2 characters",
    ):
        assert part in message
    assert not Order.objects.exists() and not Address.objects.exists()


def test_the_same_external_id_twice_in_a_batch_is_refused():  # type: ignore[no-untyped-def]
    twice = drafts(1) * 2
    with pytest.raises(InvalidDraft, match=r"draft 1 \(ext-0\): external_id: twice"):
        orders_create_many(channel=Channel.ALLEGRO, drafts=twice)
    with pytest.raises(InvalidDraft, match="unknown channel 'ebay'"):
        orders_create_many(channel="ebay", drafts=drafts(1))
    assert not Order.objects.exists()
