"""Category tree, category parameters and category suggestions of the emulator."""

from __future__ import annotations

from typing import Any

import httpx


def _params(client: httpx.Client, category_id: str) -> dict[str, dict[str, Any]]:
    response = client.get(f"/sale/categories/{category_id}/parameters")
    assert response.status_code == 200
    return {p["id"]: p for p in response.json()["parameters"]}


def _walk(client: httpx.Client, parent: str | None) -> list[dict[str, Any]]:
    query = {"parent.id": parent} if parent else {}
    found = client.get("/sale/categories", params=query).json()["categories"]
    result = list(found)
    for category in found:
        if not category["leaf"]:
            result.extend(_walk(client, category["id"]))
    return result


def test_tree_has_many_categories_with_leaves_only_at_the_bottom(emulator_http: httpx.Client):
    categories = _walk(emulator_http, None)
    assert len(categories) >= 60
    by_id = {c["id"]: c for c in categories}
    assert all(c["id"].isdigit() for c in categories)
    parents = {c["parent"]["id"] for c in categories if c["parent"]}
    for category in categories:
        assert category["leaf"] is (category["id"] not in parents)
    assert by_id["79155"]["name"] == "Kryminał"
    assert by_id["79155"]["parent"] == {"id": "91421"}
    assert by_id["91421"]["parent"] == {"id": "7"}
    assert {by_id[i]["name"] for i in ("19734", "19735", "19736", "19737")} == {
        "Pierścionki",
        "Kolczyki",
        "Naszyjniki",
        "Bransoletki",
    }


def test_single_category_and_unknown_ids(emulator_http: httpx.Client):
    body = emulator_http.get("/sale/categories/165").json()
    assert body["name"] == "Smartfony"
    assert body["leaf"] is True
    assert body["options"]["productCreationEnabled"] is True
    assert emulator_http.get("/sale/categories/999999").status_code == 404
    assert emulator_http.get("/sale/categories", params={"parent.id": "999999"}).status_code == 404


def test_book_parameters_isbn_required_only_for_new(emulator_http: httpx.Client):
    params = _params(emulator_http, "66779")
    stan = params["11323"]
    assert stan["name"] == "Stan"
    assert stan["required"] is True
    assert [d["id"] for d in stan["dictionary"]] == ["11323_1", "11323_2"]
    assert stan["options"]["describesProduct"] is False
    isbn = params["245669"]
    # As on Allegro: required beside requiredIf, whose conditions alone decide.
    assert isbn["required"] is True
    assert isbn["options"]["describesProduct"] is True
    assert isbn["requiredIf"]["parametersWithValue"] == [
        {"id": "11323", "oneOfValueIds": ["11323_1"]}
    ]
    assert params["223489"]["restrictions"]["allowedNumberOfValues"] == 3
    assert params["245227"]["displayedIf"] == {
        "parametersWithValue": [{"id": "11323", "oneOfValueIds": ["11323_2"]}]
    }


def test_jewellery_gold_and_silver_fineness_depend_on_material(emulator_http: httpx.Client):
    params = _params(emulator_http, "19734")
    material = {d["value"]: d["id"] for d in params["3770"]["dictionary"]}
    assert material["Złoto"] == "3770_1"
    assert material["Srebro"] == "3770_2"
    gold = params["3771"]
    assert gold["name"] == "Próba złota"
    assert gold["displayedIf"]["parametersWithValue"] == [
        {"id": "3770", "oneOfValueIds": ["3770_1"]}
    ]
    assert gold["requiredIf"]["parametersWithValue"] == [
        {"id": "3770", "oneOfValueIds": ["3770_1"]}
    ]
    assert params["3772"]["displayedIf"]["parametersWithValue"][0]["oneOfValueIds"] == ["3770_2"]
    stone = params["3773"]
    assert stone["restrictions"]["multipleChoices"] is True
    assert stone["options"]["customValuesEnabled"] is True
    assert stone["options"]["ambiguousValueId"] == "3773_7"
    ean = params["225693"]
    assert ean["requiredIf"]["parametersWithoutValue"] == [{"id": "224017"}]


def test_clothing_model_values_depend_on_brand(emulator_http: httpx.Client):
    params = _params(emulator_http, "1471")
    model = params["8414"]
    assert model["options"]["dependsOnParameterId"] == "8413"
    air_max = next(d for d in model["dictionary"] if d["value"] == "Air Max")
    assert air_max["dependsOnValueIds"] == ["8413_1"]
    assert params["8415"]["restrictions"]["multipleChoices"] is True


def test_electronics_numbers_have_units_ranges_and_precision(emulator_http: httpx.Client):
    phones = _params(emulator_http, "165")
    battery = phones["4390"]
    assert battery["type"] == "integer"
    assert battery["unit"] == "mAh"
    assert battery["restrictions"]["min"] == 100
    screen = phones["4391"]
    assert screen["type"] == "float"
    assert screen["unit"] == "cal"
    assert screen["restrictions"]["precision"] == 2
    assert phones["4388"]["name"] == "Pamięć RAM"
    headphones = _params(emulator_http, "50001")
    assert headphones["5003"]["restrictions"]["range"] is True
    product_only = emulator_http.get("/sale/categories/165/product-parameters").json()
    assert all(p["options"]["describesProduct"] for p in product_only["parameters"])


def test_non_leaf_category_has_no_parameters(emulator_http: httpx.Client):
    assert _params(emulator_http, "7") == {}


def test_matching_categories_suggests_leaves_for_a_title(emulator_http: httpx.Client):
    response = emulator_http.get(
        "/sale/matching-categories", params={"name": "Koszulka męska Nike czarna"}
    )
    assert response.status_code == 200
    suggestions = response.json()["matchingCategories"]
    assert suggestions[0]["id"] == "1471"
    assert suggestions[0]["parent"]["id"] == "1470"
    assert suggestions[0]["parent"]["parent"]["name"] == "Moda"
    ring = emulator_http.get(
        "/sale/matching-categories", params={"name": "Pierścionek złoty z cyrkonią"}
    ).json()["matchingCategories"]
    assert ring[0]["name"] == "Pierścionki"
    assert emulator_http.get("/sale/matching-categories", params={"name": "qwertyuiop"}).json() == {
        "matchingCategories": []
    }


def test_matching_categories_finds_a_book_by_its_title_and_author(emulator_http: httpx.Client):
    """Allegro suggests from what is listed: a title naming a listed book finds its category,
    though no category is called "Chłopi"; the book outranks the dolls a "Lalka" also names."""
    books = emulator_http.get(
        "/sale/matching-categories", params={"name": "Chłopi — Władysław Reymont"}
    ).json()["matchingCategories"]
    assert books[0]["name"] == "Literatura piękna"
    assert books[0]["parent"]["name"] == "Książki"
    lalka = emulator_http.get(
        "/sale/matching-categories", params={"name": "Lalka — Bolesław Prus"}
    ).json()["matchingCategories"]
    assert [c["name"] for c in lalka][:2] == ["Literatura piękna", "Lalki"]
