"""Pure conversions for offers: the form's data → Allegro's request body, Allegro's offer → ours.

Allegro's side is read from the typed ``allegro_api`` models (``ProductOffer``,
``OfferListing``); the request body stays a plain dict in the wire shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import nh3

from allegro_api.models.common import ExternalId, IdRef, Money
from allegro_api.models.offers import (
    ImageRef,
    OfferAfterSalesServices,
    OfferDelivery,
    OfferDescription,
    OfferListing,
    OfferLocation,
    OfferParameter,
    OfferPayments,
    OfferPublication,
    OfferStock,
    ProductOffer,
    ProductSetElement,
    ProductSetProduct,
    ResponsibleProducer,
    SafetyInformation,
    SellingMode,
)
from shop.allegro.offers.parameters import effective_values

# Allegro's description accepts a small set of tags only; anything else is removed.
DESCRIPTION_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "b"}
DESCRIPTION_MAX_BYTES = 40_000
CURRENCY = "PLN"


def clean_description_html(html: str) -> str:
    return nh3.clean(html or "", tags=DESCRIPTION_TAGS, attributes={}, link_rel=None).strip()


def description_body(
    sections: Sequence[Mapping[str, Any]], image_urls: Mapping[str, str]
) -> dict[str, Any]:
    """``{"sections": [{"items": [TEXT, IMAGE]}]}`` from the form's sections."""
    result = []
    for section in sections:
        items: list[dict[str, str]] = []
        text = clean_description_html(str(section.get("text") or ""))
        if text:
            items.append({"type": "TEXT", "content": text})
        image = section.get("image_id")
        if image and str(image) in image_urls:
            items.append({"type": "IMAGE", "url": image_urls[str(image)]})
        if items:
            result.append({"items": items})
    return {"sections": result}


def description_size(body: Mapping[str, Any]) -> int:
    import json

    return len(json.dumps(body, ensure_ascii=False).encode())


def is_product_parameter(meta: Mapping[str, Any]) -> bool:
    options = meta.get("options") if isinstance(meta.get("options"), Mapping) else {}
    return bool(options and options.get("describesProduct"))


def is_range(meta: Mapping[str, Any]) -> bool:
    restrictions = meta.get("restrictions") if isinstance(meta.get("restrictions"), Mapping) else {}
    return bool(restrictions and restrictions.get("range"))


def parameter_entry(meta: Mapping[str, Any], values: Sequence[str]) -> dict[str, Any] | None:
    pid = str(meta["id"])
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        return None
    if meta.get("type") == "dictionary":
        return {"id": pid, "valuesIds": values}
    if is_range(meta):
        if len(values) != 2:
            return None
        return {"id": pid, "rangeValue": {"from": values[0], "to": values[1]}}
    return {"id": pid, "values": values}


