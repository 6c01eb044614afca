"""Offers: saving the form, publishing in the background, reading Allegro's verdict back.

Publishing follows Allegro's protocol (BRIEF §3): upload the images to the upload host, POST
``/sale/product-offers`` → 202 → poll the operation until 303 → GET the offer. A POST is never
repeated blindly: ``create_attempted_at`` is committed before it is sent, and a later attempt
first looks the offer up by external id (the product's SKU).
"""

from __future__ import annotations

import logging
import mimetypes
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from allegro_api import (
    AllegroAPIError,
    AllegroClient,
    AllegroError,
    AllegroTransportError,
    Conflict,
    OperationTimeout,
    RateLimited,
    ServerError,
)
from allegro_api.models.offers import ProductOffer
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    AllegroAccount,
    AllegroOffer,
    LinkSource,
    OfferStatus,
    SellingFormat,
)
from shop.allegro.offers.mapping import (
    PUBLICATION_TO_STATUS,
    changed_branches,
    offer_body,
    offer_fields_from_allegro,
)
from shop.allegro.offers.services.catalog import category_parameters
from shop.allegro.offers.services.links import offer_create_linked
from shop.allegro.sync.rules import OverrideEdit, override_edit
from shop.allegro.sync.services.overrides import offer_overrides_record, offer_sync_after_edit
from shop.catalog.models import Product, ProductImage
from shop.core.queue import task_enqueue
from shop.core.services.audit import audit_log_write
from shop.scheduler.services.runs import job_lock_acquire, job_lock_release

logger = logging.getLogger(__name__)

PUBLISH_TASK = "allegro.offer_publish"

# Re-upload an image whose upload expires sooner than this (Allegro drops unused uploads).
IMAGE_EXPIRY_MARGIN = timedelta(minutes=15)
# Allegro error paths → the form field that shows the message.
ERROR_PATH_FIELDS = [
    ("name", "name"),
    ("category", "category_id"),
    ("sellingMode.price", "price"),
    ("sellingMode.startingPrice", "starting_price"),
    ("sellingMode.minimalPrice", "minimal_price"),
    ("stock", "quantity"),
    ("publication.duration", "duration"),
    ("delivery.shippingRates", "shipping_rates_id"),
    ("delivery.handlingTime", "handling_time"),
    ("payments", "invoice"),
    ("location", "city"),
    ("description", "description_1_text"),
    ("afterSalesServices.returnPolicy", "return_policy_id"),
    ("afterSalesServices.impliedWarranty", "implied_warranty_id"),
    ("afterSalesServices.warranty", "warranty_id"),
    ("productSet[0].responsibleProducer", "responsible_producer"),
    ("productSet[0].safetyInformation", "safety_text"),
    ("productSet[0].product.id", "catalog_product_id"),
]
# Transient: try again later. A 409 means an earlier edit of the offer is still processed.
RETRYABLE = (RateLimited, ServerError, AllegroTransportError, Conflict)


class PublishRetry(Exception):
    """A transient failure: the task tries again later (the offer records why)."""


# -- form data ----------------------------------------------------------------------------------


def offer_new_for_product(*, account: AllegroAccount, product: Product) -> AllegroOffer:
    """An unsaved draft prefilled from the product (title, price, quantity, images, location)."""
    images = list(product.images.order_by("position", "id").values_list("pk", flat=True))
    form_data = {
        "name": product.name[:75],
        "selling_format": "BUY_NOW",
        "price": str(product.price),
        "quantity": max(product.stock, 1),
        "handling_time": "PT24H",
        "invoice": "VAT",
        "province": account.province,
        "city": account.city,
        "post_code": account.post_code,
        "image_ids": [str(pk) for pk in images[:16]],
        "description": [
            {"text": product.description, "image_id": str(images[0]) if images else None}
        ],
        "parameters": {},
        "safety": "text",
    }
    return AllegroOffer(
        account=account, product=product, external_id=product.sku, form_data=form_data
    )


