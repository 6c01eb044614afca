"""The one link between an Allegro offer and a shop product: ``AllegroOffer.product``.

Every change of it goes through here, so each one is stamped (``linked_at``, ``link_source``,
``link_status``) and written to the audit log, whoever made it: the offer import (by SKU or
EAN, only when the evidence corroborates the match), the offer list, the review page
("Do potwierdzenia"), an Allegro order's page, the offer form or the bulk listing.

``product`` holds only a confirmed link: it is what the stock and price sync pushes to. A
match the import could not corroborate is a proposal (``proposed_product``, ``to_review``) and
sets no ``product``; "Nie łącz" remembers the product so no later import proposes it again.

An order line's offer that has no mirror yet gets a minimal one (``offer_mirror_for``) so the
link has somewhere to live; the offer import fills it in when it reads that offer.

A confirmed link marks the product's offers for the stock and price sync at once, so what the
first sync would change shows under "Wstrzymane zmiany" (its preview) without waiting for the
next stock or price change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.allegro.models import (
    AllegroAccount,
    AllegroOffer,
    LinkSource,
    OfferLinkStatus,
    OfferStatus,
)
from shop.allegro.sync.services.push import offers_mark
from shop.catalog.models import Product
from shop.core.services.audit import audit_log_write, audit_log_write_many

LINK_ACTION = "allegro.offer_product_link"
NAME_MAX = 75


LINK_FIELDS = [
    "product",
    "linked_at",
    "link_source",
    "link_status",
    "proposed_product",
    "link_evidence",
    "rejected_product_ids",
]


@dataclass(frozen=True)
class LinkMatch:
    """A product the import found for an offer, how, and the evidence for and against it."""

    offer: AllegroOffer
    product: Product
    source: LinkSource
    evidence: dict[str, Any] = field(default_factory=dict)


def _stamp(
    offer: AllegroOffer,
    product: Product | None,
    source: LinkSource,
    evidence: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Set the (confirmed) link on ``offer`` in memory; return what the audit log records."""
    previous = offer.product_id if offer.pk is not None else None
    offer.product = product
    offer.linked_at = timezone.now() if product else None
    offer.link_source = source if product else ""
    offer.link_status = OfferLinkStatus.CONFIRMED if product else OfferLinkStatus.NONE
    offer.proposed_product = None
    offer.link_evidence = evidence or {}
    if product is None and previous is not None:
        # The merchant undid this link: the import must not make it again.
        _remember_rejected(offer, previous)
    return {"product": product.pk if product else None, "previous": previous, "source": str(source)}


def _remember_rejected(offer: AllegroOffer, product_id: int) -> None:
    if product_id not in offer.rejected_product_ids:
        offer.rejected_product_ids = [*offer.rejected_product_ids, product_id]


def offer_product_link(
    *, offer: AllegroOffer, product: Product | None, user: Any = None, source: LinkSource
) -> bool:
    """Link a saved ``offer`` to ``product`` (``None`` unlinks it); False if it already was.

    Every caller is a merchant's decision, so the link counts as confirmed."""
    assert offer.pk is not None, "a new offer is linked by offer_create_linked"
    if offer.product_id == (product.pk if product else None) and (
        product is None or offer.link_status == OfferLinkStatus.CONFIRMED
    ):
        return False
    with transaction.atomic():
        changes = _stamp(offer, product, source)
        offer.save(update_fields=[*LINK_FIELDS, "updated_at"])
        audit_log_write(action=LINK_ACTION, obj=offer, user=user, changes=changes)
        if product is not None:
            offers_mark(product_ids=[product.pk])
    return True


def offer_create_linked(
    *, offer: AllegroOffer, user: Any = None, source: LinkSource
) -> AllegroOffer:
    """Save a new offer; the product it was made for (if any) counts as linked by ``source``."""
    assert offer.pk is None
    with transaction.atomic():
        if offer.product is None:
            offer.save()
            return offer
        changes = _stamp(offer, offer.product, source)
        offer.save()
        audit_log_write(action=LINK_ACTION, obj=offer, user=user, changes=changes)
    return offer


