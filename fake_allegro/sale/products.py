"""The product catalog (``/sale/products``) and image uploads (``POST /sale/images``)."""

from __future__ import annotations

import base64
import ipaddress
import json
import uuid
from typing import Any
from urllib.parse import urlparse

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call, Reply, endpoint
from fake_allegro.sale.common import sale_state
from fake_allegro.sale.state import IMAGE_HOST, Image, Product, SaleState, time_str

PAGE_SIZE = 10
IMAGE_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG", "image/webp": b"RIFF"}


def _path(state: SaleState, category_id: str) -> list[dict[str, str]]:
    return [{"id": c.id, "name": c.name} for c in state.category_path(category_id)]


def render_product(state: SaleState, product: Product) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": product.id,
        "name": product.name,
        "category": {
            "id": product.category_id,
            "path": _path(state, product.category_id),
            "similar": [],
        },
        "images": [{"url": url} for url in product.images],
        "parameters": product.parameters,
        "description": {
            "sections": [{"items": [{"type": "TEXT", "content": f"<p>{product.name}</p>"}]}]
        },
        "publication": {"status": product.status},
        "hasProtectedBrand": False,
        "productSafety": None,
    }
    if product.producer:
        producer_id = str(uuid.uuid5(uuid.NAMESPACE_DNS, product.producer))
        body["productSafety"] = {
            "responsibleProducers": [{"id": producer_id, "name": product.producer[:50]}],
            "safetyInformation": {
                "type": "TEXT",
                "description": f"Produkt zgodny z normami UE. Producent: {product.producer}.",
            },
        }
    return body


def _matches(product: Product, phrase: str, mode: str | None) -> bool:
    if mode == "GTIN":
        return product.gtin == phrase.replace("-", "").strip()
    if mode == "MPN":
        return (product.mpn or "").lower() == phrase.strip().lower()
    words = phrase.lower().split()
    haystack = " ".join(
        [product.name.lower(), product.gtin or "", (product.mpn or "").lower()]
        + [str(v).lower() for p in product.parameters for v in p.get("values") or []]
    )
    return all(w in haystack for w in words)


@endpoint("GET", "/sale/products")
def search_products(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    phrase = call.query.get("phrase", "")
    mode = call.query.get("mode")
    category = call.query.get("category.id")
    if mode and not phrase:
        raise ApiError.one(
            422, "VALIDATION_ERROR", "phrase is required when mode is given", path="phrase"
        )
    if not phrase and not category:
        raise ApiError.one(422, "VALIDATION_ERROR", "Give a phrase or a category", path="phrase")
    found = [
        p
        for p in sorted(state.products.values(), key=lambda p: (p.category_id, p.name))
        if (not phrase or _matches(p, phrase, mode))
        and (not category or category in {c.id for c in state.category_path(p.category_id)})
    ]
    start = 0
    if page_id := call.query.get("page.id"):
        try:
            start = int(base64.urlsafe_b64decode(page_id.encode()).decode())
        except ValueError:
            raise ApiError.one(422, "VALIDATION_ERROR", "Invalid page.id", path="page.id") from None
    chunk = found[start : start + PAGE_SIZE]
    body: dict[str, Any] = {
        "products": [render_product(state, p) for p in chunk],
        "categories": {
            "subcategories": _subcategories(state, found),
            "path": _path(state, category) if category in state.categories else [],
        },
        "filters": [],
    }
    if start + PAGE_SIZE < len(found):
        token = base64.urlsafe_b64encode(str(start + PAGE_SIZE).encode()).decode()
        body["nextPage"] = {"id": token}
    return body


def _subcategories(state: SaleState, products: list[Product]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for product in products:
        counts[product.category_id] = counts.get(product.category_id, 0) + 1
    return [
        {"id": cid, "name": state.categories[cid].name, "count": n}
        for cid, n in sorted(counts.items())
    ]


@endpoint("GET", "/sale/products/{productId}")
def get_product(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    product = state.products.get(call.params["productId"])
    if product is None:
        raise ApiError.one(
            404,
            "NOT_FOUND",
            f"Product {call.params['productId']} not found",
            user_message="Nie znaleziono produktu.",
        )
    return render_product(state, product)


def _url_allowed(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    try:
        ipaddress.ip_address(parsed.hostname)
    except ValueError:
        return "." in parsed.hostname
    return False


@endpoint("POST", "/sale/images", host="upload")
def upload_image(call: Call) -> Reply:
    seller = call.require_seller()
    state = sale_state(call)
    content_type = (call.request.mimetype or "").lower()
    raw = call.request.get_data()
    if content_type == "application/vnd.allegro.public.v1+json":
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise ApiError.one(400, "JsonMappingException", "Malformed JSON") from None
        url = str((body or {}).get("url", ""))
        if not _url_allowed(url):
            raise ApiError.one(
                422,
                "IllegalImageUrlException",
                "Image URL must be http(s) with a domain name, not an IP address",
                user_message="Adres zdjęcia musi zawierać nazwę domeny.",
                path="url",
            )
    elif content_type in IMAGE_TYPES:
        if len(raw) > state.image_max_bytes:
            raise ApiError.one(
                413,
                "PayloadTooLargeException",
                f"Image larger than {state.image_max_bytes} bytes",
                user_message="Zdjęcie jest za duże.",
            )
        if not raw.startswith(IMAGE_TYPES[content_type]):
            raise ApiError.one(
                422,
                "InvalidImageException",
                f"The file is not a valid {content_type} image",
                user_message="Przesłany plik nie jest poprawnym zdjęciem.",
            )
    else:
        raise ApiError.one(
            415,
            "NotSupportedException",
            f"Content type {content_type or '(none)'} is not supported",
            user_message="Nieobsługiwany format pliku: wyślij JPEG, PNG lub WEBP.",
        )
    image_id = uuid.UUID(int=state.rng.getrandbits(128), version=4).hex
    location = f"{IMAGE_HOST}/{image_id[:2]}/{image_id}"
    image = Image(image_id, seller.id, location, state.now() + state.image_ttl)
    state.images[image_id] = image
    return Reply(201, {"location": location, "expiresAt": time_str(image.expires_at)})
