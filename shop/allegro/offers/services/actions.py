"""Actions on existing offers: end, resume, delete a draft, list a similar one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from allegro_api import AllegroError
from allegro_api.resources.commands import MAX_OFFERS_PER_CRITERION
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroAccount, AllegroOffer, LinkSource, OfferStatus
from shop.allegro.models.sync import CommandKind, CommandOrigin, SyncCommand
from shop.allegro.offers.mapping import form_data_for_similar, form_data_from_allegro, offer_body
from shop.allegro.offers.services.catalog import category_parameters
from shop.allegro.offers.services.links import offer_create_linked
from shop.allegro.sync.services.commands import command_enqueue
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write


def offers_publication_change(
    *, account: AllegroAccount, offers: Sequence[AllegroOffer], action: str, user: Any = None
) -> SyncCommand:
    """End or resume offers: store one publication command (UUID first) and queue its send.

    The request returns at once; the command's row shows its progress and, once Allegro's
    report is read, the result per offer.
    """
    ids = [o.allegro_id for o in offers if o.allegro_id][:MAX_OFFERS_PER_CRITERION]
    if not ids:
        raise ApplicationError(_("Zaznaczone oferty nie są jeszcze na Allegro."))
    kind = {"END": CommandKind.END, "ACTIVATE": CommandKind.ACTIVATE}[action]
    with transaction.atomic():
        command = SyncCommand.objects.create(
            account=account, kind=kind, origin=CommandOrigin.OFFER_LIST, offer_ids=ids
        )
        audit_log_write(
            action=f"allegro.offers_{action.lower()}",
            obj=account,
            user=user,
            changes={"offers": ids, "command": str(command.command_id)},
        )
        command_enqueue(command=command)
    return command


def offer_delete_draft(*, offer: AllegroOffer, user: Any = None) -> None:
    """Drafts only: one made here and never sent is just forgotten; Allegro's is deleted there."""
    if offer.status not in (OfferStatus.DRAFT, OfferStatus.INACTIVE, OfferStatus.REJECTED):
        raise ApplicationError(_("Usunąć można tylko szkic oferty."))
    if offer.allegro_id:
        try:
            with client_for(offer.account) as client:
                client.offers.delete(offer.allegro_id)
        except AllegroError as exc:
            raise ApplicationError(describe_error(exc)) from exc
    audit_log_write(
        action="allegro.offer_delete", obj=offer, user=user, changes={"name": offer.name}
    )
    offer.delete()


def offer_form_data_load(*, offer: AllegroOffer) -> AllegroOffer:
    """For an offer made elsewhere: read it from Allegro into the form (and what it has now)."""
    if offer.form_data.get("name") or not offer.allegro_id:
        return offer
    with client_for(offer.account) as client:
        remote = client.offers.get(offer.allegro_id)
    data = form_data_from_allegro(remote)
    data["publish"] = offer.status in (OfferStatus.ACTIVE, OfferStatus.ACTIVATING)
    metas = category_parameters(offer.account, data["category_id"]) if data["category_id"] else []
    # What Allegro has now, in the shape we send: later saves PATCH only what differs from it.
    data["last_sent"] = offer_body(
        data, metas=metas, image_urls={}, external_id=offer.external_id, publish=data["publish"]
    )
    offer.form_data = data
    offer.raw = remote.to_api()
    offer.save(update_fields=["form_data", "raw", "updated_at"])
    return offer


def offer_similar_create(*, offer: AllegroOffer, user: Any = None) -> AllegroOffer:
    """A new draft prefilled from ``offer``, minus what cannot be copied."""
    offer_form_data_load(offer=offer)
    draft = AllegroOffer(
        account=offer.account,
        product=offer.product,
        external_id=offer.external_id,
        name=offer.name,
        category_id=offer.category_id,
        catalog_product_id=offer.catalog_product_id,
        selling_format=offer.selling_format,
        price=offer.price,
        starting_price=offer.starting_price,
        minimal_price=offer.minimal_price,
        stock_available=offer.stock_available,
        shipping_rates_id=offer.shipping_rates_id,
        image_url=offer.image_url,
        form_data=form_data_for_similar(offer.form_data),
    )
    offer_create_linked(offer=draft, user=user, source=LinkSource.SIMILAR)
    audit_log_write(
        action="allegro.offer_similar", obj=draft, user=user, changes={"from": offer.pk}
    )
    return draft
