"""Category tree, category parameters and category suggestions for a title."""

from __future__ import annotations

import re
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Call, endpoint
from fake_allegro.sale.common import sale_state
from fake_allegro.sale.state import Category, SaleState


def render_category(category: Category) -> dict[str, Any]:
    return {
        "id": category.id,
        "name": category.name,
        "leaf": category.leaf,
        "parent": {"id": category.parent_id} if category.parent_id else None,
        "options": {
            "advertisement": False,
            "offersWithProductPublicationEnabled": True,
            "productCreationEnabled": category.leaf,
            "sellerCanRequirePurchaseComments": True,
        },
    }


def _category(state: SaleState, category_id: str) -> Category:
    category = state.categories.get(category_id)
    if category is None:
        raise ApiError.one(
            404,
            "NotFoundException",
            f"Category {category_id} not found",
            user_message=f"Kategoria {category_id} nie istnieje.",
        )
    return category


@endpoint("GET", "/sale/categories", auth="app_or_user")
def list_categories(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    parent = call.query.get("parent.id")
    if parent is not None:
        _category(state, parent)
    children = [c for c in state.categories.values() if c.parent_id == parent]
    return {"categories": [render_category(c) for c in children]}


@endpoint("GET", "/sale/categories/{categoryId}", auth="app_or_user")
def get_category(call: Call) -> dict[str, Any]:
    return render_category(_category(sale_state(call), call.params["categoryId"]))


@endpoint("GET", "/sale/categories/{categoryId}/parameters", auth="app_or_user")
def category_parameters(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    category = _category(state, call.params["categoryId"])
    return {"parameters": list(state.category_parameters(category.id))}


@endpoint("GET", "/sale/categories/{categoryId}/product-parameters", auth="app_or_user")
def category_product_parameters(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    category = _category(state, call.params["categoryId"])
    return {
        "parameters": [
            p
            for p in state.category_parameters(category.id)
            if p["options"].get("describesProduct")
        ]
    }


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1}


def _stem(word: str) -> str:
    # Polish inflection: compare on a shared prefix ("koszulka"/"koszulki", "złoty"/"złota").
    return word[: max(4, len(word) - 2)]


def _node(state: SaleState, category: Category) -> dict[str, Any]:
    node: dict[str, Any] = {"id": category.id, "name": category.name}
    parent = state.categories.get(category.parent_id) if category.parent_id else None
    if parent is not None:
        node["parent"] = _node(state, parent)
    return node


def score(state: SaleState, category: Category, title: str) -> int:
    """Points from the category's own words: its name and keywords (3 each), its ancestors' (1)."""
    title_stems = {_stem(w) for w in _words(title)}
    points = 0
    for depth, node in enumerate(reversed(state.category_path(category.id))):
        weight = 3 if depth == 0 else 1
        for word in _words(node.name) | (
            {w for k in node.keywords for w in _words(k)} if depth == 0 else set()
        ):
            if _stem(word) in title_stems:
                points += weight
    return points


def listed_evidence(state: SaleState, title: str) -> dict[str, int]:
    """Per category, the most title words one listed catalog product there shares (two or more).

    Allegro's suggestions come from what is sold, not from category names: "Chłopi — Władysław
    Reymont" lands in Literatura piękna because that book is listed there. Two shared words are
    needed, so that one common word ("Lalka") does not drag a title into the dolls.
    """
    title_stems = {_stem(w) for w in _words(title)}
    evidence: dict[str, int] = {}
    for product in state.products.values():
        if product.status != "LISTED":
            continue
        shared = len(title_stems & {_stem(w) for w in _words(product.name)})
        if shared >= 2:
            evidence[product.category_id] = max(evidence.get(product.category_id, 0), shared)
    return evidence


@endpoint("GET", "/sale/matching-categories", auth="app_or_user")
def matching_categories(call: Call) -> dict[str, Any]:
    state = sale_state(call)
    title = call.query.get("name", "")
    if not title.strip():
        raise ApiError.one(422, "VALIDATION_ERROR", "Parameter name must not be empty", path="name")
    evidence = listed_evidence(state, title)
    scored = [
        (score(state, c, title) + 3 * evidence.get(c.id, 0), c)
        for c in state.categories.values()
        if c.leaf
    ]
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1].id))[:5]
    return {"matchingCategories": [_node(state, c) for _, c in best]}
