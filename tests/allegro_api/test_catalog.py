"""Me, categories, parameters, matching categories, catalog products, images."""

from __future__ import annotations

import pytest

from allegro_api import AllegroClient, NotFound
from allegro_api._transport import MEDIA_TYPE
from tests.allegro_api.allegro_client_support import RequestAudit


def test_me(client: AllegroClient) -> None:
    me = client.me.get()
    assert me.login == "demo-sprzedawca"
    assert me.id
    assert me.base_marketplace is not None
    assert me.base_marketplace.id == "allegro-pl"
    assert me.company is not None


def test_category_tree_and_parameters(client: AllegroClient) -> None:
    roots = client.categories.list().categories
    assert roots
    category = roots[0]
    while not category.leaf:
        assert category.id is not None
        children = client.categories.list(parent_id=category.id).categories
        assert all(c.parent is not None and c.parent.id == category.id for c in children)
        category = client.categories.get(children[0].id or "")
    assert category.id is not None
    parameters = client.categories.parameters(category.id).parameters
    assert parameters
    condition = next(p for p in parameters if p.type == "dictionary")
    assert condition.dictionary
    assert condition.dictionary[0].id
    assert any(p.describes_product for p in parameters)


def test_unknown_category_is_not_found(client: AllegroClient, audit: RequestAudit) -> None:
    with pytest.raises(NotFound) as caught:
        client.categories.get("999999999")
    assert caught.value.trace_id


def test_matching_categories(client: AllegroClient) -> None:
    suggestions = client.categories.matching(name="smartfon samsung").matching_categories
    assert suggestions[0].name == "Smartfony"
    assert suggestions[0].parent is not None


def test_product_search_pages_and_get(client: AllegroClient) -> None:
    first = client.products.search(phrase="a")
    assert first.products
    assert first.next_page_id
    second = client.products.search(phrase="a", page_id=first.next_page_id)
    assert {p.id for p in first.products}.isdisjoint({p.id for p in second.products})
    everything = list(client.products.iter_search(phrase="a"))
    assert len(everything) >= len(first.products) + len(second.products)
    assert len({p.id for p in everything}) == len(everything)
    product = client.products.get(everything[0].id or "")
    assert product.name == everything[0].name
    assert product.category is not None


def test_product_search_by_gtin(client: AllegroClient) -> None:
    product = next(p for p in client.products.iter_search(phrase="a") if p.parameters)
    gtin = next(
        (
            v
            for p in product.parameters or []
            if (p.options or {}).get("isGTIN")
            for v in p.values or []
        ),
        None,
    )
    if gtin is None:
        pytest.skip("no seeded product carries a GTIN parameter")
    found = client.products.search(phrase=gtin, mode="GTIN").products
    assert [p.id for p in found] == [product.id]


def test_image_upload_bytes_and_url(client: AllegroClient, audit: RequestAudit) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    uploaded = client.images.upload(png, content_type="image/png")
    assert uploaded.location
    assert uploaded.location.startswith("https://")
    assert uploaded.expires_at is not None
    from_url = client.images.upload_from_url("https://sklep.example/images/kubek.jpg")
    assert from_url.location
    posts = audit.entries(method="POST", path="/sale/images")
    assert [e["status"] for e in posts] == [201, 201]
    with pytest.raises(ValueError, match="unsupported image type"):
        client.images.upload(b"x", content_type="text/plain")
    assert MEDIA_TYPE
