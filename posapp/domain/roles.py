"""Staff roles and what each may do: one table that services and the UI both ask."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    KITCHEN = "kitchen"
    CASHIER = "cashier"
    MANAGER = "manager"


class Permission(StrEnum):
    QUEUE = "queue"  # see the live queue, accept / start / ready / complete
    RECEIPTS = "receipts"  # reprint tickets and receipts
    MANUAL_ORDERS = "manual_orders"  # ring up a walk-in order, take cash or card
    REFUNDS = "refunds"  # mark a refund on an order
    SETTINGS = "settings"
    REPORTS = "reports"  # end-of-day reports, audit log, customers
    USERS = "users"  # create staff, change PINs
    CUSTOMER_DATA = "customer_data"  # a customer's data on request: find, export, erase (services/privacy.py)


P = Permission
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.KITCHEN: frozenset({P.QUEUE}),
    Role.CASHIER: frozenset({P.QUEUE, P.RECEIPTS, P.MANUAL_ORDERS, P.REFUNDS}),
    Role.MANAGER: frozenset(Permission),
}


def can(role: Role | str, permission: Permission | str) -> bool:
    return Permission(permission) in PERMISSIONS[Role(role)]


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in member of staff; ``actor`` is what the event and audit logs record as ``by``."""

    id: int
    name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"

    def can(self, permission: Permission | str) -> bool:
        return can(self.role, permission)
