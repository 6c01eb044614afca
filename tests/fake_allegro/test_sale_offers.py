"""Product offers: creation with Allegro's validation, the 202/303 operation, edits, listing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from fake_allegro import Emulator
from fake_allegro.sale.seed_products import SHARED_GTIN, isbn13, product_id
from fake_allegro.spec import MEDIA_TYPE

JSON = {"Content-Type": MEDIA_TYPE}
IMAGE = "https://a.allegroimg.com/original/11/abcdef"


@pytest.fixture
def refs(emulator_http: httpx.Client) -> dict[str, str]:
    rates = emulator_http.get("/sale/shipping-rates").json()["shippingRates"]
    base = "/after-sales-service-conditions"
    return {
        "rates": next(r["id"] for r in rates if not r["features"]["managedByAllegro"]),
        "returnPolicy": emulator_http.get(f"{base}/return-policies").json()["returnPolicies"][0][
            "id"
        ],
        "impliedWarranty": emulator_http.get(f"{base}/implied-warranties").json()[
            "impliedWarranties"
        ][0]["id"],
    }


def _offer(refs: dict[str, str], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Naszyjnik złoty z szafirem próba 375",
        "category": {"id": "19736"},
        "parameters": [{"id": "11323", "valuesIds": ["11323_1"]}],
        "productSet": [
            {
                "product": {
                    "name": "Naszyjnik złoty z szafirem",
                    "category": {"id": "19736"},
                    "parameters": [
                        {"id": "3770", "valuesIds": ["3770_1"]},
                        {"id": "3771", "valuesIds": ["3771_2"]},
                        {"id": "224017", "values": ["NZ-375-01"]},
                    ],
                }
            }
        ],
        "sellingMode": {"format": "BUY_NOW", "price": {"amount": "899.00", "currency": "PLN"}},
        "stock": {"available": 4, "unit": "UNIT"},
        "delivery": {"shippingRates": {"id": refs["rates"]}, "handlingTime": "PT24H"},
        "afterSalesServices": {
            "returnPolicy": {"id": refs["returnPolicy"]},
            "impliedWarranty": {"id": refs["impliedWarranty"]},
        },
        "images": [IMAGE],
        "external": {"id": "NZ-0001"},
        "publication": {"status": "ACTIVE"},
    }
    body.update(changes)
    return body


def _post(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post("/sale/product-offers", content=json.dumps(body), headers=JSON)


def _finish(client: httpx.Client, response: httpx.Response) -> str:
    """Poll the operation until 303 and return the offer id."""
    location = response.headers["Location"]
    path = location.split("fake-allegro.test", 1)[-1].replace("https://api.allegro.pl", "")
    for _ in range(5):
        polled = client.get(path)
        if polled.status_code == 303:
            assert polled.content == b""
            return polled.headers["Location"].rsplit("/", 1)[-1]
        assert polled.status_code == 202
        assert polled.json()["operation"]["status"] in ("PENDING", "IN_PROGRESS")
    raise AssertionError("operation never finished")


def _errors(response: httpx.Response) -> dict[str, dict[str, Any]]:
    assert response.status_code == 422, response.text
    return {e["code"]: e for e in response.json()["errors"]}


def test_create_active_offer_goes_through_the_operation(
    emulator: Emulator, emulator_http: httpx.Client, refs: dict[str, str]
):
    response = _post(emulator_http, _offer(refs))
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["id"]
    assert body["publication"]["status"] == "INACTIVE"
    assert response.headers["Retry-After"] == "1"
    assert f"/sale/product-offers/{body['id']}/operations/" in response.headers["Location"]
    first = emulator_http.get(response.headers["Location"].split("fake-allegro.test")[-1])
    assert first.status_code == 202
    assert _finish(emulator_http, response) == body["id"]
    offer = emulator_http.get(f"/sale/product-offers/{body['id']}").json()
    assert offer["publication"]["status"] == "ACTIVE"
    assert offer["validation"]["errors"] == []
    assert offer["productSet"][0]["product"]["publication"]["status"] == "PROPOSED"
    assert {p["name"] for p in offer["parameters"]} == {"Stan"}
    assert offer["parameters"][0]["values"] == ["Nowy"]
    listed = emulator_http.get("/sale/offers", params={"external.id": "NZ-0001"}).json()
    assert listed["totalCount"] == 1
    assert listed["offers"][0]["id"] == body["id"]
    events = emulator_http.get("/sale/offer-events").json()["offerEvents"]
    assert [e["type"] for e in events] == ["OFFER_ACTIVATED"]


def test_gold_fineness_is_required_for_gold_only(emulator_http: httpx.Client, refs: dict[str, str]):
    body = _offer(refs)
    product = body["productSet"][0]["product"]
    product["parameters"] = [p for p in product["parameters"] if p["id"] != "3771"]
    errors = _errors(_post(emulator_http, body))
    missing = errors["ConstraintViolationException.MissingRequiredParameters"]
    assert missing["metadata"]["missingParameterIds"] == "3771"
    assert missing["metadata"]["missingParameterNames"] == "Próba złota"
    product["parameters"] = [
        {"id": "3770", "valuesIds": ["3770_3"]},  # surgical steel: no fineness at all
        {"id": "224017", "values": ["NZ-STEEL"]},
    ]
    assert _post(emulator_http, body).status_code == 202


def test_ean_required_for_new_items_unless_a_manufacturer_code_is_given(
    emulator_http: httpx.Client, refs: dict[str, str]
):
    body = _offer(refs)
    product = body["productSet"][0]["product"]
    product["parameters"] = [p for p in product["parameters"] if p["id"] != "224017"]
    missing = _errors(_post(emulator_http, body))[
        "ConstraintViolationException.MissingRequiredParameters"
    ]
    assert missing["metadata"]["missingParameterIds"] == "225693"
    body["parameters"] = [{"id": "11323", "valuesIds": ["11323_2"]}]  # used: no EAN needed
    assert _post(emulator_http, body).status_code == 202


def test_book_isbn_comes_from_the_catalog_product(
    emulator_http: httpx.Client, refs: dict[str, str]
):
    body = _offer(
        refs,
        name="Lalka Bolesław Prus wydanie w twardej oprawie",
        category={"id": "66779"},
        productSet=[{"product": {"id": isbn13(1037), "idType": "GTIN"}}],
    )
    response = _post(emulator_http, body)
    assert response.status_code == 202, response.text
    assert response.json()["productSet"][0]["product"]["id"] == product_id("book-1")
    used_without_isbn = _offer(
        refs,
        name="Książka używana bez numeru ISBN stan dobry",
        category={"id": "79158"},
        productSet=[],
        parameters=[{"id": "11323", "valuesIds": ["11323_2"]}],
    )
    missing = _errors(_post(emulator_http, used_without_isbn))[
        "ConstraintViolationException.MissingRequiredParameters"
    ]
    # Stan = Używany: ISBN is not required, but "Stan książki" (displayed for used) is.
    assert "245669" not in missing["metadata"]["missingParameterIds"].split(",")
    assert "245227" in missing["metadata"]["missingParameterIds"].split(",")


def test_draft_keeps_publication_errors_in_validation(
    emulator_http: httpx.Client, refs: dict[str, str]
):
    body = _offer(refs, publication={"status": "INACTIVE"}, images=[])
    del body["delivery"]
    body["productSet"][0]["product"]["parameters"] = [{"id": "3770", "valuesIds": ["3770_2"]}]
    response = _post(emulator_http, body)
    assert response.status_code == 202
    offer_id = _finish(emulator_http, response)
    offer = emulator_http.get(f"/sale/product-offers/{offer_id}").json()
    assert offer["publication"]["status"] == "INACTIVE"
    paths = {e["path"] for e in offer["validation"]["errors"]}
    assert {"parameters", "delivery.shippingRates", "images"} <= paths
    missing = next(
        e
        for e in offer["validation"]["errors"]
        if e["code"] == "ConstraintViolationException.MissingRequiredParameters"
    )
    assert set(missing["metadata"]["missingParameterIds"].split(",")) == {"3772", "225693"}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": "Za krótki"}, "name"),
        ({"name": "x" * 76}, "name"),
        ({"category": {"id": "19733"}}, "INVALID_CATEGORY_ID"),
        ({"category": {"id": "404404"}}, "CATEGORY_NOT_EXISTS"),
        ({"parameters": [{"id": "3770", "valuesIds": ["3770_1"]}]}, "ParameterCategoryException"),
        ({"parameters": [{"id": "11323", "valuesIds": ["11323_9"]}]}, "InvalidDictionaryParameter"),
        ({"parameters": [{"id": "999", "values": ["x"]}]}, "ParameterIdNotFoundException"),
        ({"images": [IMAGE] * 17}, "GallerySizeException"),
        (
            {"delivery": {"shippingRates": {"id": "00000000-0000-4000-8000-000000000000"}}},
            "ShippingRatesNotFoundException",
        ),
        (
            {"afterSalesServices": {"returnPolicy": {"name": "Nie ma takich"}}},
            "ReturnPolicyNotFoundException",
        ),
        (
            {
                "productSet": [{"product": {"id": SHARED_GTIN, "idType": "GTIN"}}],
                "category": {"id": "165"},
            },
            "MultipleProductsFoundException",
        ),
        (
            {"productSet": [{"product": {"id": "00000000-0000-4000-8000-000000000000"}}]},
            "ProductNotFoundException",
        ),
        (
            {
                "parameters": [
                    {"id": "11323", "valuesIds": ["11323_1"]},
                    {"id": "3774", "values": ["4"]},
                ]
            },
            "ConstraintViolationException",
        ),
    ],
)
def test_hard_errors_are_422_even_for_drafts(
    emulator_http: httpx.Client, refs: dict[str, str], changes: dict[str, Any], code: str
):
    body = _offer(refs, publication={"status": "INACTIVE"})
    body.update(changes)
    errors = _errors(_post(emulator_http, body))
    if code == "name":  # title length: 12-75 characters
        assert [e["path"] for e in errors.values()] == ["name"]
        return
    assert code in errors
    error = errors[code]
    assert error["userMessage"]
    assert error["message"]
    if code == "MultipleProductsFoundException":
        assert len(error["metadata"]["foundProductsIds"].split(",")) == 2
    if code == "ParameterCategoryException":
        assert "nie powinien być wskazany w sekcji `offer`" in error["userMessage"]
    if code == "GallerySizeException":
        assert error["metadata"]["gallerySizeLimit"] == "16"


def test_model_must_match_the_brand(emulator_http: httpx.Client, refs: dict[str, str]):
    def clothing(model: str) -> dict[str, Any]:
        return _offer(
            refs,
            name="Koszulka męska sportowa czarna rozmiar M",
            category={"id": "1471"},
            parameters=[
                {"id": "11323", "valuesIds": ["11323_2"]},
                {"id": "8415", "valuesIds": ["8415_3", "8415_4"]},
            ],
            productSet=[
                {
                    "product": {
                        "name": "Koszulka",
                        "category": {"id": "1471"},
                        "parameters": [
                            {"id": "8413", "valuesIds": ["8413_1"]},
                            {"id": "8414", "valuesIds": [model]},
                        ],
                    }
                }
            ],
        )

    errors = _errors(_post(emulator_http, clothing("8414_3")))  # Adidas model, Nike brand
    assert errors["InvalidDictionaryParameter"]["metadata"]["dictionaryValue"] == "8414_3"
    assert _post(emulator_http, clothing("8414_1")).status_code == 202


def test_patch_replaces_parameters_and_conflicts_while_pending(
    emulator_http: httpx.Client, refs: dict[str, str]
):
    created = _post(emulator_http, _offer(refs))
    offer_id = _finish(emulator_http, created)
    patch = {
        "sellingMode": {"price": {"amount": "799.00", "currency": "PLN"}},
        "stock": {"available": 9},
        "parameters": [{"id": "11323", "valuesIds": ["11323_2"]}],
    }
    first = emulator_http.patch(
        f"/sale/product-offers/{offer_id}", content=json.dumps(patch), headers=JSON
    )
    assert first.status_code == 202, first.text
    second = emulator_http.patch(
        f"/sale/product-offers/{offer_id}", content=json.dumps(patch), headers=JSON
    )
    assert second.status_code == 409
    _finish(emulator_http, first)
    offer = emulator_http.get(f"/sale/product-offers/{offer_id}").json()
    assert offer["sellingMode"]["price"]["amount"] == "799.00"
    assert offer["sellingMode"]["format"] == "BUY_NOW"
    assert offer["stock"]["available"] == 9
    assert offer["parameters"][0]["values"] == ["Używany"]
    parts = emulator_http.get(
        f"/sale/product-offers/{offer_id}/parts",
        params=[("include", "stock"), ("include", "price")],
    ).json()
    assert parts == {
        "id": offer_id,
        "stock": {"available": 9},
        "sellingMode": {"price": {"amount": "799.00", "currency": "PLN"}},
    }
    types = [e["type"] for e in emulator_http.get("/sale/offer-events").json()["offerEvents"]]
    assert types == [
        "OFFER_ACTIVATED",
        "OFFER_STOCK_CHANGED",
        "OFFER_PRICE_CHANGED",
        "OFFER_CHANGED",
    ]
    ended = emulator_http.patch(
        f"/sale/product-offers/{offer_id}",
        content=json.dumps({"stock": {"available": 0}}),
        headers=JSON,
    )
    assert ended.status_code == 202
    assert (
        emulator_http.get(f"/sale/product-offers/{offer_id}").json()["publication"]["status"]
        == "ENDED"
    )


def test_delete_only_drafts(emulator_http: httpx.Client, refs: dict[str, str]):
    draft = _post(emulator_http, _offer(refs, publication={"status": "INACTIVE"})).json()
    assert emulator_http.delete(f"/sale/offers/{draft['id']}").status_code == 204
    assert emulator_http.get(f"/sale/product-offers/{draft['id']}").status_code == 404
    active = emulator_http.get(
        "/sale/offers", params={"publication.status": "ACTIVE", "limit": 1}
    ).json()["offers"][0]
    assert emulator_http.delete(f"/sale/offers/{active['id']}").status_code == 403


def test_seeded_offers_and_listing_filters(emulator_http: httpx.Client):
    everything = emulator_http.get("/sale/offers").json()
    assert everything["totalCount"] == 6
    by_status: dict[str, int] = {}
    for offer in everything["offers"]:
        by_status[offer["publication"]["status"]] = (
            by_status.get(offer["publication"]["status"], 0) + 1
        )
    assert by_status == {"ACTIVE": 4, "ENDED": 1, "INACTIVE": 1}

    def count(**params: Any) -> int:
        response = emulator_http.get("/sale/offers", params=params)
        assert response.status_code == 200, response.text
        return int(response.json()["totalCount"])

    assert count(**{"external.id": ["ALG-0001", "ALG-0005"]}) == 2
    assert count(name="lalka") == 1
    assert count(**{"sellingMode.price.amount.gte": 100}) == 2
    assert count(**{"sellingMode.price.amount.lte": 40}) == 2
    assert count(**{"publication.status": ["ACTIVE", "ENDED"]}) == 5
    assert count(**{"sellingMode.format": "AUCTION"}) == 0
    assert count(**{"category.id": "165"}) == 1
    assert count(**{"product.id.empty": "true"}) == 0
    rates = everything["offers"][0]["delivery"]["shippingRates"]["id"]
    assert count(**{"delivery.shippingRates.id": rates}) == 5
    page = emulator_http.get(
        "/sale/offers", params={"sort": "-sellingMode.price.amount", "limit": 2, "offset": 1}
    ).json()
    assert page["count"] == 2
    assert page["totalCount"] == 6
    assert [o["sellingMode"]["price"]["amount"] for o in page["offers"]] == ["149.00", "89.99"]
    assert emulator_http.get("/sale/offers", params={"limit": 1001}).status_code in (400, 422)


def test_expired_upload_cannot_be_used(
    emulator: Emulator, emulator_http: httpx.Client, refs: dict[str, str]
):
    upload = emulator_http.post(
        "/sale/images", content=b"\xff\xd8\xff\xe0", headers={"Content-Type": "image/jpeg"}
    ).json()["location"]
    for image in emulator.world.sale.images.values():  # as if uploaded 7 hours ago
        image.expires_at -= timedelta(hours=7)
    body = _offer(refs, images=[upload], publication={"status": "INACTIVE"})
    assert "ImageNotFoundException" in _errors(_post(emulator_http, body))
