from shop.orders.models.orders import (
    Address,
    Channel,
    ChargeKind,
    FundedBy,
    Order,
    OrderCharge,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
)

__all__ = [
    "Address",
    "Channel",
    "ChargeKind",
    "FundedBy",
    "Order",
    "OrderCharge",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "PaymentStatus",
]
