from shop.allegro.models.accounts import AllegroAccount, LinkStatus, Province
from shop.allegro.models.offers import AllegroOffer, OfferStatus, SellingFormat
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
from shop.allegro.models.shipping import (
    AllegroDeliveryMethod,
    AllegroShippingRates,
    ShippingRatesType,
)

__all__ = [
    "AllegroAccount",
    "AllegroCheckoutForm",
    "AllegroDeliveryMethod",
    "AllegroLineItem",
    "AllegroOffer",
    "AllegroOfferProductLink",
    "AllegroShipment",
    "AllegroShippingRates",
    "FormStatus",
    "FulfillmentStatus",
    "LinkStatus",
    "OfferStatus",
    "OrderImportState",
    "OrderQuarantine",
    "Province",
    "SellingFormat",
    "ShippingRatesType",
    "StockPoint",
]
