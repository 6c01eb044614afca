"""Read-only Allegro data the offer form needs, cached where it rarely changes.

Category trees and parameters change rarely and are the same for every seller, so they are
cached for an hour per environment; seller data (price lists, conditions) is read fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from shop.allegro.common.client import client_for, environment_name
from shop.allegro.models import AllegroAccount

CACHE_SECONDS = 3600


def _cached(account: AllegroAccount, key: str, load: Any) -> Any:
    full_key = f"allegro:{environment_name(account)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = load()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


def category_parameters(account: AllegroAccount, category_id: str) -> list[dict[str, Any]]:
    def load() -> list[dict[str, Any]]:
        with client_for(account) as client:
            result = client.categories.parameters(category_id)
        return [p.to_api() for p in result.parameters or []]

    return list(_cached(account, f"parameters:{category_id}", load))


def category_get(account: AllegroAccount, category_id: str) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        with client_for(account) as client:
            return client.categories.get(category_id).to_api()

    return dict(_cached(account, f"category:{category_id}", load))


def category_path(account: AllegroAccount, category_id: str) -> list[dict[str, Any]]:
    """From the root down to ``category_id``."""
    path = []
    current: str | None = category_id
    for _ in range(12):
        if not current:
            break
        category = category_get(account, current)
        path.append(category)
        current = (category.get("parent") or {}).get("id")
    return list(reversed(path))


def category_children(account: AllegroAccount, parent_id: str | None) -> list[dict[str, Any]]:
    def load() -> list[dict[str, Any]]:
        with client_for(account) as client:
            return [
                c.to_api() for c in client.categories.list(parent_id=parent_id).categories or []
            ]

    return list(_cached(account, f"children:{parent_id or 'root'}", load))


def matching_categories(account: AllegroAccount, title: str) -> list[dict[str, Any]]:
    with client_for(account) as client:
        result = client.categories.matching(name=title)
    return [c.to_api() for c in result.matching_categories or []]


def catalog_search(
    account: AllegroAccount, *, phrase: str, mode: str | None = None, category_id: str | None = None
) -> list[dict[str, Any]]:
    with client_for(account) as client:
        page = client.products.search(
            phrase=phrase,
            mode=mode,  # type: ignore[arg-type]
            category_id=category_id or None,
        )
    return [p.to_api() for p in page.products or []]


def catalog_product(account: AllegroAccount, product_id: str) -> dict[str, Any]:
    with client_for(account) as client:
        return client.products.get(product_id).to_api()


@dataclass(frozen=True)
class SellerOptions:
    shipping_rates: list[tuple[str, str]]
    return_policies: list[tuple[str, str]]
    implied_warranties: list[tuple[str, str]]
    warranties: list[tuple[str, str]]
    promotion_packages: list[tuple[str, str]]


def seller_options(account: AllegroAccount) -> SellerOptions:
    """The seller's price lists, offer terms and promotion packages, as form choices."""
    with client_for(account) as client:
        rates = client.shipping_rates.list().shipping_rates or []
        returns = list(client.after_sales.return_policies.iter_all())
        implied = list(client.after_sales.implied_warranties.iter_all())
        warranties = list(client.after_sales.warranties.iter_all())
        packages = client.promotions.packages()
    base = [(p.id, p.name or p.id) for p in packages.base_packages or [] if p.id]
    extra = [(p.id, p.name or p.id) for p in packages.extra_packages or [] if p.id]
    return SellerOptions(
        shipping_rates=[(r.id, r.name or r.id) for r in rates if r.id],
        return_policies=[(r.id, r.name or r.id) for r in returns if r.id],
        implied_warranties=[(r.id, r.name or r.id) for r in implied if r.id],
        warranties=[(r.id, r.name or r.id) for r in warranties if r.id],
        promotion_packages=base + extra,
    )
