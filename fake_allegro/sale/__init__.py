"""The sale domain of the emulator: categories, catalog, shipping, after-sales, offers."""

from fake_allegro.sale import (
    after_sales,
    categories,
    commands,
    events,
    offers,
    products,
    promotions,
    shipping,
)

__all__ = [
    "after_sales",
    "categories",
    "commands",
    "events",
    "offers",
    "products",
    "promotions",
    "shipping",
]
