"""rows_insert and ids_reserve: keys from the table's sequence, rows by COPY (PostgreSQL) or
executemany (SQLite); the same rows as the ORM would write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from shop.allegro.models import AllegroAccount, AllegroCheckoutForm
from shop.catalog.models import StockMovement, StockReason
from shop.core import bulk
from shop.core.bulk import ids_reserve, rows_insert
from shop.orders.models import Address
from tests.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(
    autouse=True,
    params=["default", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs on the suite's database and again in the PostgreSQL pass, with even one
    row going the bulk way (COPY or executemany) rather than through bulk_create."""
    monkeypatch.setattr(bulk, "SMALL_BATCH", 0)
    if request.param == "postgresql":
        assert connection.vendor == "postgresql"


def test_rows_get_their_keys_defaults_and_timestamps():
    product = ProductFactory()
    order = OrderFactory()
    movements = [
        StockMovement(product=product, delta=-1, level_after=9, reason=StockReason.ORDER),
        StockMovement(
            product=product, delta=5, level_after=14, reason=StockReason.DELIVERY, order=order
        ),
    ]
    rows_insert(StockMovement, movements)

    assert all(m.pk and not m._state.adding for m in movements)
    stored = {m.pk: m for m in StockMovement.objects.filter(pk__in=[m.pk for m in movements])}
    assert [(stored[m.pk].delta, stored[m.pk].order_id) for m in movements] == [
        (-1, None),
        (5, order.pk),
    ]
    assert all(stored[m.pk].created_at == m.created_at is not None for m in movements)


def test_json_encrypted_and_decimal_fields_go_through_their_field():
    account = AllegroAccount(login="sprzedawca", client_id="id", client_secret="tajne-hasło")
    rows_insert(AllegroAccount, [account])
    assert AllegroAccount.objects.get(pk=account.pk).client_secret == "tajne-hasło"
    with connection.cursor() as cursor:
        table = AllegroAccount._meta.db_table
        query = f"SELECT client_secret FROM {table} WHERE id = %s"  # noqa: S608 - our table
        cursor.execute(query, [account.pk])
        (ciphertext,) = cursor.fetchone()
    assert "tajne" not in ciphertext  # stored encrypted, as save() would

    payload = {"id": "f-1", "buyer": {"login": "zażółć", "note": 'a "quoted"\ttab\\'}, "n": None}
    form = AllegroCheckoutForm(
        account=account, form_id="f-1", raw=payload, total=Decimal("123.45"), order=OrderFactory()
    )
    rows_insert(AllegroCheckoutForm, [form])
    stored_form = AllegroCheckoutForm.objects.get(pk=form.pk)
    assert stored_form.raw == payload
    assert stored_form.total == Decimal("123.45")
    assert stored_form.merchant_fields == []


def test_reserved_keys_are_never_handed_out_again():
    before = Address.objects.create(city="Kraków")
    first = ids_reserve(Address, 3)
    assert first == list(range(first[0], first[0] + 3))
    assert first[0] > before.pk
    rows = [Address(pk=first[1], city="Poznań"), Address(city="Łódź"), Address(city="Opole")]
    rows_insert(Address, rows)
    assert rows[0].pk == first[1]
    assert rows[1].pk > first[-1] and rows[2].pk > rows[1].pk
    # Neither the ORM's next insert nor the next reservation collides with what was reserved.
    later = Address.objects.create(city="Toruń")
    assert later.pk > rows[2].pk
    assert ids_reserve(Address, 1)[0] > later.pk
    assert ids_reserve(Address, 0) == []
    assert sorted(Address.objects.values_list("city", flat=True)) == sorted(
        ["Kraków", "Poznań", "Łódź", "Opole", "Toruń"]
    )


def test_the_first_reservation_of_an_empty_table_starts_its_sequence():
    assert not Address.objects.exists()
    (reserved,) = ids_reserve(Address, 1)
    rows_insert(Address, [Address(city="Gdańsk")])
    assert Address.objects.get().pk > reserved


def test_a_handful_of_rows_goes_in_one_insert(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries
) -> None:
    monkeypatch.setattr(bulk, "SMALL_BATCH", 20)
    rows = [Address(city="Kraków"), Address(city="Gdańsk")]
    with django_assert_num_queries(1):  # one INSERT … RETURNING, no key reservation
        rows_insert(Address, rows)
    assert all(r.pk for r in rows) and not any(r._state.adding for r in rows)
    stored = dict(Address.objects.values_list("pk", "city"))
    assert [stored[r.pk] for r in rows] == ["Kraków", "Gdańsk"]

    product = ProductFactory()
    movement = StockMovement(product=product, delta=2, level_after=2, reason=StockReason.DELIVERY)
    rows_insert(StockMovement, [movement])
    assert StockMovement.objects.get(pk=movement.pk).created_at == movement.created_at is not None

    keyed = Address(pk=max(stored) + 100, city="Sopot")
    rows_insert(Address, [keyed, Address(city="Puck")])  # some keys given: Django's own insert
    assert Address.objects.get(pk=keyed.pk).city == "Sopot"
    assert Address.objects.filter(city="Puck").exists()
