"""Draw docs/offer-receipts.png: two counter receipts as an 80 mm printer gets them, decoded back from their
ESC/POS bytes (tests/escpos_decoder.py) and drawn line by line: a new customer's receipt carrying the
bounce-back offer and its code, and the receipt of the next order that used the code.

Everything goes through the real services on a fresh database in a temporary folder: the offer saved by a
manager, two counter orders, the code issued as the spooler issues it, the code redeemed at intake.

Run: python tools/offer_samples.py
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")  # nothing real touched

from PIL import Image  # noqa: E402

from posapp.domain.offers import Offer, OfferKind, format_code, new_code  # noqa: E402
from posapp.domain.roles import Role, User  # noqa: E402
from posapp.printing.document import Align, Line, Paper, Style  # noqa: E402
from posapp.printing.escpos import GlyphPolicy, Renderer, qr_image  # noqa: E402
from posapp.printing.layouts import ReceiptOffer, TicketContext, receipt  # noqa: E402
from posapp.printing.preview import LINE_GAP, draw_line  # noqa: E402
from posapp.printing.profiles import PrinterProfile, get_profile  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.intake import IntakeService  # noqa: E402
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService  # noqa: E402
from posapp.services.offers import OfferService  # noqa: E402
from posapp.store import orders as repo  # noqa: E402
from posapp.store.db import Database, open_database  # noqa: E402
from tests.escpos_decoder import Decoded, decode  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
CTX = dict(store_name="老王小馆", address="上海市黄浦区南京东路1号", phone="021-5555 0100", tz=TZ)


def drawn(decoded: Decoded, profile: PrinterProfile) -> Image.Image:
    """The decoded lines and QR codes, in the order the bytes gave them, as the paper would show them."""
    paper = Paper.for_width(profile.width_mm)
    measure = GlyphPolicy(profile).width
    parts: list[Image.Image] = []
    lines, codes = iter(decoded.lines), iter(decoded.qr_codes)
    for event in decoded.events:
        if event == "line":
            line = next(lines)
            first = line.spans[0] if line.spans else None
            style = Style(
                width=first.width if first else 1,
                height=first.height if first else 1,
                bold=first.bold if first else False,
                invert=first.invert if first else False,
                align=Align(line.align),
            )
            parts.append(
                draw_line(Line(line.text.rstrip() if not style.invert else line.text, style), paper, measure)
            )
        elif event == "qr":
            code: Image.Image = qr_image(next(codes), 4).convert("L")  # type: ignore[attr-defined]
            canvas = Image.new("L", (paper.dots, code.height + LINE_GAP), 255)
            canvas.paste(code, ((paper.dots - code.width) // 2, 0))
            parts.append(canvas)
    margin = 16
    sheet = Image.new("L", (paper.dots + 2 * margin, sum(p.height for p in parts) + 2 * margin), 255)
    y = margin
    for part in parts:
        sheet.paste(part, (margin, y))
        y += part.height
    return sheet


async def shop(db: Database) -> tuple[bytes, bytes]:
    """The two receipts' bytes: the one handing out the code, the one that used it."""
    clock = [datetime(2026, 12, 4, 4, 12, tzinfo=UTC)]
    intake = IntakeService(db, Hub(), clock=lambda: clock[0])
    pick = random.Random(18).choice  # the same code on every run
    offers = OfferService(db, clock=lambda: clock[0], make_code=lambda: new_code(pick))
    intake.offers = offers
    manual = ManualOrderService(intake, currency="CNY", tz=TZ, clock=lambda: clock[0])
    manager = User(1, "Mei", Role.MANAGER)
    await offers.save(
        Offer(
            "10 % off your next pickup 下次自取 9 折",
            OfferKind.PERCENT,
            10,
            "CNY",
            min_spend=5000,
            valid_days=30,
            segments=frozenset({"new", "lapsing"}),
        ),
        by=manager,
    )
    line = ManualLine("小笼包 Soup Dumplings", 2, 2200)
    first = await manual.create(ManualDraft((line,), customer_name="Li", customer_phone="13812345678"))
    issued = db.call(lambda s: offers.for_receipt(s, repo.get_order(s, first.order_id)))
    assert issued is not None
    clock[0] = datetime(2026, 12, 11, 11, 40, tzinfo=UTC)
    more = (line, ManualLine("红烧牛肉面 Beef Noodles", 1, 3600))
    second = await manual.create(
        ManualDraft(
            more,
            customer_name="Li",
            customer_phone="13812345678",
            offer_code=format_code(issued.code).lower(),
        )
    )
    profile = get_profile("generic-80")
    out = []
    for order_id, printed in (
        (first.order_id, datetime(2026, 12, 4, 4, 13, tzinfo=UTC)),
        (second.order_id, clock[0]),
    ):
        order = db.call(lambda s, oid=order_id: repo.get_order(s, oid))
        extra = db.call(
            lambda s, oid=order_id: ReceiptOffer(offers.redeemed_on(s, oid), offers.issued_code(s, oid))
        )
        doc = receipt(order, TicketContext(**CTX, printed_at=printed), offer=extra)  # type: ignore[arg-type]
        out.append(Renderer(profile).render(doc))
    return out[0], out[1]


def main() -> None:
    profile = get_profile("generic-80")
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder))
        try:
            handed_out, used = asyncio.run(shop(db))
        finally:
            db.close()
    left, right = drawn(decode(handed_out), profile), drawn(decode(used), profile)
    sheet = Image.new("L", (left.width + right.width + 24, max(left.height, right.height)), 170)
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width + 24, 0))
    sheet.save(ROOT / "docs" / "offer-receipts.png", optimize=True)
    print("docs/offer-receipts.png")


if __name__ == "__main__":
    main()
