from shop.orders.models.orders import (
    Address,
    Channel,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
)

__all__ = [
    "Address",
    "Channel",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "PaymentStatus",
]