def _lock_unlinked(matches: Sequence[LinkMatch]) -> dict[int, AllegroOffer]:
    """The matched offers still without a product, locked (a manual link made meanwhile wins)."""
    return {
        offer.pk: offer
        for offer in AllegroOffer.objects.select_for_update().filter(
            pk__in=[m.offer.pk for m in matches], product__isnull=True
        )
    }


def offers_link_matched(*, matches: Sequence[LinkMatch]) -> int:
    """Automatic matching whose evidence holds: confirm the links of offers still without a
    product. A few statements for the whole batch; returns how many were linked."""
    if not matches:
        return 0
    with transaction.atomic():
        free = _lock_unlinked(matches)
        todo = [
            (free[m.offer.pk], m)
            for m in matches
            if m.offer.pk in free and m.product.pk not in free[m.offer.pk].rejected_product_ids
        ]
        changes = [_stamp(offer, m.product, m.source, m.evidence) for offer, m in todo]
        offers = [offer for offer, _m in todo]
        AllegroOffer.objects.bulk_update(offers, LINK_FIELDS)
        audit_log_write_many(action=LINK_ACTION, entries=list(zip(offers, changes, strict=True)))
        offers_mark(product_ids={m.product.pk for _offer, m in todo})
    return len(todo)


def offers_propose(*, matches: Sequence[LinkMatch]) -> int:
    """Matches the evidence does not carry: held under "Do potwierdzenia" (no ``product`` is
    set, so nothing is pushed). Products the merchant rejected are never proposed again."""
    if not matches:
        return 0
    with transaction.atomic():
        free = _lock_unlinked(matches)
        held = []
        for match in matches:
            offer = free.get(match.offer.pk)
            if offer is None or match.product.pk in offer.rejected_product_ids:
                continue
            offer.link_status = OfferLinkStatus.TO_REVIEW
            offer.proposed_product = match.product
            offer.link_evidence = {**match.evidence, "source": str(match.source)}
            held.append(offer)
        AllegroOffer.objects.bulk_update(held, ["link_status", "proposed_product", "link_evidence"])
    return len(held)


def offer_link_confirm(*, offer: AllegroOffer, user: Any = None) -> bool:
    """The merchant confirms the proposed product; the link keeps the source that found it."""
    product = offer.proposed_product
    if offer.link_status != OfferLinkStatus.TO_REVIEW or product is None:
        return False
    evidence = dict(offer.link_evidence or {})
    source = LinkSource(evidence.get("source") or LinkSource.MANUAL)
    with transaction.atomic():
        changes = _stamp(offer, product, source, {**evidence, "confirmed_by": "merchant"})
        offer.save(update_fields=[*LINK_FIELDS, "updated_at"])
        audit_log_write(
            action=LINK_ACTION, obj=offer, user=user, changes={**changes, "confirmed": True}
        )
        offers_mark(product_ids=[product.pk])
    return True


def offer_link_reject(*, offer: AllegroOffer, user: Any = None) -> bool:
    """ "Nie łącz": drop the proposal and remember the product, so it is not proposed again."""
    product_id = offer.proposed_product_id
    if offer.link_status != OfferLinkStatus.TO_REVIEW or product_id is None:
        return False
    with transaction.atomic():
        _remember_rejected(offer, product_id)
        offer.link_status = OfferLinkStatus.REJECTED
        offer.proposed_product = None
        offer.save(update_fields=[*LINK_FIELDS, "updated_at"])
        audit_log_write(
            action=LINK_ACTION,
            obj=offer,
            user=user,
            changes={"product": None, "previous": None, "rejected": product_id},
        )
    return True


def offer_mirror_for(*, account: AllegroAccount, allegro_id: str, name: str = "") -> AllegroOffer:
    """The mirror of an Allegro offer, created minimal when the shop has not read it yet.

    The new row is inactive (never pushed to by the stock sync) until the offer import reads
    the offer and brings its real status.
    """
    offer, _created = AllegroOffer.objects.get_or_create(
        account=account,
        allegro_id=allegro_id,
        defaults={"status": OfferStatus.INACTIVE, "name": name[:NAME_MAX]},
    )
    return offer
