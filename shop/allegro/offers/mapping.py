"""Pure conversions for offers: the form's data → Allegro's request body, Allegro's offer → ours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import nh3

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


def offer_fields_from_allegro(offer: Mapping[str, Any]) -> dict[str, Any]:
    """Columns of ``AllegroOffer`` from a ``GET /sale/product-offers/{id}`` (or listing) body."""
    selling = offer.get("sellingMode") or {}
    stock = offer.get("stock") or {}
    publication = offer.get("publication") or {}
    validation = offer.get("validation") or {}
    errors = list(validation.get("errors") or [])
    images = offer.get("images") or []
    primary = offer.get("primaryImage") or {}
    category = offer.get("category") or {}
    delivery = offer.get("delivery") or {}

    def amount(key: str) -> Decimal | None:
        value = (selling.get(key) or {}).get("amount")
        return Decimal(str(value)) if value not in (None, "") else None

    status = PUBLICATION_TO_STATUS.get(str(publication.get("status") or ""), "inactive")
    if status == "inactive" and errors:
        status = "rejected"
    return {
        "allegro_id": str(offer.get("id") or ""),
        "name": str(offer.get("name") or "")[:75],
        "category_id": str(category.get("id") or ""),
        "selling_format": selling.get("format") or "BUY_NOW",
        "price": amount("price"),
        "starting_price": amount("startingPrice"),
        "minimal_price": amount("minimalPrice"),
        "stock_available": int(stock.get("available") or 0),
        "stock_sold": int(stock.get("sold") or 0),
        "image_url": (images[0] if images and isinstance(images[0], str) else primary.get("url"))
        or "",
        "shipping_rates_id": str((delivery.get("shippingRates") or {}).get("id") or ""),
        "external_id": str((offer.get("external") or {}).get("id") or ""),
        "validation_errors": errors,
        "has_errors": bool(errors),
        "status": status,
    }


def form_data_from_allegro(offer: Mapping[str, Any]) -> dict[str, Any]:
    """The offer form's data from a full ``GET /sale/product-offers/{id}`` body.

    Used to edit offers made elsewhere and to list a similar one. Images stay Allegro URLs
    (``remote_images``) until the merchant picks shop images instead.
    """
    selling = offer.get("sellingMode") or {}
    publication = offer.get("publication") or {}
    delivery = offer.get("delivery") or {}
    location = offer.get("location") or {}
    services = offer.get("afterSalesServices") or {}
    element = (offer.get("productSet") or [{}])[0] or {}
    product = element.get("product") or {}
    parameters: dict[str, list[str]] = {}
    for parameter in list(offer.get("parameters") or []) + list(product.get("parameters") or []):
        pid = str(parameter.get("id"))
        if parameter.get("valuesIds"):
            parameters[pid] = [str(v) for v in parameter["valuesIds"]]
        elif parameter.get("rangeValue"):
            rng = parameter["rangeValue"]
            parameters[pid] = [str(rng.get("from")), str(rng.get("to"))]
        elif parameter.get("values"):
            parameters[pid] = [str(v) for v in parameter["values"]]
    sections = []
    for section in (offer.get("description") or {}).get("sections") or []:
        text = " ".join(
            str(item.get("content") or "")
            for item in section.get("items") or []
            if item.get("type") == "TEXT"
        )
        sections.append({"text": text, "image_id": None})

    def amount(key: str) -> str | None:
        value = (selling.get(key) or {}).get("amount")
        return str(value) if value not in (None, "") else None

    safety = element.get("safetyInformation") or {}
    return {
        "name": offer.get("name") or "",
        "category_id": str((offer.get("category") or {}).get("id") or ""),
        "catalog_product_id": str(product.get("id") or "") if product.get("id") else "",
        "selling_format": selling.get("format") or "BUY_NOW",
        "price": amount("price"),
        "starting_price": amount("startingPrice"),
        "minimal_price": amount("minimalPrice"),
        "quantity": int((offer.get("stock") or {}).get("available") or 1),
        "duration": publication.get("duration") or "",
        "republish": bool(publication.get("republish")),
        "shipping_rates_id": str((delivery.get("shippingRates") or {}).get("id") or ""),
        "handling_time": delivery.get("handlingTime") or "PT24H",
        "invoice": (offer.get("payments") or {}).get("invoice") or "VAT",
        "province": location.get("province") or "",
        "city": location.get("city") or "",
        "post_code": location.get("postCode") or "",
        "image_ids": [],
        "remote_images": [str(url) for url in offer.get("images") or [] if isinstance(url, str)],
        "description": sections,
        "parameters": parameters,
        "return_policy_id": str((services.get("returnPolicy") or {}).get("id") or ""),
        "implied_warranty_id": str((services.get("impliedWarranty") or {}).get("id") or ""),
        "warranty_id": str((services.get("warranty") or {}).get("id") or ""),
        "responsible_producer": str((element.get("responsibleProducer") or {}).get("name") or ""),
        "safety": "before_gpsr" if element.get("marketedBeforeGPSRObligation") else "text",
        "safety_text": str(safety.get("description") or ""),
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
