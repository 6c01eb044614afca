# mypy: allow-untyped-defs
"""The offer import links an offer only on corroborated evidence; nothing else is pushed to."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from fake_allegro.sale import seed_products
from fake_allegro.sale.seed_sellers import DEMO_OFFERS
from fake_allegro.sale.state import Offer
from shop.allegro.models import AllegroOffer, LinkSource, OfferLinkStatus, OfferStatus
from shop.allegro.models.sync import HeldChange, SyncCommand, SyncSettings
from shop.allegro.offers.link_evidence import (
    EAN_DIFFERS,
    PRICE_DIFFERS,
    SEVERAL_OFFERS,
    TITLE_DIFFERS,
    OfferFacts,
    ProductFacts,
    link_judge,
    title_similarity,
)
from shop.allegro.offers.selectors import offers_to_review
from shop.allegro.offers.services.importer import offers_import
from shop.allegro.offers.services.links import LINK_ACTION
from shop.allegro.sync.services.held import held_changes_resolve
from shop.allegro.sync.services.push import offers_mark_all, stock_sync_flush
from shop.catalog.demo import demo_products
from shop.catalog.models import Product, StockReason
from shop.catalog.services.stock import stock_adjust
from shop.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def remote_offer(allegro, account, *, name: str, price: str, external: str, key: str) -> Offer:
    """An ACTIVE offer on the emulator sold as the seeded catalogue product ``key``."""
    state = allegro.world.sale
    template = next(
        o
        for o in state.seller_offers(account.seller_id)
        if o.status == "ACTIVE" and o.selling_format == "BUY_NOW"
    )
    now = state.now()
    product = state.products[seed_products.product_id(key)]
    offer = Offer(
        id=state.new_offer_id(),
        seller_id=account.seller_id,
        name=name,
        category_id=product.category_id,
        price=price,
        currency="PLN",
        available=4,
        stock_unit="UNIT",
        external_id=external,
        selling_format="BUY_NOW",
        status="ACTIVE",
        created_at=now,
        updated_at=now,
        started_at=now,
    )
    offer.data = copy.deepcopy(template.data)
    offer.data["productSet"] = [
        {"product": {"id": product.id, "parameters": []}, "quantity": {"value": 1}}
    ]
    offer.data["sellingMode"] = {"format": "BUY_NOW", "price": {"amount": price, "currency": "PLN"}}
    offer.data["external"] = {"id": external}
    state.offers[offer.id] = offer
    return offer


def pushes(allegro) -> list[dict[str, Any]]:
    """Every price or quantity command that reached the emulator."""
    return [
        e
        for e in allegro.requests.entries()
        if e["method"] == "PUT"
        and any(k in str(e["path"]) for k in ("offer-price-change", "offer-quantity-change"))
    ]


def gtin_of(allegro, key: str) -> str:
    return str(allegro.world.sale.products[seed_products.product_id(key)].gtin)


@pytest.fixture
def colliding(allegro, linked_account):
    """Two live offers whose sygnatura equals the SKU of an unrelated shop product."""
    SyncSettings.objects.create(account=linked_account, price_enabled=True)
    book = Product.objects.create(
        name="Solaris — Stanisław Lem",
        sku="KSI-9001",
        ean="9788308049488",
        price=Decimal("34.99"),
        stock=7,
    )
    mug = Product.objects.create(
        name="Kubek ceramiczny 300 ml", sku="KUB-9002", price=Decimal("24.99"), stock=5
    )
    phone = remote_offer(
        allegro,
        linked_account,
        name="Smartfon Samsung Galaxy S24 8 GB / 256 GB czarny",
        price="3499.00",
        external="KSI-9001",
        key="phone-2",
    )
    ring = remote_offer(
        allegro,
        linked_account,
        name="Pierścionek srebrny z perłą próba 925",
        price="149.00",
        external="KUB-9002",
        key="jewellery-2",
    )
    return {"book": book, "mug": mug, "phone": phone, "ring": ring}


def test_sygnatura_equal_to_unrelated_skus_links_nothing_and_pushes_nothing(
    allegro, linked_account, colliding, site_client, django_capture_on_commit_callbacks
):
    counts = offers_import(account=linked_account)
    assert (counts["linked"], counts["to_review"]) == (0, 2)
    phone = AllegroOffer.objects.get(allegro_id=colliding["phone"].id)
    ring = AllegroOffer.objects.get(allegro_id=colliding["ring"].id)
    assert (phone.product, phone.proposed_product) == (None, colliding["book"])
    assert (ring.product, ring.proposed_product) == (None, colliding["mug"])
    assert EAN_DIFFERS in phone.link_evidence["reasons"]
    assert PRICE_DIFFERS in phone.link_evidence["reasons"]
    assert phone.link_evidence["price_ratio"] == "100.00"
    # The mug has no EAN: its title and price are what would have to agree, and they do not.
    assert {TITLE_DIFFERS, PRICE_DIFFERS} <= set(ring.link_evidence["reasons"])

    # Every way the sync is woken: stock moves, a price change, a rule applied to all offers.
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=colliding["book"], delta=-2, reason=StockReason.CORRECTION)
        stock_adjust(product=colliding["mug"], delta=3, reason=StockReason.DELIVERY)
    colliding["book"].price = Decimal("29.99")
    with django_capture_on_commit_callbacks(execute=True):
        colliding["book"].save()
        offers_mark_all(account=linked_account)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert pushes(allegro) == []
    assert not SyncCommand.objects.exists()
    assert (colliding["phone"].price, colliding["phone"].available) == ("3499.00", 4)
    assert (colliding["ring"].price, colliding["ring"].available) == ("149.00", 4)

    # Both wait on the review page, offer beside product.
    assert set(offers_to_review(account=linked_account)) == {phone, ring}
    page = site_client.get(reverse("allegro:offer_review"))
    body = page.content.decode()
    assert f'data-offer="{phone.pk}"' in body and f'data-offer="{ring.pk}"' in body
    assert "3499,00 zł" in body and "29,99 zł" in body  # the offer and the book, side by side


def test_same_sku_and_ean_links_by_itself_and_is_pushed(
    allegro, linked_account, django_capture_on_commit_callbacks
):
    SyncSettings.objects.create(account=linked_account, price_enabled=True)
    product = Product.objects.create(
        name="Słuchawki douszne ANC",
        sku="EL-9001",
        ean=gtin_of(allegro, "phone-2"),
        price=Decimal("3399.00"),
        stock=9,
    )
    remote = remote_offer(
        allegro,
        linked_account,
        name="Smartfon Samsung Galaxy S24 8 GB / 256 GB czarny",
        price="3499.00",
        external="EL-9001",
        key="phone-2",
    )
    counts = offers_import(account=linked_account)
    assert counts["linked"] == 1
    offer = AllegroOffer.objects.get(allegro_id=remote.id)
    assert (offer.product, offer.link_status) == (product, OfferLinkStatus.CONFIRMED)
    assert offer.link_source == LinkSource.SKU and offer.linked_at is not None
    assert offer.link_evidence["matched"] == ["sku", "ean"]
    assert AuditLogEntry.objects.filter(action=LINK_ACTION, object_id=str(offer.pk)).count() == 1
    # A confirmed link is what the sync serves: its first sync is a preview the merchant
    # accepts, then the changes go out.
    before = (remote.available, remote.price)
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(product=product, delta=-2, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert (remote.available, remote.price) == before
    held = HeldChange.objects.filter(offer=offer, resolved_at__isnull=True)
    assert {h.field for h in held} == {"quantity", "price"}
    with django_capture_on_commit_callbacks(execute=True):
        held_changes_resolve(
            account=linked_account, seen={h.pk: h.proposed for h in held}, accept=True
        )
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert remote.available == 7 and remote.price == "3399.00"


def test_two_offers_for_one_product_are_ambiguous(allegro, linked_account):
    product = Product.objects.create(
        name="Smartfon Samsung Galaxy S24 8 GB / 256 GB czarny",
        sku="EL-9003",
        ean=gtin_of(allegro, "phone-2"),
        price=Decimal("3499.00"),
    )
    for _n in range(2):
        remote_offer(
            allegro,
            linked_account,
            name=product.name,
            price="3499.00",
            external="EL-9003",
            key="phone-2",
        )
    counts = offers_import(account=linked_account)
    assert (counts["linked"], counts["to_review"]) == (0, 2)
    held = AllegroOffer.objects.filter(proposed_product=product)
    assert all(SEVERAL_OFFERS in o.link_evidence["reasons"] for o in held)


def test_nie_lacz_sticks_across_the_next_import(allegro, linked_account, colliding, site_client):
    offers_import(account=linked_account)
    phone = AllegroOffer.objects.get(allegro_id=colliding["phone"].id)
    response = site_client.post(
        reverse("allegro:offer_review_decide"), {"decide": f"reject:{phone.pk}"}
    )
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.link_status == OfferLinkStatus.REJECTED
    assert phone.rejected_product_ids == [colliding["book"].pk]

    counts = offers_import(account=linked_account)
    assert counts["to_review"] == 1  # the ring only
    phone.refresh_from_db()
    assert (phone.product, phone.proposed_product) == (None, None)
    assert phone.link_status == OfferLinkStatus.REJECTED
    assert phone not in offers_to_review(account=linked_account)


def test_bulk_confirm_and_pick_another_product(allegro, linked_account, colliding, site_client):
    offers_import(account=linked_account)
    phone = AllegroOffer.objects.get(allegro_id=colliding["phone"].id)
    ring = AllegroOffer.objects.get(allegro_id=colliding["ring"].id)
    jewel = Product.objects.create(
        name="Pierścionek srebrny z perłą", sku="BZ-9100", price=Decimal("149.00")
    )
    site_client.post(
        reverse("allegro:offer_review_decide"),
        {"decide": f"pick:{ring.pk}", f"sku_{ring.pk}": "bz-9100"},
    )
    ring.refresh_from_db()
    assert (ring.product, ring.link_source, ring.link_status) == (
        jewel,
        LinkSource.MANUAL,
        OfferLinkStatus.CONFIRMED,
    )
    site_client.post(
        reverse("allegro:offer_review_decide"), {"action": "confirm", "offer": [phone.pk]}
    )
    phone.refresh_from_db()
    assert (phone.product, phone.link_source) == (colliding["book"], LinkSource.SKU)
    assert not offers_to_review(account=linked_account).exists()


def test_a_confirmed_link_shows_its_first_sync_at_once_and_sends_nothing(
    allegro, linked_account, colliding, site_client, django_capture_on_commit_callbacks
):
    """Confirming a wrong proposal anyway: the 99 % cut it implies waits in held changes."""
    offers_import(account=linked_account)
    phone = AllegroOffer.objects.get(allegro_id=colliding["phone"].id)
    with django_capture_on_commit_callbacks(execute=True):
        site_client.post(reverse("allegro:offer_review_decide"), {"decide": f"confirm:{phone.pk}"})
    # No stock or price change is needed to see what the sync would do: the confirmation
    # itself queued the flush (run here by the commit callbacks).
    held = {h.field: h for h in HeldChange.objects.filter(offer=phone, resolved_at__isnull=True)}
    assert held["price"].proposed == Decimal("34.99")
    assert held["quantity"].proposed == 7
    assert pushes(allegro) == []
    assert (colliding["phone"].price, colliding["phone"].available) == ("3499.00", 4)


def test_an_unconfirmed_product_link_is_never_marked_or_planned(
    allegro, synced_offer_factory, linked_account
):
    """Even a row with ``product`` set (not something the services write) is not pushed
    to unless its link is confirmed."""
    product, mirror, remote = synced_offer_factory(stock=10)
    AllegroOffer.objects.filter(pk=mirror.pk).update(
        link_status=OfferLinkStatus.TO_REVIEW, needs_push=True
    )
    assert offers_mark_all(account=linked_account) == 0
    stock_adjust(product=product, delta=-4, reason=StockReason.CORRECTION)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert pushes(allegro) == [] and remote.available == 10


@pytest.mark.parametrize(
    ("offer", "product", "confirmed"),
    [
        # Same SKU and EAN: the same thing.
        (("A-1", {"590"}, "Lalka", "30.00"), ("A-1", "590", "Lalka — Prus", "29.99"), True),
        # Same SKU, no EAN on the offer, titles alike, prices near.
        (
            ("A-1", set(), "Lalka - Bolesław Prus", "39.99"),
            ("A-1", "590", "Lalka — Bolesław Prus", "26.99"),
            True,
        ),
        # Same SKU, different EAN: never, whatever the title.
        (("A-1", {"591"}, "Lalka", "30.00"), ("A-1", "590", "Lalka", "30.00"), False),
        # Same SKU, no EAN, unrelated titles.
        (("A-1", set(), "Smartfon Samsung", "30.00"), ("A-1", "", "Solaris", "30.00"), False),
        # Same SKU and EAN but a hundredfold price.
        (("A-1", {"590"}, "Lalka", "3499.00"), ("A-1", "590", "Lalka", "34.99"), False),
        # Same EAN, other SKU: held.
        (("B-2", {"590"}, "Lalka", "30.00"), ("A-1", "590", "Lalka", "30.00"), False),
    ],
)
def test_link_rules(offer, product, confirmed):
    sku, gtins, title, price = offer
    verdict = link_judge(
        OfferFacts(sku=sku, gtins=frozenset(gtins), title=title, price=Decimal(price)),
        ProductFacts(sku=product[0], ean=product[1], name=product[2], price=Decimal(product[3])),
    )
    assert verdict["confirmed"] is confirmed, verdict


def test_title_similarity_reads_words_not_punctuation():
    assert title_similarity("Lalka - Bolesław Prus", "LALKA — Boleslaw Prus") == 1.0
    assert title_similarity("Smartfon Samsung Galaxy S24", "Solaris — Stanisław Lem") < 0.6


def test_demo_skus_and_seeded_sygnatury_meet_only_in_the_deliberate_collision():
    demo_skus = {p.sku for p in demo_products()}
    seeded = {external for external, *_rest in DEMO_OFFERS if external}
    assert demo_skus & seeded == {"KS-0004"}


def test_legacy_offer_status_unchanged_by_review(allegro, linked_account, colliding):
    """Holding a match for review touches only the link, never the offer's mirrored state."""
    offers_import(account=linked_account)
    phone = AllegroOffer.objects.get(allegro_id=colliding["phone"].id)
    assert phone.status == OfferStatus.ACTIVE and phone.needs_push is False


def test_the_import_run_names_every_count_in_polish(allegro, linked_account):
    """The offer list shows the last import's counts: none may read as a Python key."""
    from shop.allegro.offers.jobs import reconcile_offers
    from shop.allegro.offers.services.importer import RECONCILE_JOB
    from shop.scheduler.display import run_summary

    counts = reconcile_offers()
    assert counts["created"]  # the emulator's offers were read
    summary = run_summary(RECONCILE_JOB, dict.fromkeys(counts, 1))
    assert summary == (
        "konta: 1, nowe oferty: 1, zmienione oferty: 1, powiązane automatycznie: 1, "
        "do potwierdzenia: 1"
    )
