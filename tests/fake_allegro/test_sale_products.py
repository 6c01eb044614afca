"""Product catalog search and image uploads of the emulator."""

from __future__ import annotations

import json

import httpx

from fake_allegro import Emulator
from fake_allegro.sale.seed_products import SHARED_GTIN, isbn13
from fake_allegro.spec import MEDIA_TYPE


def test_gtin_search_finds_every_product_sharing_the_code(emulator_http: httpx.Client):
    response = emulator_http.get("/sale/products", params={"phrase": SHARED_GTIN, "mode": "GTIN"})
    assert response.status_code == 200
    products = response.json()["products"]
    assert len(products) == 2
    assert {p["category"]["id"] for p in products} == {"165"}
    assert all(p["name"].startswith("Smartfon Xiaomi Redmi Note 13") for p in products)


def test_book_found_by_isbn_carries_category_parameters(emulator_http: httpx.Client):
    isbn = isbn13(1000 + 37)  # the first seeded book
    products = emulator_http.get("/sale/products", params={"phrase": isbn, "mode": "GTIN"}).json()[
        "products"
    ]
    assert len(products) == 1
    book = products[0]
    assert book["name"] == "Lalka - Bolesław Prus"
    assert [c["name"] for c in book["category"]["path"]] == [
        "Książki i Komiksy",
        "Książki",
        "Literatura piękna",
    ]
    params = {p["id"]: p for p in book["parameters"]}
    assert params["245669"]["values"] == [isbn]
    assert params["245669"]["options"]["isGTIN"] is True
    assert params["245226"]["valuesIds"] == ["245226_1"]
    assert book["images"][0]["url"].startswith("http://fake-allegro.test/images/original/")
    assert book["productSafety"]["safetyInformation"]["type"] == "TEXT"
    again = emulator_http.get(f"/sale/products/{book['id']}").json()
    assert again["id"] == book["id"]
    assert again["parameters"] == book["parameters"]


def test_phrase_search_pages_with_a_cursor(emulator_http: httpx.Client):
    seen: list[str] = []
    params = {"phrase": "smartfon"}
    pages = 0
    while True:
        body = emulator_http.get("/sale/products", params=params).json()
        seen.extend(p["id"] for p in body["products"])
        pages += 1
        if "nextPage" not in body or body["nextPage"] is None:
            break
        params = {"phrase": "smartfon", "page.id": body["nextPage"]["id"]}
    assert len(seen) == len(set(seen)) == 7
    all_books = emulator_http.get("/sale/products", params={"category.id": "91421"}).json()
    assert len(all_books["products"]) == 10
    assert all_books["nextPage"]["id"]
    assert pages == 1


def test_unknown_product_is_404(emulator_http: httpx.Client):
    assert emulator_http.get("/sale/products/00000000-0000-4000-8000-000000000000").status_code == (
        404
    )


def test_image_upload_from_bytes_and_from_url(emulator: Emulator, emulator_http: httpx.Client):
    response = emulator_http.post(
        "/sale/images", content=b"\xff\xd8\xff\xe0fakejpeg", headers={"Content-Type": "image/jpeg"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["location"].startswith("https://a.allegroimg.com/original/")
    assert body["expiresAt"].endswith("Z")
    linked = emulator_http.post(
        "/sale/images",
        content=json.dumps({"url": "https://sklep.example.pl/zdjecia/1.jpg"}),
        headers={"Content-Type": MEDIA_TYPE},
    )
    assert linked.status_code == 201
    assert linked.json()["location"] != body["location"]
    by_ip = emulator_http.post(
        "/sale/images",
        content=json.dumps({"url": "http://10.0.0.1/a.jpg"}),
        headers={"Content-Type": MEDIA_TYPE},
    )
    assert by_ip.status_code == 422


def test_image_upload_rejects_wrong_type_and_too_big(
    emulator: Emulator, emulator_http: httpx.Client
):
    gif = emulator_http.post(
        "/sale/images", content=b"GIF89a", headers={"Content-Type": "image/gif"}
    )
    assert gif.status_code == 415
    emulator.world.sale.image_max_bytes = 1000
    big = emulator_http.post(
        "/sale/images", content=b"\x89PNG" + b"0" * 2000, headers={"Content-Type": "image/png"}
    )
    assert big.status_code == 413
    not_png = emulator_http.post(
        "/sale/images", content=b"hello", headers={"Content-Type": "image/png"}
    )
    assert not_png.status_code == 422
