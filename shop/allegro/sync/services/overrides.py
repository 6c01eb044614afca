"""The merchant's own price or quantity of one offer, which the stock/price sync respects.

An edit of a live linked offer in the offer form records the changed values here (inside the
form's save); the sync's target then takes them instead of the product's. "Przywróć
synchronizację z produktem" clears them and queues the offer so the product's values return.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shop.allegro.models import AllegroOffer, SellingFormat
from shop.allegro.models.sync import OfferSync
from shop.allegro.sync.rules import OverrideEdit
from shop.allegro.sync.services.push import LIVE, offers_mark
from shop.core.services.audit import audit_log_write


def offer_overrides_record(*, offer: AllegroOffer, edit: OverrideEdit, user: Any = None) -> None:
    """Store the edited values as the offer's own (call inside the saving transaction)."""
    if not edit:
        return
    sync, _new = OfferSync.objects.get_or_create(offer=offer)
    changes: dict[str, str] = {}
    if edit.price is not None:
        sync.price_override = edit.price
        changes["price_override"] = str(edit.price)
    if edit.quantity is not None:
        sync.quantity_override = edit.quantity
        changes["quantity_override"] = str(edit.quantity)
    sync.save(update_fields=["price_override", "quantity_override", "updated_at"])
    audit_log_write(action="allegro.offer_override", obj=offer, user=user, changes=changes)


def offer_overrides_clear(*, offer: AllegroOffer, user: Any = None) -> bool:
    """Let the product's stock and price rule drive the offer again; False if nothing was set."""
    with transaction.atomic():
        cleared = (
            OfferSync.objects.filter(offer=offer)
            .exclude(price_override=None, quantity_override=None)
            .update(price_override=None, quantity_override=None)
        )
        if not cleared:
            return False
        audit_log_write(action="allegro.offer_override_clear", obj=offer, user=user)
        if offer.product_id is not None:
            offers_mark(product_ids=[offer.product_id])
    return True


def offer_sync_after_edit(*, offer: AllegroOffer) -> None:
    """After an edit reached Allegro: remember what the offer shows and let the sync look again.

    The sync compares its target with the last known values; without this it would resend a
    price the edit has just set. Marks made while the edit was under way were skipped (the
    offer was not live then), so the linked offers are marked once more.
    """
    if offer.product_id is None or offer.status not in LIVE:
        return
    known: dict[str, Any] = {"pushed_quantity": offer.stock_available}
    if offer.selling_format == SellingFormat.BUY_NOW and offer.price is not None:
        known["pushed_price"] = offer.price
    with transaction.atomic():
        OfferSync.objects.filter(offer=offer).update(**known)
        offers_mark(product_ids=[offer.product_id])
