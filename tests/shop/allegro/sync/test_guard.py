# mypy: allow-untyped-defs
"""The guard: automatic writes the merchant would not sign wait on "Wstrzymane zmiany"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shop.allegro.models import LinkSource
from shop.allegro.models.sync import (
    HeldChange,
    HeldField,
    HeldReason,
    HeldResolution,
    OfferSync,
)
from shop.allegro.offers.services.links import offer_product_link
from shop.allegro.sync.services.push import offers_mark, stock_sync_flush
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import stock_adjust

pytestmark = pytest.mark.django_db

HELD_URL = "/backend/allegro/held-changes/"
RESOLVE_URL = "/backend/allegro/held-changes/resolve/"


def puts(allegro: Any, kind: str) -> list[dict[str, Any]]:
    return [
        e
        for e in allegro.requests.entries()
        if f"offer-{kind}-commands" in e["path"] and e["method"] == "PUT"
    ]


def price_set(product: Product, amount: str, account_id: int) -> None:
    product.price = Decimal(amount)
    product.save()
    offers_mark(product_ids=[product.pk])
    stock_sync_flush(account_id=account_id, debounce=False)


def resolve(client, rows: list[HeldChange], action: str, capture) -> Any:
    data: dict[str, Any] = {"action": action, "row": [str(r.pk) for r in rows]}
    for row in rows:
        data[f"proposed_{row.pk}"] = str(row.proposed)
    with capture(execute=True):
        return client.post(RESOLVE_URL, data)


def test_a_price_cut_is_held_and_sent_once_after_acceptance(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    product, mirror, remote = synced_offer_factory(stock=3, price="100.00")
    price_set(product, "1.00", linked_account.pk)  # a typo: 99 % off

    assert remote.price == "100.00"
    assert puts(allegro, "price-change") == []
    held = HeldChange.objects.get()
    assert (held.offer_id, held.field, held.reason) == (
        mirror.pk,
        HeldField.PRICE,
        HeldReason.PRICE_JUMP,
    )
    assert (held.current, held.proposed, held.change_percent) == (
        Decimal("100.00"),
        Decimal("1.00"),
        Decimal("-99.0"),
    )
    page = site_client.get(HELD_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "zmiana ceny powyżej progu" in html and "-99,0%" in html

    response = resolve(site_client, [held], "accept", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert remote.price == "1.00"
    assert len(puts(allegro, "price-change")) == 1
    held.refresh_from_db()
    assert held.resolution == HeldResolution.ACCEPTED and held.resolved_by is not None
    # Later flushes of the offer do not send it again, nor ask again.
    offers_mark(product_ids=[product.pk])
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert len(puts(allegro, "price-change")) == 1
    assert not HeldChange.objects.filter(resolved_at__isnull=True).exists()


def test_a_change_under_the_threshold_goes_through_untouched(
    allegro, synced_offer_factory, linked_account
):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    price_set(product, "60.00", linked_account.pk)  # +20 %
    assert remote.price == "60.00"
    assert len(puts(allegro, "price-change")) == 1
    assert not HeldChange.objects.exists()


def test_a_price_below_the_purchase_price_is_held(allegro, synced_offer_factory, linked_account):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    product.purchase_price = Decimal("48.00")
    price_set(product, "45.00", linked_account.pk)  # −10 %: small, but a loss
    assert remote.price == "50.00"
    assert HeldChange.objects.get().reason == HeldReason.BELOW_PURCHASE


def test_one_open_change_per_field_follows_the_target_and_goes_when_it_returns(
    allegro, synced_offer_factory, linked_account
):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    price_set(product, "10.00", linked_account.pk)
    price_set(product, "12.00", linked_account.pk)
    held = HeldChange.objects.get()
    assert held.proposed == Decimal("12.00")
    price_set(product, "50.00", linked_account.pk)
    assert not HeldChange.objects.exists()
    assert puts(allegro, "price-change") == []
    assert remote.price == "50.00"


def test_a_rejected_change_keeps_allegros_value_until_the_target_moves(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    price_set(product, "10.00", linked_account.pk)
    resolve(site_client, [HeldChange.objects.get()], "reject", django_capture_on_commit_callbacks)
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)  # marks the offer again
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 2
    assert remote.price == "50.00"
    assert puts(allegro, "price-change") == []
    assert not HeldChange.objects.filter(resolved_at__isnull=True).exists()
    price_set(product, "11.00", linked_account.pk)
    assert HeldChange.objects.get(resolved_at__isnull=True).proposed == Decimal("11.00")


def test_a_quantity_jump_is_held_but_a_sale_never_is(allegro, synced_offer_factory, linked_account):
    product, _mirror, remote = synced_offer_factory(stock=2)
    stock_adjust(product=product, delta=500, reason=StockReason.DELIVERY)  # 2 → 502: a typo?
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 2
    assert puts(allegro, "quantity-change") == []
    held = HeldChange.objects.get()
    assert (held.field, held.reason, held.proposed) == (
        HeldField.QUANTITY,
        HeldReason.QUANTITY_JUMP,
        Decimal(502),
    )
    stock_adjust(product=product, delta=-501, reason=StockReason.CORRECTION)  # 1: a sale's worth
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 1
    assert not HeldChange.objects.exists()


def test_the_first_sync_after_a_link_waits_for_acceptance(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    product, mirror, remote = synced_offer_factory(stock=10, offer_stock=4, accepted=False)
    other = Product.objects.create(name="Inny", sku="OTHER-1", price=Decimal("50.00"), stock=1)
    offer_product_link(offer=mirror, product=other, source=LinkSource.MANUAL)  # linked just now
    stock_adjust(product=other, delta=5, reason=StockReason.DELIVERY)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    # 4 → 6 is small, but nothing goes out before the merchant has seen the new link's effect.
    assert remote.available == 4
    assert puts(allegro, "quantity-change") == []
    held = HeldChange.objects.get()
    assert (held.reason, held.current, held.proposed) == (
        HeldReason.FIRST_SYNC,
        Decimal(4),
        Decimal(6),
    )
    assert "pierwsza synchronizacja po połączeniu" in site_client.get(HELD_URL).content.decode()

    resolve(site_client, [held], "accept", django_capture_on_commit_callbacks)
    assert remote.available == 6
    assert OfferSync.objects.get(offer=mirror).link_accepted_at is not None
    # Accepted: normal sync from now on.
    stock_adjust(product=other, delta=-1, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 5
    assert len(puts(allegro, "quantity-change")) == 2
    # Linked again later: a preview again.
    offer_product_link(offer=mirror, product=product, source=LinkSource.MANUAL)
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 5
    assert HeldChange.objects.get(resolved_at__isnull=True).reason == HeldReason.FIRST_SYNC


def test_an_offer_the_shop_published_from_the_product_is_not_previewed(
    allegro, synced_offer_factory, linked_account
):
    product, mirror, remote = synced_offer_factory(stock=5, accepted=False)
    mirror.link_source = LinkSource.OFFER_FORM
    mirror.save(update_fields=["link_source"])
    stock_adjust(product=product, delta=-1, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 4
    assert not HeldChange.objects.exists()


def test_a_value_changed_since_the_page_was_shown_is_not_accepted(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    product, _mirror, remote = synced_offer_factory(stock=3, price="50.00")
    price_set(product, "10.00", linked_account.pk)
    shown = HeldChange.objects.get()
    price_set(product, "9.00", linked_account.pk)  # the target moved after the page was read
    resolve(site_client, [shown], "accept", django_capture_on_commit_callbacks)
    assert remote.price == "50.00"
    assert HeldChange.objects.get().resolved_at is None
