"""Which #1? Every ticket prints the display number with its platform beside it (three platforms may each
send a #1 at once): kitchen tickets, cancellations and receipts, read back from their ESC/POS bytes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from posapp.domain.order import Order
from posapp.printing.document import Document
from posapp.printing.escpos import render
from posapp.printing.layouts import TicketContext, cancellation_ticket, kitchen_ticket, receipt
from posapp.printing.profiles import get_profile
from tests.escpos_decoder import decode
from tests.factories import make_order

CTX = TicketContext(
    store_name="老王小馆", tz=ZoneInfo("Asia/Shanghai"), printed_at=datetime(2026, 11, 26, 4, 30, tzinfo=UTC)
)
LAYOUTS: dict[str, Callable[[Order, TicketContext], Document]] = {
    "kitchen": kitchen_ticket,
    "cancel": cancellation_ticket,
    "receipt": receipt,
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("platform", ["meituan", "eleme", "ubereats"])
def test_the_number_is_printed_with_its_platform(layout: str, platform: str) -> None:
    order = make_order(platform=platform, external_id=f"{platform}-1")
    ticket = decode(render(LAYOUTS[layout](order, CTX), get_profile("generic-80")))
    texts = ticket.texts
    at = next(i for i, text in enumerate(texts) if f"#{order.display_id}" in text)
    beside = " ".join(texts[at : at + 2])  # the number's line and the one under it
    assert CTX.platform(platform) in beside, "\n".join(texts)
    others = {p for p in ("meituan", "eleme", "ubereats") if p != platform}
    assert not any(CTX.platform(other) in beside for other in others)
