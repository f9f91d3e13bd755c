"""Platform messages about an order we may already have: cancellation, refund, rush reminder, rider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class PlatformEventKind(StrEnum):
    CANCELLED = "cancelled"
    REFUND_REQUESTED = "refund_requested"
    REMINDER = "reminder"  # 催单: the customer is asking where the food is
    RIDER = "rider"  # rider assigned / arrived / picked up
    COMPLETED = "completed"  # delivered or picked up, as the platform reports it


@dataclass(frozen=True, slots=True)
class PlatformEvent:
    platform: str
    external_id: str
    kind: PlatformEventKind
    detail: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """One row of an order's history: a status change (from -> to) or another event, who and when."""

    order_id: int
    at: datetime
    by: str
    from_status: str | None
    to_status: str | None
    kind: str = "status"
    reason: str | None = None
