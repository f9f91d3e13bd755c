"""Platform messages about an order we may already have: cancellation, refund, rush reminder, rider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from posapp.domain import bounds as b
from posapp.errors import PayloadError


class PlatformEventKind(StrEnum):
    CANCELLED = "cancelled"
    REFUND_REQUESTED = "refund_requested"
    REFUNDED = "refunded"  # the platform refunded the customer: ``amount`` (minor units), None = all of it
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
    amount: int | None = None  # REFUNDED only: the money refunded, in the order's minor units

    def __post_init__(self) -> None:
        b.identifier(self.platform, "the platform", b.PLATFORM_MAX)
        if self.amount is not None and not 0 < self.amount <= b.COUNT_MAX:
            raise PayloadError(f"the refund amount {self.amount} is not plausible")
        b.identifier(self.external_id, "the order id")
        if self.detail is not None:
            object.__setattr__(self, "detail", b.clean_text(self.detail, b.NOTE_MAX))
        if self.at is not None:
            b.plausible_time(self.at, f"the {self.kind.value} message's time")


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
