"""The one link between an Allegro offer and a shop product: ``AllegroOffer.product``.

Every change of it goes through here, so each one is stamped (``linked_at``, ``link_source``)
and written to the audit log, whoever made it: the offer import (by SKU or EAN), the offer
list, an Allegro order's page, the offer form or the bulk listing. An order line's offer that
has no mirror yet gets a minimal one (``offer_mirror_for``) so the link has somewhere to live;
the offer import fills it in when it reads that offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.allegro.models import AllegroAccount, AllegroOffer, LinkSource, OfferStatus
from shop.catalog.models import Product
from shop.core.bulk import rows_insert
from shop.core.services.audit import audit_log_write, audit_log_write_many

LINK_ACTION = "allegro.offer_product_link"
NAME_MAX = 75


def _stamp(offer: AllegroOffer, product: Product | None, source: LinkSource) -> dict[str, Any]:
    """Set the link on ``offer`` in memory; return what the audit log records."""
    previous = offer.product_id if offer.pk is not None else None
    offer.product = product
    offer.linked_at = timezone.now() if product else None
    offer.link_source = source if product else ""
    return {"product": product.pk if product else None, "previous": previous, "source": str(source)}


def offer_product_link(
    *, offer: AllegroOffer, product: Product | None, user: Any = None, source: LinkSource
) -> bool:
    """Link a saved ``offer`` to ``product`` (``None`` unlinks it); False if it already was."""
    assert offer.pk is not None, "a new offer is linked by offer_create_linked"
    if offer.product_id == (product.pk if product else None):
        return False
    with transaction.atomic():
        changes = _stamp(offer, product, source)
        offer.save(update_fields=["product", "linked_at", "link_source", "updated_at"])
        audit_log_write(action=LINK_ACTION, obj=offer, user=user, changes=changes)
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


def offers_create_linked(*, offers: Sequence[AllegroOffer], source: LinkSource) -> int:
    """Insert new mirrors; those the caller matched to a product (``product`` set) count as
    linked by ``source``. One more statement for the audit rows, whatever their number."""
    linked = [offer for offer in offers if offer.product is not None]
    changes = [_stamp(offer, offer.product, source) for offer in linked]
    with transaction.atomic():
        rows_insert(AllegroOffer, list(offers))
        audit_log_write_many(action=LINK_ACTION, entries=list(zip(linked, changes, strict=True)))
    return len(linked)


def offers_link_unlinked(
    *, links: Sequence[tuple[AllegroOffer, Product]], source: LinkSource
) -> int:
    """Automatic matching: link the offers still without a product (a manual link made in
    the meantime wins). A few statements for the whole batch; returns how many were linked."""
    if not links:
        return 0
    with transaction.atomic():
        free = set(
            AllegroOffer.objects.select_for_update()
            .filter(pk__in=[offer.pk for offer, _p in links], product__isnull=True)
            .values_list("pk", flat=True)
        )
        todo = [(offer, product) for offer, product in links if offer.pk in free]
        changes = [_stamp(offer, product, source) for offer, product in todo]
        offers = [offer for offer, _p in todo]
        AllegroOffer.objects.bulk_update(offers, ["product", "linked_at", "link_source"])
        audit_log_write_many(action=LINK_ACTION, entries=list(zip(offers, changes, strict=True)))
    return len(todo)


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
