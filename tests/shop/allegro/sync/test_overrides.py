# mypy: allow-untyped-defs
"""A merchant's edit of a live linked offer sticks: the sync sends it, not the product's value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fake_allegro.faults import Fault
from shop.allegro.models import AllegroOffer, OfferStatus
from shop.allegro.models.sync import OfferSync, SyncCommand
from shop.allegro.sync.rules import (
    OverrideEdit,
    PriceRule,
    override_edit,
    price_target,
    quantity_compute,
)
from shop.allegro.sync.services.push import stock_sync_flush
from tests.shop.allegro.sync.offer_edits import product_change

# Committed transactions: the publication and the flush run (eagerly) when the request's
# transaction commits, as in production, so the page can say what Allegro did.
pytestmark = pytest.mark.django_db(transaction=True)


def edit_form_data(site_client, offer: AllegroOffer, **changes: str) -> dict[str, object]:
    """The offer form as the page shows it, with ``changes`` typed in."""
    page = site_client.get(reverse("allegro:offer_edit", args=[offer.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, [], False):
            continue
        data[name] = value
    data.update(changes)
    return data


def save(site_client, offer: AllegroOffer, **changes: str) -> list[str]:
    data = edit_form_data(site_client, offer, **changes)
    response = site_client.post(reverse("allegro:offer_edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_rules_prefer_the_merchants_values_but_never_oversell():
    rule = PriceRule(markup=Decimal("1.10"))
    assert price_target(Decimal("100.00"), rule) == Decimal("110.00")
    assert price_target(Decimal("100.00"), rule, Decimal("99.00")) == Decimal("99.00")
    assert quantity_compute(10, 2) == 8
    assert quantity_compute(10, 2, 5) == 5
    assert quantity_compute(10, 2, 50) == 8  # more than the shop has would oversell


@pytest.mark.parametrize(
    ("linked_live", "price", "quantity", "expected"),
    [
        (True, "59.00", 4, OverrideEdit(price=Decimal("59.00"))),
        (True, "50.00", 3, OverrideEdit(quantity=3)),
        (True, "50.00", 4, OverrideEdit()),
        (False, "59.00", 9, OverrideEdit()),  # a draft or an offer that follows no product
    ],
)
def test_only_a_changed_value_of_a_live_linked_offer_becomes_an_override(
    linked_live, price, quantity, expected
):
    edit = override_edit(
        linked_live=linked_live,
        buy_now=True,
        shown_price=Decimal("50.00"),
        shown_quantity=4,
        price=Decimal(price),
        quantity=quantity,
    )
    assert edit == expected


def test_price_edit_becomes_an_override_that_ten_sync_rounds_keep(
    allegro, site_client, synced_offer_factory, linked_account
):
    product, mirror, remote = synced_offer_factory(stock=10, price="50.00")
    shown = edit_form_data(site_client, mirror)
    assert shown["price"] == Decimal("50.00") and shown["quantity"] == 10

    said = save(site_client, mirror, price="59.00")
    assert "Zaktualizowano ofertę na Allegro." in said
    assert "Zapisano szkic oferty." not in said
    assert any("59,00 zł jest odtąd ustawiona ręcznie" in m for m in said), said
    assert remote.price == "59.00"
    sync = OfferSync.objects.get(offer=mirror)
    assert sync.price_override == Decimal("59.00") and sync.quantity_override is None
    # The edit is known to be on Allegro: the sync has nothing to resend.
    assert sync.pushed_price == Decimal("59.00")
    mirror.refresh_from_db()
    assert mirror.status == OfferStatus.ACTIVE

    prices_sent = SyncCommand.objects.filter(kind="price").count()
    for round_ in range(1, 11):
        product_change(product, stock_delta=1 if round_ % 2 else -2, price=f"{60 + round_}.00")
        stock_sync_flush(account_id=linked_account.pk, debounce=False)
        assert remote.price == "59.00", round_
        assert remote.available == product.stock, round_
    assert SyncCommand.objects.filter(kind="price").count() == prices_sent

    page = site_client.get(reverse("allegro:offer_edit", args=[mirror.pk])).content.decode()
    assert "ustawione ręcznie (nadpisanie): 59,00 zł" in page
    assert f"stan produktu minus rezerwa: {product.stock}" in page
    listing = site_client.get(reverse("allegro:offers")).content.decode()
    assert listing.count('class="bo-badge bo-badge-warn offer-override"') == 1

    response = site_client.post(reverse("allegro:offer_sync_restore", args=[mirror.pk]))
    assert response.status_code == 302
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.price == str(product.price)
    assert OfferSync.objects.get(offer=mirror).overridden is False
    page = site_client.get(reverse("allegro:offer_edit", args=[mirror.pk])).content.decode()
    assert "z produktu wg reguły cenowej: 70,00 zł" in page


def test_quantity_override_holds_below_stock_and_is_capped_by_it(
    allegro, site_client, synced_offer_factory, linked_account
):
    product, mirror, remote = synced_offer_factory(stock=10, price="50.00")
    said = save(site_client, mirror, quantity="4")
    assert "Zaktualizowano ofertę na Allegro." in said
    assert remote.available == 4
    assert OfferSync.objects.get(offer=mirror).quantity_override == 4

    product_change(product, stock_delta=5, price="52.00")
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 4  # the merchant's 4, though the shop has 15
    assert remote.price == "52.00"  # the price still follows the product

    product_change(product, stock_delta=-13, price="52.00")
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 2  # never more than the shop has


def test_a_quantity_above_the_stock_is_refused(allegro, site_client, synced_offer_factory):
    _product, mirror, remote = synced_offer_factory(stock=10, price="50.00")
    data = edit_form_data(site_client, mirror, quantity="25")
    response = site_client.post(reverse("allegro:offer_edit", args=[mirror.pk]), data)
    assert response.status_code == 200
    assert "tylko 10 szt." in str(response.context["form"].errors["quantity"])
    assert remote.available == 10
    overrides = OfferSync.objects.filter(offer=mirror).exclude(
        price_override__isnull=True, quantity_override__isnull=True
    )
    assert not overrides.exists()


def test_a_refused_edit_says_allegros_message_and_keeps_the_offer_live(
    allegro, site_client, synced_offer_factory
):
    _product, mirror, remote = synced_offer_factory(stock=10, price="50.00")
    data = edit_form_data(site_client, mirror, price="61.00")
    allegro.faults.add(
        Fault(id="refuse", path_regex="^/sale/product-offers/", method="PATCH", status=422)
    )
    response = site_client.post(reverse("allegro:offer_edit", args=[mirror.pk]), data)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        m.startswith("Allegro nie przyjęło zmian:") and "Spróbuj ponownie" in m for m in said
    ), said
    assert "Zaktualizowano ofertę na Allegro." not in said
    assert remote.price == "50.00"
    mirror.refresh_from_db()
    assert mirror.status == OfferStatus.ACTIVE


def test_an_inactive_offer_keeps_the_draft_message_and_gets_no_override(
    allegro, site_client, synced_offer_factory
):
    _product, mirror, remote = synced_offer_factory(stock=10, price="50.00")
    remote.status = "INACTIVE"
    AllegroOffer.objects.filter(pk=mirror.pk).update(status=OfferStatus.INACTIVE)
    mirror.refresh_from_db()
    said = save(site_client, mirror, price="45.00")
    assert said == ["Zapisano szkic oferty."]
    assert remote.price == "45.00" and remote.status == "INACTIVE"
    assert not OfferSync.objects.filter(offer=mirror).exclude(price_override=None).exists()
    page = site_client.get(reverse("allegro:offer_edit", args=[mirror.pk])).content.decode()
    assert "Zmiana ceny lub liczby sztuk w tym formularzu" not in page


def test_the_status_poll_says_when_allegro_has_taken_the_edit(
    allegro, site_client, synced_offer_factory
):
    _product, mirror, _remote = synced_offer_factory(stock=10, price="50.00")
    url = reverse("allegro:offer_status", args=[mirror.pk])
    AllegroOffer.objects.filter(pk=mirror.pk).update(status=OfferStatus.PUBLISHING)
    polling = site_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Allegro przetwarza ofertę" in polling and "offer-finished" not in polling
    AllegroOffer.objects.filter(pk=mirror.pk).update(status=OfferStatus.ACTIVE)
    done = site_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Allegro przyjęło zmiany." in done
