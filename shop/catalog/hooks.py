"""Extension points other apps fill without the catalog importing them.

``PRODUCT_EXTRA_OPTIONS``: callables ``(product) -> list[ExtraOption]`` shown under
"Dodatkowe opcje" on the product page (the Allegro app adds "Allegro → Dodaj").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shop.catalog.models import Product


@dataclass(frozen=True)
class ExtraOption:
    group: str
    label: str
    url: str


PRODUCT_EXTRA_OPTIONS: list[Callable[[Product], list[ExtraOption]]] = []


def product_extra_options(product: Product) -> list[ExtraOption]:
    return [option for provider in PRODUCT_EXTRA_OPTIONS for option in provider(product)]


@dataclass(frozen=True)
class ListAction:
    """An action of the product list that hands the selected products to another page."""

    name: str
    label: Any  # str or a lazy translation
    url_for: Callable[[list[int]], str]


PRODUCT_LIST_ACTIONS: list[ListAction] = []
