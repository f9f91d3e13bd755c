"""One line of the audit trail: who did what to which order, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    by: str  # "manager:alice", "kitchen", "platform"
    action: str  # "status", "refund", "reprint", "setting", "pin_failed", ...
    order_id: int | None
    order_label: str | None  # "meituan #12"
    detail: str | None
