from shop.allegro.models.accounts import AllegroAccount, LinkStatus, Province
from shop.allegro.models.orders import (
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroOfferProductLink,
    AllegroShipment,
    FormStatus,
    FulfillmentStatus,
    OrderImportState,
    OrderQuarantine,
    StockPoint,
)
from shop.allegro.models.offers import AllegroOffer, OfferStatus, SellingFormat
from shop.allegro.models.shipping import AllegroDeliveryMethod, AllegroShippingRates, ShippingRatesType

__all__ = [
    "AllegroCheckoutForm",
    "AllegroLineItem",
    "AllegroOfferProductLink",
    "AllegroShipment",
    "FormStatus",
    "FulfillmentStatus",
    "OrderImportState",
    "OrderQuarantine",
    "StockPoint",
    "AllegroAccount",
    "AllegroDeliveryMethod",
    "AllegroOffer",
    "AllegroShippingRates",
    "LinkStatus",
    "OfferStatus",
    "Province",
    "SellingFormat",
    "ShippingRatesType",
]
