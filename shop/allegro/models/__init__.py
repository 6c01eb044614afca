from shop.allegro.models.accounts import AllegroAccount, LinkStatus, Province
from shop.allegro.models.bulk import (
    BulkItemStatus,
    BulkJobStatus,
    BulkListingItem,
    BulkListingJob,
)
from shop.allegro.models.offers import (
    AllegroOffer,
    LinkSource,
    OfferStatus,
    SellingFormat,
)
from shop.allegro.models.orders import (
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroShipment,
    FormStatus,
    FulfillmentStatus,
    OrderImportState,
    OrderQuarantine,
    StockPoint,
)
from shop.allegro.models.rate_budget import RateBudgetWindow
from shop.allegro.models.shipping import (
    AllegroDeliveryMethod,
    AllegroShippingRates,
    ShippingRatesType,
)
from shop.allegro.models.sync import (
    CommandKind,
    CommandOrigin,
    CommandStatus,
    DriftField,
    DriftReport,
    DriftRow,
    OfferSync,
    Rounding,
    SyncCommand,
    SyncQueue,
    SyncSettings,
)

__all__ = [
    "AllegroAccount",
    "AllegroCheckoutForm",
    "AllegroDeliveryMethod",
    "AllegroLineItem",
    "AllegroOffer",
    "AllegroShipment",
    "AllegroShippingRates",
    "BulkItemStatus",
    "BulkJobStatus",
    "BulkListingItem",
    "BulkListingJob",
    "CommandKind",
    "CommandOrigin",
    "CommandStatus",
    "DriftField",
    "DriftReport",
    "DriftRow",
    "FormStatus",
    "FulfillmentStatus",
    "LinkSource",
    "LinkStatus",
    "OfferStatus",
    "OfferSync",
    "OrderImportState",
    "OrderQuarantine",
    "Province",
    "RateBudgetWindow",
    "Rounding",
    "SellingFormat",
    "ShippingRatesType",
    "StockPoint",
    "SyncCommand",
    "SyncQueue",
    "SyncSettings",
]
