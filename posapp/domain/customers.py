"""One order as the customer analysis sees it: who (phone and name as the platform gave them), when, how much."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CustomerOrder:
    """One kept (not cancelled or rejected) order that names a customer's phone, as the store holds it."""

    order_id: int
    platform: str
    display_id: str
    phone: str
    name: str | None
    placed_at: datetime
    total: int
    currency: str
