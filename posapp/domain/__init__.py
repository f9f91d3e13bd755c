"""Pure domain core: orders, money and the status lifecycle. Imports nothing of Qt, SQL or HTTP."""

from posapp.domain.lifecycle import Action, allowed_actions, is_open, next_status
from posapp.domain.money import Money, minor_units, to_minor
from posapp.domain.order import (
    Customer,
    Fulfillment,
    LineItem,
    Modifier,
    Order,
    OrderStatus,
    Payment,
    Totals,
)

__all__ = [
    "Action",
    "Customer",
    "Fulfillment",
    "LineItem",
    "Modifier",
    "Money",
    "Order",
    "OrderStatus",
    "Payment",
    "Totals",
    "allowed_actions",
    "is_open",
    "minor_units",
    "next_status",
    "to_minor",
]
