"""Reasons staff pick when rejecting or cancelling; connectors map them to each platform's own codes."""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    SOLD_OUT = "sold_out"
    TOO_BUSY = "too_busy"
    CLOSING = "closing"
    OUT_OF_RANGE = "out_of_range"
    CUSTOMER_REQUEST = "customer_request"
    OTHER = "other"


REASON_TEXT = {
    RejectReason.SOLD_OUT: "Item sold out",
    RejectReason.TOO_BUSY: "Kitchen too busy",
    RejectReason.CLOSING: "Store closing",
    RejectReason.OUT_OF_RANGE: "Address out of delivery range",
    RejectReason.CUSTOMER_REQUEST: "Customer asked to cancel",
    RejectReason.OTHER: "Other",
}


def reason_code_for(text: str | None) -> RejectReason | None:
    """The reason code behind a reason text staff picked (connectors map it to the platform's own code)."""
    for code, label in REASON_TEXT.items():
        if text == label:
            return code
    return None