def _json_ready(data: dict[str, Any]) -> dict[str, Any]:
    ready: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Decimal):
            ready[key] = str(value)
        elif key.startswith(("param_", "image_", "description_")) and key != "image_ids":
            continue  # kept in structured form below
        else:
            ready[key] = value
    return ready


def offer_save(
    *, offer: AllegroOffer, data: dict[str, Any], user: Any = None, publish: bool = False
) -> AllegroOffer:
    """Store the form; with ``publish`` also queue the background publication.

    A changed price or quantity of a live linked offer becomes the offer's own value
    (``offer_edit_overrides``), so the stock/price sync does not put the product's back.
    """
    was_live = offer.status in (OfferStatus.ACTIVE, OfferStatus.ACTIVATING)
    overrides = offer_edit_overrides(offer=offer, data=data)
    stored = {**offer.form_data, **_json_ready(data), "publish": publish or was_live}
    # An offer that exists on Allegro is updated there on every save (only what changed).
    push = publish or bool(offer.allegro_id)
    offer.form_data = stored
    offer.name = stored["name"]
    offer.category_id = stored["category_id"]
    offer.catalog_product_id = stored.get("catalog_product_id") or ""
    offer.selling_format = stored["selling_format"]
    offer.price = Decimal(stored["price"]) if stored.get("price") else None
    offer.starting_price = (
        Decimal(stored["starting_price"]) if stored.get("starting_price") else None
    )
    offer.minimal_price = Decimal(stored["minimal_price"]) if stored.get("minimal_price") else None
    offer.stock_available = int(stored["quantity"])
    offer.shipping_rates_id = stored.get("shipping_rates_id") or ""
    if push:
        offer.status = OfferStatus.PUBLISHING
        offer.last_error = ""
        offer.validation_errors = []
        offer.has_errors = False
    with transaction.atomic():
        if offer.pk is None:
            offer_create_linked(offer=offer, user=user, source=LinkSource.OFFER_FORM)
        else:
            offer.save()
        offer_overrides_record(offer=offer, edit=overrides, user=user)
        audit_log_write(
            action="allegro.offer_publish" if publish else "allegro.offer_save",
            obj=offer,
            user=user,
            changes={"name": offer.name},
        )
        if push:
            offer_id = offer.pk
            transaction.on_commit(lambda: task_enqueue(PUBLISH_TASK, offer_id))
    return offer


def offer_edit_overrides(*, offer: AllegroOffer, data: dict[str, Any]) -> OverrideEdit:
    """What of the submitted form becomes the offer's own price/quantity (before saving)."""
    price = data.get("price")
    return override_edit(
        linked_live=bool(offer.pk and offer.allegro_id and offer.product_id)
        and offer.status in (OfferStatus.ACTIVE, OfferStatus.ACTIVATING),
        buy_now=data.get("selling_format") == SellingFormat.BUY_NOW,
        shown_price=offer.price,
        shown_quantity=offer.stock_available,
        price=Decimal(price) if price not in (None, "") else None,
        quantity=int(data["quantity"]),
    )


# -- publication (runs in a worker) -------------------------------------------------------------


def _upload_images(client: AllegroClient, offer: AllegroOffer) -> dict[str, str]:
    """Allegro URLs of the chosen images, uploading those not uploaded or about to expire."""
    uploaded: dict[str, dict[str, str]] = dict(offer.form_data.get("uploaded") or {})
    wanted = [str(i) for i in offer.form_data.get("image_ids") or []]
    images = ProductImage.objects.in_bulk([int(i) for i in wanted])
    urls: dict[str, str] = {}
    soon = timezone.now() + IMAGE_EXPIRY_MARGIN
    changed = False
    for image_id in wanted:
        known = uploaded.get(image_id)
        expires = parse_datetime(known["expires_at"]) if known and known.get("expires_at") else None
        if known and (offer.allegro_id or expires is None or expires > soon):
            urls[image_id] = known["url"]
            continue
        image = images.get(int(image_id))
        if image is None:
            continue
        with image.image.open("rb") as handle:
            content = handle.read()
        content_type = mimetypes.guess_type(image.image.name or "")[0] or "image/jpeg"
        result = client.images.upload(content, content_type=content_type)
        urls[image_id] = str(result.location)
        uploaded[image_id] = {
            "url": str(result.location),
            "expires_at": result.expires_at.isoformat() if result.expires_at else "",
        }
        changed = True
    if changed:
        offer.form_data = {**offer.form_data, "uploaded": uploaded}
        AllegroOffer.objects.filter(pk=offer.pk).update(form_data=offer.form_data)
    return urls


