"""Offers for tests: the shop as the engine wires offers (intake, manual orders, a receipt printer writing a
file), an offer and a counter draft."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from posapp.config import PrinterSettings
from posapp.domain.offers import IssuedCode, Offer, OfferKind
from posapp.domain.roles import Role, User
from posapp.printing.layouts import TicketContext
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService
from posapp.services.offers import OfferService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.store import orders as repo
from posapp.store.db import Database
from tests.escpos_decoder import Decoded, decode

TZ = ZoneInfo("Asia/Shanghai")
MANAGER = User(1, "Mei", Role.MANAGER)
PHONE = "13812345678"


class Shop:
    """Intake, manual orders, offers and a receipt printer writing to a file, as the engine wires them."""

    def __init__(self, db: Database, tmp_path: Path, clock: Any = None) -> None:
        self.now = clock or (lambda: datetime.now(UTC))
        self.db = db
        self.hub = Hub()
        self.planner = JobPlanner()
        self.intake = IntakeService(db, self.hub, self.planner, clock=lambda: self.now())
        self.offers = OfferService(db, clock=lambda: self.now())
        self.intake.offers = self.offers
        self.receipts = tmp_path / "counter.bin"
        self.printing = PrintService(  # the shop prints in its own time zone, as engine-built ones do
            db,
            self.hub,
            [PrinterSettings("counter", f"file:{self.receipts}", role="counter")],
            context=TicketContext(tz=TZ),
        )
        self.printing.offers = self.offers
        self.printing.register(self.planner)
        self.manual = ManualOrderService(self.intake, currency="CNY", tz=TZ, clock=lambda: self.now())
        self.worker = self.printing.make_worker(base_delay=0.05, max_delay=0.2, idle_poll=0.05)

    def printed(self) -> list[Decoded]:
        if not self.receipts.exists():
            return []
        return [decode(b"\x1b@" + p) for p in self.receipts.read_bytes().split(b"\x1b@") if p]

    def issue(self, order_id: int) -> IssuedCode | None:
        """What the receipt of ``order_id`` hands out (the call the spooler makes when it prints one)."""
        return self.db.call(lambda s: self.offers.for_receipt(s, repo.get_order(s, order_id)))


def offer(segments: set[str], **kw: Any) -> Offer:
    kw.setdefault("kind", OfferKind.PERCENT)
    kw.setdefault("value", 10)
    return Offer(
        kw.pop("text", "10 % off your next pickup"), currency="CNY", segments=frozenset(segments), **kw
    )


def draft(*lines: tuple[str, int, int], code: str | None = None, phone: str | None = PHONE) -> ManualDraft:
    return ManualDraft(
        lines=tuple(ManualLine(n, q, p) for n, q, p in lines),
        customer_name="Li",
        customer_phone=phone,
        offer_code=code,
    )


DUMPLINGS = ("小笼包 Soup Dumplings", 2, 2200)  # 44.00
NOODLES = ("红烧牛肉面 Beef Noodles", 1, 3600)  # 36.00
