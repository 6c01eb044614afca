"""The one offer → product link: set through one service, recorded in the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shop.allegro.models import AllegroOffer, LinkSource, OfferLinkStatus, OfferStatus
from shop.allegro.offers.services.links import (
    LINK_ACTION,
    LinkMatch,
    offer_create_linked,
    offer_link_confirm,
    offer_link_reject,
    offer_mirror_for,
    offer_product_link,
    offers_link_matched,
    offers_propose,
)
from shop.catalog.models import Product
from shop.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def link_entries() -> list[AuditLogEntry]:
    return list(AuditLogEntry.objects.filter(action=LINK_ACTION).order_by("id"))


@pytest.fixture
def mug() -> Product:
    return Product.objects.create(name="Kubek", sku="KUB-1", price=Decimal("15.00"))


@pytest.fixture
def live_offer(linked_account) -> AllegroOffer:  # type: ignore[no-untyped-def]
    return AllegroOffer.objects.create(
        account=linked_account, allegro_id="7700000001", status=OfferStatus.ACTIVE, name="Kubek"
    )


def test_linking_writes_exactly_one_audit_entry(live_offer, mug, staff_user):  # type: ignore[no-untyped-def]
    assert offer_product_link(
        offer=live_offer, product=mug, user=staff_user, source=LinkSource.MANUAL
    )
    [entry] = link_entries()
    assert (entry.object_id, entry.user) == (str(live_offer.pk), staff_user)
    assert entry.changes == {"product": mug.pk, "previous": None, "source": "manual"}
    live_offer.refresh_from_db()
    assert (live_offer.product, live_offer.link_source) == (mug, LinkSource.MANUAL)
    assert live_offer.linked_at is not None
    # The same link again changes nothing and records nothing.
    assert not offer_product_link(offer=live_offer, product=mug, source=LinkSource.ORDER_PAGE)
    assert len(link_entries()) == 1


def test_unlinking_is_recorded_and_clears_the_stamp(live_offer, mug):  # type: ignore[no-untyped-def]
    offer_product_link(offer=live_offer, product=mug, source=LinkSource.MANUAL)
    assert offer_product_link(offer=live_offer, product=None, source=LinkSource.MANUAL)
    live_offer.refresh_from_db()
    assert (live_offer.product, live_offer.linked_at, live_offer.link_source) == (None, None, "")
    _first, second = link_entries()
    assert second.changes == {"product": None, "previous": mug.pk, "source": "manual"}


def test_a_new_offer_is_saved_with_its_link(linked_account, mug):  # type: ignore[no-untyped-def]
    draft = AllegroOffer(account=linked_account, product=mug, name="Kubek")
    offer_create_linked(offer=draft, source=LinkSource.OFFER_FORM)
    draft.refresh_from_db()
    assert (draft.product, draft.link_source) == (mug, LinkSource.OFFER_FORM)
    [entry] = link_entries()
    assert entry.changes == {"product": mug.pk, "previous": None, "source": "offer_form"}
    # Without a product there is no link to record.
    offer_create_linked(offer=AllegroOffer(account=linked_account), source=LinkSource.OFFER_FORM)
    assert len(link_entries()) == 1


def test_automatic_matching_never_replaces_a_link(  # type: ignore[no-untyped-def]
    linked_account, mug, django_assert_num_queries
):
    other = Product.objects.create(name="Talerz", sku="TAL-1", price=Decimal(9))
    offers = [
        AllegroOffer.objects.create(account=linked_account, allegro_id=f"77000001{i:02}")
        for i in range(12)
    ]
    offer_product_link(offer=offers[0], product=other, source=LinkSource.MANUAL)
    stale = AllegroOffer.objects.get(pk=offers[0].pk)
    stale.product = None  # read before the merchant linked it
    links = [
        LinkMatch(offer=offer, product=mug, source=LinkSource.EAN) for offer in [stale, *offers[1:]]
    ]
    # Lock the free rows, update them, write the audit rows, mark them for the sync: the same few
    # queries for any batch.
    with django_assert_num_queries(6):
        assert offers_link_matched(matches=links) == 11
    assert AllegroOffer.objects.get(pk=offers[0].pk).product == other
    assert (
        AllegroOffer.objects.filter(
            product=mug, link_source="ean", link_status=OfferLinkStatus.CONFIRMED
        ).count()
        == 11
    )
    assert len(link_entries()) == 12


def test_a_mirror_is_found_or_made_inactive(live_offer, linked_account):  # type: ignore[no-untyped-def]
    assert offer_mirror_for(account=linked_account, allegro_id=live_offer.allegro_id) == live_offer
    stub = offer_mirror_for(account=linked_account, allegro_id="7700000002", name="Ł" * 90)
    assert (stub.status, stub.name, stub.product) == (OfferStatus.INACTIVE, "Ł" * 75, None)
    assert offer_mirror_for(account=linked_account, allegro_id="7700000002") == stub


def test_a_proposal_sets_no_product_until_confirmed(live_offer, mug, staff_user):  # type: ignore[no-untyped-def]
    evidence = {"matched": ["sku"], "reasons": ["title_differs"]}
    match = LinkMatch(offer=live_offer, product=mug, source=LinkSource.SKU, evidence=evidence)
    assert offers_propose(matches=[match]) == 1
    live_offer.refresh_from_db()
    assert (live_offer.product, live_offer.proposed_product) == (None, mug)
    assert live_offer.link_status == OfferLinkStatus.TO_REVIEW
    assert live_offer.link_evidence["source"] == "sku"
    assert link_entries() == []  # a proposal changes no link

    assert offer_link_confirm(offer=live_offer, user=staff_user)
    live_offer.refresh_from_db()
    assert (live_offer.product, live_offer.proposed_product) == (mug, None)
    assert (live_offer.link_status, live_offer.link_source) == ("confirmed", LinkSource.SKU)
    [entry] = link_entries()
    assert entry.changes["confirmed"] is True and entry.user == staff_user
    # Confirming twice does nothing.
    assert not offer_link_confirm(offer=live_offer, user=staff_user)


def test_a_rejected_pair_is_never_proposed_or_linked_again(live_offer, mug):  # type: ignore[no-untyped-def]
    match = LinkMatch(offer=live_offer, product=mug, source=LinkSource.SKU)
    offers_propose(matches=[match])
    live_offer.refresh_from_db()
    assert offer_link_reject(offer=live_offer)
    live_offer.refresh_from_db()
    assert live_offer.link_status == OfferLinkStatus.REJECTED
    assert live_offer.rejected_product_ids == [mug.pk]
    assert offers_propose(matches=[match]) == 0
    assert offers_link_matched(matches=[match]) == 0
    live_offer.refresh_from_db()
    assert (live_offer.product, live_offer.proposed_product) == (None, None)
    # The merchant may still link it by hand.
    assert offer_product_link(offer=live_offer, product=mug, source=LinkSource.MANUAL)


def test_unlinking_by_hand_stops_the_import_relinking(live_offer, mug):  # type: ignore[no-untyped-def]
    offer_product_link(offer=live_offer, product=mug, source=LinkSource.MANUAL)
    offer_product_link(offer=live_offer, product=None, source=LinkSource.MANUAL)
    live_offer.refresh_from_db()
    match = LinkMatch(offer=live_offer, product=mug, source=LinkSource.SKU)
    assert offers_link_matched(matches=[match]) == 0
