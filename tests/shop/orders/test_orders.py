from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.orders.drafts import AddressDraft, ItemDraft, OrderDraft
from shop.orders.models import Channel, Order, OrderEvent, OrderStatus
from shop.orders.services.orders import InvalidTransition, order_create, order_set_status
from shop.orders.signals import order_status_changed
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def make_order(**kwargs):  # type: ignore[no-untyped-def]
    product = ProductFactory(price=Decimal("19.99"))
    return order_create(
        channel=Channel.SHOP,
        draft=OrderDraft(
            items=[
                ItemDraft(name=product.name, quantity=3, unit_price=product.price, product=product),
                ItemDraft(name="Pozycja bez produktu", quantity=1, unit_price=Decimal("5.00")),
            ],
            delivery_cost=Decimal("12.50"),
            customer_name="Józef Łęcki",
            shipping_address=AddressDraft(first_name="Józef", last_name="Łęcki", city="Łódź"),
            invoice_nip="5260250274",
            **kwargs,
        ),
    )


def test_order_create_snapshots_items_and_computes_totals():
    order = make_order()
    assert order.number.startswith("S/")
    assert order.items_total == Decimal("64.97")
    assert order.total == Decimal("77.47")
    first = order.items.first()
    assert first is not None and first.sku.startswith("TEST-") and first.vat_rate == "23"
    assert order.shipping_address is not None and order.shipping_address.city == "Łódź"
    assert list(order.events.values_list("from_status", "to_status")) == [("", "new")]


def test_pipeline_allows_valid_transitions_and_records_each(staff_user):
    order = make_order()
    seen = []

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["to_status"])

    order_status_changed.connect(receiver)
    try:
        for status in ("processing", "ready_for_shipment", "sent", "delivered"):
            order_set_status(order=order, status=status, user=staff_user)
    finally:
        order_status_changed.disconnect(receiver)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    events = list(OrderEvent.objects.filter(order=order).values_list("from_status", "to_status"))
    assert events[1:] == [
        ("new", "processing"),
        ("processing", "ready_for_shipment"),
        ("ready_for_shipment", "sent"),
        ("sent", "delivered"),
    ]
    assert OrderEvent.objects.filter(order=order, user=staff_user).count() == 4
    assert seen == ["processing", "ready_for_shipment", "sent", "delivered"]


@pytest.mark.parametrize(
    ("start", "target"),
    [("new", "sent"), ("new", "delivered"), ("cancelled", "processing"), ("delivered", "new")],
)
def test_invalid_transition_raises_and_changes_nothing(start, target):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(status=start)
    order.refresh_from_db()
    with pytest.raises(InvalidTransition, match=order.number):
        order_set_status(order=order, status=target)
    assert Order.objects.get(pk=order.pk).status == start


def test_admin_offers_only_allowed_statuses_and_uses_the_pipeline(staff_client, staff_user):
    order = make_order()
    url = reverse("admin:orders_order_change", args=[order.pk])
    body = staff_client.get(url).content.decode()
    assert 'value="processing"' in body
    assert 'value="delivered"' not in body
    assert "Józef Łęcki" in body


def test_invalid_nip_is_a_field_error():
    from django.core.exceptions import ValidationError

    order = make_order()
    order.invoice_nip = "1234567890"
    with pytest.raises(ValidationError) as excinfo:
        order.full_clean()
    assert "invoice_nip" in excinfo.value.message_dict


def test_order_list_and_change_page_render(staff_client, django_assert_max_num_queries):
    for _ in range(5):
        make_order()
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("admin:orders_order_changelist"))
    assert response.status_code == 200
    assert "Józef Łęcki" in response.content.decode()


def test_status_change_in_admin_goes_through_the_pipeline_and_the_audit_log(
    staff_client, staff_user
):
    from shop.core.models import AuditLogEntry

    order = make_order()
    url = reverse("admin:orders_order_change", args=[order.pk])
    response = staff_client.get(url)
    form = response.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        {
            "status": "processing",
            "internal_note": "Pakować ostrożnie",
            "placed_at_0": order.placed_at.strftime("%Y-%m-%d"),
            "placed_at_1": order.placed_at.strftime("%H:%M:%S"),
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "charges-TOTAL_FORMS": "0",
            "charges-INITIAL_FORMS": "0",
            "invoice_flags": "[]",
        }
    )
    data.pop("placed_at", None)
    for key in ("invoice_required", "needs_attention", "delivery_free_by_programme"):
        if not data.get(key):
            data.pop(key, None)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.status == "processing"
    assert order.events.filter(to_status="processing", user=staff_user).exists()
    entry = AuditLogEntry.objects.get(action="admin.change", object_id=str(order.pk))
    assert "internal_note" in entry.changes["fields"] or "Notatki wewnętrzne" in str(entry.changes)
