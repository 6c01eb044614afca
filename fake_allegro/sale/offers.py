"""Product offers: create and edit (202 + operation), read, delete drafts, list and filter."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from fake_allegro.errors import ApiError, ErrorItem
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.common import base_url, int_query, own_offer, page, sale_state
from fake_allegro.sale.state import Offer, Operation, Product, SaleState, time_str, value_label
from fake_allegro.sale.validation import check_offer, check_parameters, error

# Top-level keys kept as offer attributes rather than in ``Offer.data``.
_ATTRIBUTE_KEYS = ("name", "category", "stock", "external")
_MERGED_KEYS = ("sellingMode", "stock", "delivery", "publication")
_PRODUCT_SET_EXTRAS = (
    "responsiblePerson",
    "responsibleProducer",
    "safetyInformation",
    "marketedBeforeGPSRObligation",
    "deposits",
    "composition",
)


# --- the stored shape ----------------------------------------------------------------------------


def offer_view(offer: Offer) -> dict[str, Any]:
    """The offer as one request-shaped dict (a deep copy): what validation looks at."""
    view = copy.deepcopy(offer.data)
    view["name"] = offer.name
    view["category"] = {"id": offer.category_id} if offer.category_id else None
    view["stock"] = {"available": offer.available, "unit": offer.stock_unit}
    view["external"] = {"id": offer.external_id} if offer.external_id else None
    return view


def apply_view(state: SaleState, offer: Offer, view: dict[str, Any]) -> None:
    offer.name = view.get("name")
    offer.category_id = (view.get("category") or {}).get("id")
    selling = view.get("sellingMode") or {}
    offer.selling_format = selling.get("format") or "BUY_NOW"
    price = selling.get("price") or selling.get("startingPrice")
    offer.price = str(price["amount"]) if price else None
    offer.currency = str(price.get("currency", "PLN")) if price else "PLN"
    stock = view.get("stock") or {}
    offer.available = int(stock.get("available") or 0)
    offer.stock_unit = stock.get("unit") or "UNIT"
    offer.external_id = (view.get("external") or {}).get("id")
    data = {k: v for k, v in view.items() if k not in _ATTRIBUTE_KEYS}
    publication = dict(data.get("publication") or {})
    publication.pop("status", None)
    data["publication"] = publication
    offer.data = data
    offer.updated_at = state.now()
    state.use_images([str(u) for u in data.get("images") or []])


# --- resolving references ------------------------------------------------------------------------


def _by_id_or_name(
    items: dict[str, dict[str, Any]],
    ref: dict[str, Any],
    what: str,
    path: str,
    errors: list[ErrorItem],
) -> dict[str, Any] | None:
    if ref.get("id"):
        if str(ref["id"]) in items:
            return {"id": str(ref["id"])}
        errors.append(
            error(
                f"{what}NotFoundException",
                f"{what} {ref['id']} not found",
                f"Nie znaleziono ustawień „{ref['id']}” ({path}).",
                path,
                requestedName=str(ref["id"]),
            )
        )
        return None
    if ref.get("name"):
        found = [i for i, item in items.items() if item.get("name") == ref["name"]]
        if len(found) == 1:
            return {"id": found[0]}
        code = f"{what}NotFoundException" if not found else f"{what}NotUniqueException"
        if what == "ShippingRates" and found:
            code = "NonUniqueShippingRatesException"
        errors.append(
            error(
                code,
                f"{what} named '{ref['name']}': {len(found)} found",
                f"Nazwa „{ref['name']}” nie wskazuje jednoznacznie ustawień ({path}).",
                path,
                requestedName=str(ref["name"]),
            )
        )
    return None


def _resolve_product(
    state: SaleState,
    product: dict[str, Any],
    path: str,
    errors: list[ErrorItem],
    proposals: list[Product],
) -> str | None:
    product_id, id_type = product.get("id"), product.get("idType")
    if product_id and id_type in ("GTIN", "MPN"):
        found = state.products_by_code(str(product_id), str(id_type))
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            errors.append(
                error(
                    "MultipleProductsFoundException",
                    f"Several products match {id_type} {product_id}",
                    f"Kod {product_id} pasuje do kilku produktów: wskaż produkt po jego"
                    " identyfikatorze.",
                    f"{path}.id",
                    foundProductsIds=",".join(p.id for p in found),
                )
            )
            return None
        if not product.get("name"):
            errors.append(
                error(
                    "ProductNotFoundException",
                    f"No product with {id_type} {product_id}",
                    f"Nie znaleziono produktu o kodzie {product_id}.",
                    f"{path}.id",
                    productId=str(product_id),
                )
            )
            return None
    elif product_id:
        if str(product_id) in state.products:
            return str(product_id)
        errors.append(
            error(
                "ProductNotFoundException",
                f"Product {product_id} not found",
                f"Nie znaleziono produktu {product_id}.",
                f"{path}.id",
                productId=str(product_id),
            )
        )
        return None
    return _propose_product(state, product, path, errors, proposals)


def _propose_product(
    state: SaleState,
    product: dict[str, Any],
    path: str,
    errors: list[ErrorItem],
    proposals: list[Product],
) -> str | None:
    """A product defined in the offer becomes a PROPOSED catalog product (once it is saved)."""
    category_id = str((product.get("category") or {}).get("id") or "")
    if not product.get("name") or category_id not in state.categories:
        errors.append(
            error(
                "IncompleteProductDefinition",
                "A new product needs a name, a category and its parameters",
                "Aby zaproponować nowy produkt, podaj jego nazwę, kategorię i parametry.",
                path,
            )
        )
        return None
    normalised, problems = check_parameters(
        state, category_id, product.get("parameters") or [], "product", f"{path}.parameters"
    )
    if problems:
        errors.extend(problems)
        return None
    parameters = []
    for entry in normalised:
        definition = state.parameter(category_id, entry["id"])
        assert definition is not None
        rendered = render_parameter(definition, entry)
        rendered["options"] = {"identifiesProduct": False, "isGTIN": False}
        parameters.append(rendered)
    gtin = str(product["id"]) if product.get("idType") == "GTIN" else None
    new = Product(
        id=state.new_uuid(),
        name=str(product["name"]),
        category_id=category_id,
        parameters=parameters,
        images=[str(u) for u in product.get("images") or []],
        gtin=gtin,
        mpn=str(product["id"]) if product.get("idType") == "MPN" else None,
        producer=None,
        status="PROPOSED",
    )
    proposals.append(new)
    return new.id


def normalise_body(
    state: SaleState,
    seller_id: str,
    body: dict[str, Any],
    errors: list[ErrorItem],
    proposals: list[Product],
) -> dict[str, Any]:
    """The request body in stored shape: products, shipping rates and conditions resolved."""
    sale = state.seller(seller_id)
    data = copy.deepcopy(body)
    if "productSet" in body:
        product_set = []
        for n, item in enumerate(body.get("productSet") or []):
            product = item.get("product") or {}
            resolved = _resolve_product(
                state, product, f"productSet[{n}].product", errors, proposals
            )
            entry: dict[str, Any] = {
                "product": {
                    "id": resolved,
                    "parameters": product.get("parameters") or [],
                    "images": product.get("images") or [],
                },
                "quantity": item.get("quantity") or {"value": 1},
            }
            for key in _PRODUCT_SET_EXTRAS:
                if key in item:
                    entry[key] = item[key]
            catalog = state.products.get(resolved or "")
            if catalog is not None and catalog.producer and "safetyInformation" not in item:
                entry["safetyInformation"] = {
                    "type": "TEXT",
                    "description": f"Produkt zgodny z normami UE. Producent: {catalog.producer}.",
                }
            product_set.append(entry)
        data["productSet"] = product_set
        first = state.products.get(product_set[0]["product"]["id"] or "") if product_set else None
        if not body.get("category") and first is not None:
            data["category"] = {"id": first.category_id}
    delivery = body.get("delivery")
    if delivery and delivery.get("shippingRates"):
        data["delivery"]["shippingRates"] = _by_id_or_name(
            sale.shipping_rates,
            delivery["shippingRates"],
            "ShippingRates",
            "delivery.shippingRates",
            errors,
        )
    after_sales = body.get("afterSalesServices")
    if after_sales:
        for key, items, what in (
            ("returnPolicy", sale.return_policies, "ReturnPolicy"),
            ("impliedWarranty", sale.implied_warranties, "ImpliedWarranty"),
            ("warranty", sale.warranties, "Warranty"),
        ):
            if after_sales.get(key):
                data["afterSalesServices"][key] = _by_id_or_name(
                    items, after_sales[key], what, f"afterSalesServices.{key}", errors
                )
    return data


# --- rendering -----------------------------------------------------------------------------------


def render_parameter(definition: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": definition["id"], "name": definition["name"]}
    if definition["type"] == "dictionary":
        ids = list(entry.get("valuesIds") or [])
        labels = [value_label(definition, i) or i for i in ids]
        ambiguous = definition["options"].get("ambiguousValueId")
        custom = list(entry.get("values") or [])
        if custom and ambiguous in ids:
            labels = [label for i, label in zip(ids, labels, strict=True) if i != ambiguous]
        out["valuesIds"] = ids
        out["values"] = labels + custom
        out["rangeValue"] = None
    elif entry.get("rangeValue"):
        out["rangeValue"] = dict(entry["rangeValue"])
        out["values"] = []
        out["valuesIds"] = None
    else:
        out["values"] = list(entry.get("values") or [])
        out["valuesIds"] = None
        out["rangeValue"] = None
    return out


def _render_parameters(
    state: SaleState, category_id: str | None, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rendered = []
    for entry in entries:
        definition = state.parameter(category_id or "", str(entry.get("id")))
        if definition is not None:
            rendered.append(render_parameter(definition, entry))
    return rendered


def render_offer(state: SaleState, offer: Offer) -> dict[str, Any]:
    data = offer.data
    product_set = []
    for item in data.get("productSet") or []:
        product = item.get("product") or {}
        catalog = state.products.get(str(product.get("id")))
        rendered = {k: v for k, v in item.items() if k != "product"}
        rendered["product"] = {
            "id": product.get("id"),
            "publication": {"status": catalog.status if catalog else "LISTED"},
            "parameters": _render_parameters(
                state, offer.category_id, product.get("parameters") or []
            ),
            "isAiCoCreated": False,
        }
        product_set.append(rendered)
    publication = dict(data.get("publication") or {})
    publication.update(
        {
            "status": offer.status,
            "startingAt": time_str(offer.starting_at),
            "endingAt": None,
            "endedBy": offer.ended_by,
            "marketplaces": {"base": {"id": "allegro-pl"}, "additional": []},
        }
    )
    publication.setdefault("duration", None)
    publication.setdefault("republish", False)
    selling = dict(data.get("sellingMode") or {})
    selling.setdefault("format", offer.selling_format)
    after_sales = data.get("afterSalesServices") or None
    body: dict[str, Any] = {
        "id": offer.id,
        "name": offer.name,
        "productSet": product_set,
        "parameters": _render_parameters(state, offer.category_id, data.get("parameters") or []),
        "category": {"id": offer.category_id} if offer.category_id else None,
        "sellingMode": selling,
        "stock": {"available": offer.available, "unit": offer.stock_unit},
        "delivery": {
            "handlingTime": (data.get("delivery") or {}).get("handlingTime", "PT24H"),
            "shippingRates": (data.get("delivery") or {}).get("shippingRates"),
            "shipmentDate": (data.get("delivery") or {}).get("shipmentDate"),
            "additionalInfo": None,
        },
        "afterSalesServices": after_sales,
        "publication": publication,
        "payments": data.get("payments") or {"invoice": "VAT"},
        "location": data.get("location")
        or {
            "city": "Poznań",
            "countryCode": "PL",
            "postCode": "61-888",
            "province": "WIELKOPOLSKIE",
        },
        "images": list(data.get("images") or []),
        "description": data.get("description") or {"sections": []},
        "external": {"id": offer.external_id} if offer.external_id else None,
        "b2b": data.get("b2b") or {"buyableOnlyByBusiness": False},
        "attachments": data.get("attachments") or [],
        "additionalMarketplaces": {},
        "additionalServices": data.get("additionalServices"),
        "fundraisingCampaign": data.get("fundraisingCampaign"),
        "contact": data.get("contact"),
        "discounts": {"wholesalePriceList": None},
        "sizeTable": data.get("sizeTable"),
        "taxSettings": data.get("taxSettings"),
        "messageToSellerSettings": data.get("messageToSellerSettings"),
        "language": data.get("language") or "pl-PL",
        "validation": {
            "errors": list(offer.validation_errors),
            "warnings": [],
            "validatedAt": time_str(offer.validated_at or offer.updated_at),
        },
        "warnings": [],
        "createdAt": time_str(offer.created_at),
        "updatedAt": time_str(offer.updated_at),
    }
    return body


# --- endpoints -----------------------------------------------------------------------------------


def _accepted(call: Call, state: SaleState, offer: Offer, target: str | None) -> Reply:
    operation = Operation(
        id=state.new_uuid(),
        offer_id=offer.id,
        seller_id=offer.seller_id,
        started_at=state.now(),
        target_status=target,
    )
    state.operations[operation.id] = operation
    location = f"{base_url(call)}/sale/product-offers/{offer.id}/operations/{operation.id}"
    return Reply(
        202,
        render_offer(state, offer),
        headers={"Location": location, "Retry-After": str(state.retry_after)},
    )


def _body(call: Call) -> dict[str, Any]:
    body = call.body()
    if not isinstance(body, dict):
        raise ApiError.one(400, "JsonMappingException", "Request body must be a JSON object")
    return body


@endpoint("POST", "/sale/product-offers")
def create_product_offer(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    body = _body(call)
    errors: list[ErrorItem] = []
    proposals: list[Product] = []
    view = normalise_body(state, seller.id, body, errors, proposals)
    if errors:
        raise ApiError(422, *errors)
    hard, publication = check_offer(state, seller.id, view)
    if hard:
        raise ApiError(422, *hard)
    target = (body.get("publication") or {}).get("status")
    if target in ("ACTIVE", "ACTIVATING") and publication:
        raise ApiError(422, *publication)
    for product in proposals:
        state.products[product.id] = product
    now = state.now()
    offer = Offer(
        id=state.new_offer_id(),
        seller_id=seller.id,
        name=None,
        category_id=None,
        price=None,
        currency="PLN",
        available=0,
        stock_unit="UNIT",
        external_id=None,
        selling_format="BUY_NOW",
        status="INACTIVE",
        created_at=now,
        updated_at=now,
    )
    apply_view(state, offer, view)
    offer.validation_errors = [e.as_json() for e in publication]
    offer.validated_at = now
    state.offers[offer.id] = offer
    return _accepted(call, state, offer, target if target in ("ACTIVE", "ACTIVATING") else None)


@endpoint("PATCH", "/sale/product-offers/{offerId}")
def edit_product_offer(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"])
    if state.pending_operation(offer.id) is not None:
        raise ApiError.one(
            409,
            "OperationInProgressException",
            f"Previous edition of offer {offer.id} is still being processed",
            user_message="Poprzednia zmiana oferty jest jeszcze przetwarzana. Spróbuj za chwilę.",
        )
    body = _body(call)
    errors: list[ErrorItem] = []
    proposals: list[Product] = []
    patch = normalise_body(state, seller.id, body, errors, proposals)
    if errors:
        raise ApiError(422, *errors)
    view = offer_view(offer)
    for key, value in patch.items():
        if key in _MERGED_KEYS and isinstance(value, dict) and isinstance(view.get(key), dict):
            view[key] = {**view[key], **value}
        else:
            view[key] = value
    hard, publication = check_offer(state, seller.id, view)
    if hard:
        raise ApiError(422, *hard)
    target = (body.get("publication") or {}).get("status")
    live = offer.status in ("ACTIVE", "ACTIVATING")
    # Zero stock does not block a live offer: it ends it.
    blocking = [e for e in publication if not (live and e.path == "stock.available")]
    if blocking and (target in ("ACTIVE", "ACTIVATING") or (live and target != "ENDED")):
        raise ApiError(422, *blocking)
    for product in proposals:
        state.products[product.id] = product
    old_price, old_currency, old_stock = offer.price, offer.currency, offer.available
    apply_view(state, offer, view)
    offer.validation_errors = [e.as_json() for e in publication]
    offer.validated_at = state.now()
    if live:
        new_stock = offer.available
        offer.available = old_stock
        state.set_stock(offer, new_stock)
        if (offer.price, offer.currency) != (old_price, old_currency):
            state.emit(offer, "OFFER_PRICE_CHANGED")
        if set(body) - {"stock", "sellingMode", "publication"}:
            state.emit(offer, "OFFER_CHANGED")
    wanted = target if target in ("ACTIVE", "ACTIVATING", "ENDED") else None
    return _accepted(call, state, offer, wanted)


@endpoint("GET", "/sale/product-offers/{offerId}/operations/{operationId}")
def product_offer_operation(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    operation = state.operations.get(call.params["operationId"])
    if (
        operation is None
        or operation.offer_id != call.params["offerId"]
        or operation.seller_id != seller.id
    ):
        raise ApiError.one(
            404,
            "NOT_FOUND",
            "Operation does not exist",
            user_message="Operacja nie istnieje.",
        )
    if not operation.done:
        operation.polls += 1
        if operation.polls > state.operation_pending_polls:
            state.complete_operation(operation)
    if operation.done:
        location = f"{base_url(call)}/sale/product-offers/{operation.offer_id}"
        return Reply(303, None, headers={"Location": location})
    return Reply(
        202,
        {
            "offer": {"id": operation.offer_id},
            "operation": {
                "id": operation.id,
                "status": "IN_PROGRESS" if operation.polls else "PENDING",
                "startedAt": time_str(operation.started_at),
            },
        },
        headers={"Retry-After": str(state.retry_after)},
    )


@endpoint("GET", "/sale/product-offers/{offerId}")
def get_product_offer(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"])
    return render_offer(state, offer)


@endpoint("GET", "/sale/product-offers/{offerId}/parts")
def get_product_offer_parts(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"])
    parts = call.query.getlist("include")
    unknown = [p for p in parts if p not in ("stock", "price")]
    if unknown or not parts:
        raise ApiError.one(
            422,
            "UnknownProductOfferPartException",
            f"Unknown offer part: {','.join(unknown) or '(none)'}",
            metadata={"requestedPart": ",".join(unknown), "validParts": "stock,price"},
        )
    body: dict[str, Any] = {"id": offer.id}
    if "stock" in parts:
        body["stock"] = {"available": offer.available}
    if "price" in parts and offer.price is not None:
        body["sellingMode"] = {"price": {"amount": offer.price, "currency": offer.currency}}
    return body


@endpoint("DELETE", "/sale/offers/{offerId}")
def delete_offer(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    offer = own_offer(state, seller.id, call.params["offerId"])
    if offer.status != "INACTIVE" or offer.started_at is not None:
        raise ApiError.one(
            403,
            "OfferNotDraftException",
            f"Offer {offer.id} is not a draft; only drafts can be deleted",
            user_message="Można usunąć tylko szkic oferty (nigdy niewystawiony).",
        )
    del state.offers[offer.id]
    return Reply(204, None)


# --- listing -------------------------------------------------------------------------------------


def render_listing(offer: Offer) -> dict[str, Any]:
    data = offer.data
    selling = data.get("sellingMode") or {}
    images = data.get("images") or []
    price = {"amount": offer.price, "currency": offer.currency} if offer.price is not None else None
    return {
        "id": offer.id,
        "name": offer.name,
        "category": {"id": offer.category_id},
        "primaryImage": {"url": images[0]} if images else None,
        "sellingMode": {
            "format": offer.selling_format,
            "price": price if offer.selling_format != "AUCTION" else selling.get("price"),
            "minimalPrice": selling.get("minimalPrice"),
            "startingPrice": selling.get("startingPrice"),
            "priceAutomation": None,
        },
        "saleInfo": {"currentPrice": None, "biddersCount": 0},
        "stock": {"available": offer.available, "sold": offer.sold},
        "stats": {"watchersCount": offer.watchers, "visitsCount": offer.visits},
        "publication": {
            "status": offer.status,
            "startingAt": time_str(offer.starting_at),
            "startedAt": time_str(offer.started_at),
            "endingAt": None,
            "endedAt": time_str(offer.ended_at),
            "marketplaces": {"base": {"id": "allegro-pl"}, "additional": []},
        },
        "afterSalesServices": data.get("afterSalesServices"),
        "additionalServices": data.get("additionalServices"),
        "external": {"id": offer.external_id} if offer.external_id else None,
        "delivery": {"shippingRates": {"id": offer.shipping_rates_id}}
        if offer.shipping_rates_id
        else {"shippingRates": None},
        "b2b": {
            "buyableOnlyByBusiness": bool((data.get("b2b") or {}).get("buyableOnlyByBusiness"))
        },
        "fundraisingCampaign": data.get("fundraisingCampaign"),
        "isFulfillment": False,
        "additionalMarketplaces": {},
    }


def _bool_query(call: Call, name: str) -> bool | None:
    raw = call.query.get(name)
    if raw is None:
        return None
    return raw.lower() == "true"


@endpoint("GET", "/sale/offers")
def list_offers(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = sale_state(call)
    query = call.query
    limit = int_query(call, "limit", 20)
    offset = int_query(call, "offset", 0)
    if not 1 <= limit <= 1000 or not 0 <= offset <= 9_999_999:
        raise ApiError.one(
            422, "VALIDATION_ERROR", "limit must be 1..1000 and offset 0..9999999", path="limit"
        )
    offers = sorted(state.seller_offers(seller.id), key=lambda o: (o.created_at, o.id))
    ids = set(query.getlist("offer.id"))
    if ids:
        offers = [o for o in offers if o.id in ids]
    if name := query.get("name"):
        offers = [o for o in offers if name.lower() in (o.name or "").lower()]
    if gte := query.get("sellingMode.price.amount.gte"):
        offers = [o for o in offers if o.price is not None and Decimal(o.price) >= Decimal(gte)]
    if lte := query.get("sellingMode.price.amount.lte"):
        offers = [o for o in offers if o.price is not None and Decimal(o.price) <= Decimal(lte)]
    statuses = set(query.getlist("publication.status"))
    if statuses:
        offers = [o for o in offers if o.status in statuses]
    formats = set(query.getlist("sellingMode.format"))
    if formats:
        offers = [o for o in offers if o.selling_format in formats]
    externals = set(query.getlist("external.id"))
    if externals:
        offers = [o for o in offers if o.external_id in externals]
    if rates := query.get("delivery.shippingRates.id"):
        offers = [o for o in offers if o.shipping_rates_id == rates]
    if (no_rates := _bool_query(call, "delivery.shippingRates.id.empty")) is not None:
        offers = [o for o in offers if (o.shipping_rates_id is None) == no_rates]
    if category := query.get("category.id"):
        offers = [o for o in offers if o.category_id == category]
    if (no_product := _bool_query(call, "product.id.empty")) is not None:
        offers = [o for o in offers if (not o.product_ids) == no_product]
    if policy := query.get("afterSalesServices.returnPolicy.id"):
        offers = [
            o
            for o in offers
            if ((o.data.get("afterSalesServices") or {}).get("returnPolicy") or {}).get("id")
            == policy
        ]
    if (fulfillment := _bool_query(call, "isFulfillment")) is not None and fulfillment:
        offers = []
    sort = query.get("sort")
    if sort:
        field = sort.lstrip("-")
        keys = {
            "sellingMode.price.amount": lambda o: Decimal(o.price or "0"),
            "stock.sold": lambda o: Decimal(o.sold),
            "stock.available": lambda o: Decimal(o.available),
        }
        if field in keys:
            offers = sorted(offers, key=keys[field], reverse=sort.startswith("-"))
    chosen = page(offers, offset, limit)
    return {
        "offers": [render_listing(o) for o in chosen],
        "count": len(chosen),
        "totalCount": len(offers),
    }