def split_parameters(
    metas: Sequence[Mapping[str, Any]], values: Mapping[str, Sequence[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(product parameters, offer parameters) of the values that count.

    Parameters that describe the product belong in ``productSet[].product.parameters``; the
    rest in the offer's ``parameters`` — Allegro refuses either in the other section.
    """
    counted = effective_values(metas, {k: list(v) for k, v in values.items()})
    product: list[dict[str, Any]] = []
    offer: list[dict[str, Any]] = []
    for meta in metas:
        pid = str(meta.get("id"))
        raw = counted.get(pid)
        if not raw:
            continue
        entry = parameter_entry(meta, raw)
        if entry is not None:
            (product if is_product_parameter(meta) else offer).append(entry)
    return product, offer


def money(amount: Decimal | str) -> dict[str, str]:
    return {"amount": f"{Decimal(amount):.2f}", "currency": CURRENCY}


def offer_body(
    data: Mapping[str, Any],
    *,
    metas: Sequence[Mapping[str, Any]],
    image_urls: Mapping[str, str],
    external_id: str,
    publish: bool,
) -> dict[str, Any]:
    """The ``POST /sale/product-offers`` body (``SaleProductOfferRequestV1``) for a form."""
    product_params, offer_params = split_parameters(metas, data.get("parameters") or {})
    ordered_urls = [image_urls[str(i)] for i in data.get("image_ids") or [] if str(i) in image_urls]
    if not ordered_urls:
        ordered_urls = [str(url) for url in data.get("remote_images") or []]
    element: dict[str, Any] = {"quantity": {"value": 1}}
    if data.get("catalog_product_id"):
        product: dict[str, Any] = {"id": data["catalog_product_id"]}
        if product_params:
            product["parameters"] = product_params
        # Without this Allegro may merge the catalog's images into the offer (BRIEF §3, #11040).
        product["images"] = []
        element["product"] = product
    else:
        element["product"] = {
            "name": data["name"],
            "category": {"id": data["category_id"]},
            "parameters": product_params,
            "images": ordered_urls,
        }
    if data.get("responsible_producer"):
        element["responsibleProducer"] = {"type": "NAME", "name": data["responsible_producer"]}
    if data.get("safety") == "before_gpsr":
        element["marketedBeforeGPSRObligation"] = True
    elif data.get("safety_text"):
        element["safetyInformation"] = {"type": "TEXT", "description": data["safety_text"]}

    if data.get("selling_format") == "AUCTION":
        selling: dict[str, Any] = {
            "format": "AUCTION",
            "startingPrice": money(data["starting_price"]),
        }
        if data.get("minimal_price"):
            selling["minimalPrice"] = money(data["minimal_price"])
        if data.get("price"):
            selling["price"] = money(data["price"])
    else:
        selling = {"format": "BUY_NOW", "price": money(data["price"])}

    publication: dict[str, Any] = {
        "status": "ACTIVE" if publish else "INACTIVE",
        "republish": bool(data.get("republish")),
    }
    if data.get("duration"):
        publication["duration"] = data["duration"]

    body: dict[str, Any] = {
        "name": data["name"],
        "category": {"id": data["category_id"]},
        "productSet": [element],
        "parameters": offer_params,
        "sellingMode": selling,
        "stock": {"available": int(data["quantity"]), "unit": "UNIT"},
        "publication": publication,
        "delivery": {"handlingTime": data.get("handling_time") or "PT24H"},
        "payments": {"invoice": data.get("invoice") or "VAT"},
        "location": {
            "countryCode": "PL",
            "province": data.get("province") or None,
            "city": data.get("city") or None,
            "postCode": data.get("post_code") or None,
        },
        "images": ordered_urls,
        "description": description_body(data.get("description") or [], image_urls),
        "external": {"id": external_id},
    }
    if data.get("shipping_rates_id"):
        body["delivery"]["shippingRates"] = {"id": data["shipping_rates_id"]}
    services = {
        key: {"id": data[field]}
        for key, field in (
            ("returnPolicy", "return_policy_id"),
            ("impliedWarranty", "implied_warranty_id"),
            ("warranty", "warranty_id"),
        )
        if data.get(field)
    }
    if services:
        body["afterSalesServices"] = services
    body["location"] = {k: v for k, v in body["location"].items() if v is not None}
    return body


PUBLICATION_TO_STATUS = {
    "ACTIVE": "active",
    "ACTIVATING": "activating",
    "INACTIVE": "inactive",
    "ENDED": "ended",
}


def amount_of(money: Money | None) -> Decimal | None:
    return money.amount if money is not None else None


def offer_fields_from_allegro(offer: ProductOffer | OfferListing) -> dict[str, Any]:
    """Columns of ``AllegroOffer`` from a ``GET /sale/product-offers/{id}`` (or listing) body."""
    selling = offer.selling_mode or SellingMode()
    stock = offer.stock or OfferStock()
    publication = offer.publication or OfferPublication()
    if isinstance(offer, ProductOffer):
        # Stored as Allegro sent them: ``errors_for_fields`` and the pages read these dicts.
        errors = [issue.to_api() for issue in offer.validation_errors]
        image_url = (offer.images or [""])[0]
    else:
        errors = []
        image_url = (offer.primary_image or ImageRef()).url or ""
    delivery = offer.delivery or OfferDelivery()

    status = PUBLICATION_TO_STATUS.get(str(publication.status or ""), "inactive")
    if status == "inactive" and errors:
        status = "rejected"
    return {
        "allegro_id": str(offer.id or ""),
        "name": str(offer.name or "")[:75],
        "category_id": str((offer.category or IdRef()).id or ""),
        "selling_format": selling.format or "BUY_NOW",
        "price": amount_of(selling.price),
        "starting_price": amount_of(selling.starting_price),
        "minimal_price": amount_of(selling.minimal_price),
        "stock_available": int(stock.available or 0),
        "stock_sold": int(stock.sold or 0),
        "image_url": image_url or "",
        "shipping_rates_id": str((delivery.shipping_rates or IdRef()).id or ""),
        "external_id": str((offer.external or ExternalId()).id or ""),
        "validation_errors": errors,
        "has_errors": bool(errors),
        "status": status,
    }


def parameter_values(parameter: OfferParameter) -> list[str] | None:
    """The form's value list of one parameter: dictionary ids, a range or plain values."""
    if parameter.values_ids:
        return [str(v) for v in parameter.values_ids]
    if parameter.range_value:
        return [str(parameter.range_value.from_), str(parameter.range_value.to)]
    if parameter.values:
        return [str(v) for v in parameter.values]
    return None


def form_data_from_allegro(offer: ProductOffer) -> dict[str, Any]:
    """The offer form's data from a full ``GET /sale/product-offers/{id}`` body.

    Used to edit offers made elsewhere and to list a similar one. Images stay Allegro URLs
    (``remote_images``) until the merchant picks shop images instead.
    """
    selling = offer.selling_mode or SellingMode()
    publication = offer.publication or OfferPublication()
    delivery = offer.delivery or OfferDelivery()
    location = offer.location or OfferLocation()
    services = offer.after_sales_services or OfferAfterSalesServices()
    element = (offer.product_set or [ProductSetElement()])[0]
    product = element.product or ProductSetProduct()
    parameters: dict[str, list[str]] = {}
    for parameter in [*(offer.parameters or []), *(product.parameters or [])]:
        values = parameter_values(parameter)
        if values is not None:
            parameters[str(parameter.id)] = values
    sections = [
        {
            "text": " ".join(
                str(item.content or "") for item in section.items or [] if item.type == "TEXT"
            ),
            "image_id": None,
        }
        for section in (offer.description or OfferDescription()).sections or []
    ]

    def amount(money: Money | None) -> str | None:
        value = amount_of(money)
        return str(value) if value is not None else None

    def service_id(ref: IdRef | None) -> str:
        return str((ref or IdRef()).id or "")

    safety = element.safety_information or SafetyInformation()
    return {
        "name": offer.name or "",
        "category_id": str((offer.category or IdRef()).id or ""),
        "catalog_product_id": str(product.id or ""),
        "selling_format": selling.format or "BUY_NOW",
        "price": amount(selling.price),
        "starting_price": amount(selling.starting_price),
        "minimal_price": amount(selling.minimal_price),
        "quantity": int((offer.stock or OfferStock()).available or 1),
        "duration": publication.duration or "",
        "republish": bool(publication.republish),
        "shipping_rates_id": service_id(delivery.shipping_rates),
        "handling_time": delivery.handling_time or "PT24H",
        "invoice": (offer.payments or OfferPayments()).invoice or "VAT",
        "province": location.province or "",
        "city": location.city or "",
        "post_code": location.post_code or "",
        "image_ids": [],
        "remote_images": [str(url) for url in offer.images or []],
        "description": sections,
        "parameters": parameters,
        "return_policy_id": service_id(services.return_policy),
        "implied_warranty_id": service_id(services.implied_warranty),
        "warranty_id": service_id(services.warranty),
        "responsible_producer": str(
            (element.responsible_producer or ResponsibleProducer()).name or ""
        ),
        "safety": "before_gpsr" if element.marketed_before_gpsr_obligation else "text",
        "safety_text": str(safety.description or ""),
    }


# What a similar offer does not inherit: identity, state and what Allegro computed.
NOT_COPIED = ("uploaded", "last_sent", "promotion_package")


def form_data_for_similar(form_data: Mapping[str, Any]) -> dict[str, Any]:
    copied = {k: v for k, v in form_data.items() if k not in NOT_COPIED}
    copied["name"] = str(copied.get("name") or "")[:75]
    return copied


def changed_branches(previous: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level branches of ``current`` that differ from ``previous`` (for a PATCH).

    ``parameters`` and ``productSet`` go whole when they change (Allegro replaces them).
    """
    return {key: value for key, value in current.items() if previous.get(key) != value}
