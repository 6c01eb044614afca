from shop.catalog.models.products import Product, ProductImage, VatRate
from shop.catalog.models.stock import StockMovement, StockReason

__all__ = ["Product", "ProductImage", "StockMovement", "StockReason", "VatRate"]
