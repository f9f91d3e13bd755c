"""Draw docs/printing-tickets.png: an 80 mm kitchen ticket and a 58 mm receipt, as the preview renders them.

Run: python tools/print_samples.py
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from posapp.domain.order import (  # noqa: E402
    Customer,
    Fulfillment,
    LineItem,
    Modifier,
    Order,
    Payment,
    Totals,
)
from posapp.printing.layouts import TicketContext, kitchen_ticket, receipt  # noqa: E402
from posapp.printing.preview import render_preview  # noqa: E402
from posapp.printing.profiles import get_profile  # noqa: E402


def main() -> None:
    items = (
        LineItem(
            "宫保鸡丁",
            2,
            3200,
            modifiers=(Modifier("大份", 1, 500), Modifier("加花生", 1, 0)),
            note="少辣 less spicy 🌶️",
        ),
        LineItem("超级豪华版黄焖鸡米饭", 1, 4200),
        LineItem("Iced Lemon Tea", 1, 395),
    )
    subtotal = sum(i.line_total() for i in items)
    placed = datetime(2026, 11, 26, 10, 2, tzinfo=UTC)
    order = Order(
        platform="meituan",
        external_id="MT-2026112600042",
        display_id="42",
        fulfillment=Fulfillment.DELIVERY,
        placed_at=placed,
        due_at=placed + timedelta(minutes=45),
        currency="CNY",
        items=items,
        totals=Totals(
            subtotal=subtotal, delivery_fee=500, packaging_fee=200, discount=1000, total=subtotal - 300
        ),
        customer=Customer("王先生", "138****5678"),
        payment=Payment("online", True),
        notes="花生过敏 peanut allergy",
    )
    ctx = TicketContext(
        store_name="老王小馆",
        address="上海市黄浦区南京东路1号",
        phone="021-5555 0100",
        tz=ZoneInfo("Asia/Shanghai"),
        printed_at=placed + timedelta(minutes=1),
    )
    kitchen = render_preview(kitchen_ticket(order, ctx), get_profile("generic-80"))
    bill = render_preview(receipt(order, ctx), get_profile("generic-58"))
    sheet = Image.new("L", (kitchen.width + bill.width + 24, max(kitchen.height, bill.height)), 170)
    sheet.paste(kitchen, (0, 0))
    sheet.paste(bill, (kitchen.width + 24, 0))
    sheet.save(ROOT / "docs" / "printing-tickets.png", optimize=True)


if __name__ == "__main__":
    main()