def _field_for_path(path: str) -> str:
    for prefix, field in ERROR_PATH_FIELDS:
        if path.startswith(prefix):
            return field
    return ""


def errors_for_fields(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Allegro's errors as ``{"field", "message", "code"}``; parameter errors go to their fields."""
    result = []
    for error in errors:
        message = str(error.get("userMessage") or error.get("message") or error.get("code") or "")
        metadata = error.get("metadata") or {}
        missing = metadata.get("missingParameterIds") or metadata.get("parameterId")
        code = str(error.get("code") or "")
        if missing:
            ids = [
                m.strip() for m in str(missing).strip("[]").replace('"', "").split(",") if m.strip()
            ]
            for pid in ids:
                result.append({"field": f"param_{pid}", "message": message, "code": code})
            continue
        result.append(
            {
                "field": _field_for_path(str(error.get("path") or "")),
                "message": message,
                "code": code,
            }
        )
    return result


def _find_created(client: AllegroClient, offer: AllegroOffer) -> str | None:
    """After a create whose answer was lost: the offer Allegro made, by external id."""
    known = set(
        AllegroOffer.objects.filter(account=offer.account)
        .exclude(allegro_id="")
        .values_list("allegro_id", flat=True)
    )
    listing = client.offers.list(external_ids=[offer.external_id], limit=100)
    for candidate in listing.offers or []:
        if candidate.id and candidate.id not in known and (candidate.name or "") == offer.name:
            return str(candidate.id)
    return None


def _apply_allegro_offer(offer: AllegroOffer, data: ProductOffer) -> None:
    fields = offer_fields_from_allegro(data)
    errors = errors_for_fields(fields.pop("validation_errors"))
    fields.pop("external_id")
    for key, value in fields.items():
        if key in {"price", "starting_price", "minimal_price"} and value is None:
            continue
        if key in {"image_url", "shipping_rates_id", "category_id"} and not value:
            continue
        setattr(offer, key, value)
    offer.validation_errors = errors
    offer.has_errors = bool(errors)
    offer.raw = data.to_api()
    offer.synced_at = timezone.now()
    offer.operation_path = ""
    if offer.status == OfferStatus.ACTIVE and offer.published_at is None:
        offer.published_at = timezone.now()


def offer_publish(*, offer_id: int) -> AllegroOffer:
    """Send the offer to Allegro and record what Allegro made of it.

    Edits of one offer are serialised by a database lock; a second edit waits (retries) until
    the first has finished, instead of meeting Allegro's 409.
    """
    lock = f"allegro.offer_write:{offer_id}"
    holder = job_lock_acquire(name=lock, seconds=15 * 60)
    if holder is None:
        raise PublishRetry(_("Poprzednia zmiana tej oferty jest jeszcze wysyłana."))
    try:
        return _offer_publish(offer_id=offer_id)
    finally:
        job_lock_release(name=lock, holder=holder)


def _offer_publish(*, offer_id: int) -> AllegroOffer:
    offer = AllegroOffer.objects.select_related("account").get(pk=offer_id)
    account = offer.account
    if not account.is_usable:
        offer.status = OfferStatus.DRAFT
        offer.last_error = _("Konto Allegro nie jest powiązane — nie można wystawić oferty.")
        offer.save(update_fields=["status", "last_error", "updated_at"])
        return offer
    publish = bool(offer.form_data.get("publish", True))
    try:
        with client_for(account) as client:
            image_urls = _upload_images(client, offer)
            metas = category_parameters(account, offer.category_id)
            body = offer_body(
                offer.form_data,
                metas=metas,
                image_urls=image_urls,
                external_id=offer.external_id,
                publish=publish,
            )
            if not offer.allegro_id and offer.create_attempted_at is not None:
                found = _find_created(client, offer)
                if found:
                    AllegroOffer.objects.filter(pk=offer.pk).update(allegro_id=found)
                    offer.allegro_id = found
            if offer.allegro_id:
                changes = changed_branches(offer.form_data.get("last_sent") or {}, body)
                if set(changes) <= {"publication"} and offer.status != OfferStatus.PUBLISHING:
                    changes = {}
                if not changes:
                    final = client.offers.get(offer.allegro_id)
                    _apply_allegro_offer(offer, final)
                    offer.save()
                    offer_sync_after_edit(offer=offer)
                    return offer
                if "productSet" in changes:
                    # Allegro merges catalog images into the offer unless told not to.
                    for element in changes["productSet"]:
                        element.setdefault("product", {}).setdefault("images", [])
                result = client.offers.patch(offer.allegro_id, changes)
            else:
                offer.create_attempted_at = timezone.now()
                offer.save(update_fields=["create_attempted_at"])
                result = client.offers.create(body)
                offer.allegro_id = str(result.offer.id or "")
                offer.create_attempted_at = None
            offer.operation_path = result.operation_path or ""
            offer.save(update_fields=["allegro_id", "create_attempted_at", "operation_path"])
            final = client.offers.wait(result)
            offer.form_data = {**offer.form_data, "last_sent": body}
            _apply_allegro_offer(offer, final)
            offer.last_error = ""
            offer.save()
            offer_sync_after_edit(offer=offer)
            package = offer.form_data.get("promotion_package")
            if package and offer.status == OfferStatus.ACTIVE:
                _promote(client, offer, package)
    except RETRYABLE as exc:
        offer.last_error = describe_error(exc)
        offer.save(update_fields=["last_error", "updated_at"])
        raise PublishRetry(offer.last_error) from exc
    except OperationTimeout as exc:
        offer.last_error = _("Allegro wciąż przetwarza ofertę; stan zostanie sprawdzony ponownie.")
        offer.save(update_fields=["last_error", "updated_at"])
        raise PublishRetry(offer.last_error) from exc
    except AllegroAPIError as exc:
        offer.status = OfferStatus.REJECTED if not offer.allegro_id else offer.status
        if offer.status == OfferStatus.PUBLISHING:
            # A refused edit leaves the offer on Allegro as it was (live or not).
            offer.status = _status_before_edit(offer)
        offer.validation_errors = errors_for_fields(
            [
                {
                    "code": e.code,
                    "message": e.message,
                    "userMessage": e.user_message,
                    "path": e.path,
                    "metadata": e.metadata,
                }
                for e in exc.errors
            ]
        ) or [{"field": "", "message": describe_error(exc), "code": str(exc.status)}]
        offer.has_errors = True
        offer.create_attempted_at = None
        offer.last_error = describe_error(exc)
        offer.save()
    except AllegroError as exc:
        offer.status = OfferStatus.DRAFT if not offer.allegro_id else offer.status
        offer.last_error = describe_error(exc)
        offer.save()
    return offer


def _status_before_edit(offer: AllegroOffer) -> str:
    publication = (offer.raw or {}).get("publication") or {}
    return str(
        PUBLICATION_TO_STATUS.get(str(publication.get("status") or ""), OfferStatus.INACTIVE)
    )


def _promote(client: AllegroClient, offer: AllegroOffer, package: str) -> None:
    try:
        client.promotions.modify_offer_options(
            offer.allegro_id,
            modifications=[
                {"modificationType": "CHANGE", "packageType": "BASE", "packageId": package}
            ],
        )
    except AllegroAPIError as exc:
        offer.last_error = _("Oferta wystawiona, ale nie udało się dodać wyróżnienia: %(e)s") % {
            "e": describe_error(exc)
        }
        offer.save(update_fields=["last_error"])
