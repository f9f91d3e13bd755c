"""Counter orders: the service numbers them per business day and stores them; the dialog only collects."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from posapp.domain.order import Fulfillment, OrderStatus
from posapp.errors import PayloadError
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.manual import (
    DEFAULT_QUICK_MENU,
    ManualDraft,
    ManualLine,
    ManualOrderService,
    quick_menu_from_settings,
)
from posapp.services.orders import OrderService
from posapp.store.db import Database
from posapp.ui.manual_order import ManualOrderDialog

SHANGHAI = ZoneInfo("Asia/Shanghai")


class FakeClock:
    """A settable clock: the store's time is configuration, tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def draft(**kw: Any) -> ManualDraft:
    lines = kw.pop("lines", (ManualLine("宫保鸡丁", 2, 3200, "KP1", "no peanuts"), ManualLine("Tea", 1, 500)))
    return ManualDraft(lines=lines, **kw)


def service(db: Database, clock: FakeClock) -> tuple[ManualOrderService, OrderService]:
    hub = Hub()
    intake = IntakeService(db, hub, clock=clock)
    return ManualOrderService(intake, currency="CNY", tz=SHANGHAI, clock=clock), OrderService(db, hub)


def test_manual_orders_are_numbered_per_business_day(db: Database, arun: Any) -> None:
    # 2026-11-26 10:00 in Shanghai, then 01:00 the next night (same business day), then 05:00 (a new one).
    clock = FakeClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    manual, orders = service(db, clock)
    first = arun(manual.create(draft()))
    second = arun(manual.create(draft(payment="card")))
    clock.now = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    third = arun(manual.create(draft(payment="unpaid", source="phone", customer_phone="13812345678")))
    clock.now = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    fourth = arun(manual.create(draft()))
    shown = [arun(orders.get(r.order_id)) for r in (first, second, third, fourth)]
    assert [o.display_id for o in shown] == ["M-001", "M-002", "M-003", "M-001"]
    assert all(o.platform == "manual" and o.currency == "CNY" for o in shown)
    assert shown[0].totals.total == 2 * 3200 + 500
    assert [o.payment.method if o.payment else None for o in shown[:3]] == ["cash", "card", "unpaid"]
    assert shown[2].payment is not None and not shown[2].payment.paid
    assert shown[2].customer is not None and shown[2].customer.phone_masked == "138****5678"
    assert shown[0].items[0].note == "no peanuts"
    assert shown[0].status is OrderStatus.NEW and shown[0].notes is None
    assert shown[2].notes == "Phone order"


def test_manual_order_refuses_an_empty_draft_with_a_sentence(db: Database) -> None:
    manual, _ = service(db, FakeClock(datetime.now(UTC)))
    with pytest.raises(PayloadError, match="Add at least one item"):
        manual.build(draft(lines=()), number=1, now=datetime.now(UTC))


def test_business_day_starts_at_four_in_the_store_zone(db: Database) -> None:
    manual, _ = service(db, FakeClock(datetime.now(UTC)))
    late = datetime(2026, 11, 27, 1, 30, tzinfo=SHANGHAI)
    assert manual.business_day_start(late) == datetime(2026, 11, 26, 4, 0, tzinfo=SHANGHAI)
    assert manual.day_starts_at == time(4, 0)
    assert manual.business_day_start(late + timedelta(hours=3)).day == 27


def test_quick_menu_comes_from_settings_in_major_units() -> None:
    raw = {"manual": {"menu": [{"name": "Mapo Tofu", "price": "12.95", "sku": "MT"}]}}
    (entry,) = quick_menu_from_settings(raw, "USD")
    assert (entry.name, entry.price, entry.sku) == ("Mapo Tofu", 1295, "MT")
    assert quick_menu_from_settings({}, "CNY") == DEFAULT_QUICK_MENU


def test_dialog_builds_the_draft_and_hands_it_to_the_service(
    qtbot: Any, db: Database, arun: Any, tmp_path: Path
) -> None:
    clock = FakeClock(datetime.now(UTC))
    manual, orders = service(db, clock)
    created: list[int] = []

    async def submit(d: ManualDraft) -> None:
        created.append((await manual.create(d)).order_id)

    dialog = ManualOrderDialog(DEFAULT_QUICK_MENU, "CNY", submit)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 760)
    dialog.show()
    seen: list[ManualDraft] = []
    dialog.submitted.connect(seen.append)
    assert not dialog.place_button.isEnabled()  # nothing to place yet
    qtbot.mouseClick(dialog.menu_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.menu_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.menu_buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.minus, Qt.MouseButton.LeftButton)  # tea stays at 1
    qtbot.keyClicks(dialog.item_note, "less ice")
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.source_buttons["phone"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.fulfil_buttons[Fulfillment.DINE_IN], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pay_buttons["card"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name, "Maria")
    qtbot.keyClicks(dialog.phone, "13812345678")
    for button in [*dialog.menu_buttons, dialog.place_button, dialog.plus, *dialog.pay_buttons.values()]:
        assert button.height() >= 56  # touch targets a gloved finger can hit
    if os.environ.get("POSAPP_SCREENSHOTS"):
        dialog.grab().save(str(Path(os.environ["POSAPP_SCREENSHOTS"]) / "manual_order.png"))
    qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == ManualOrderDialog.DialogCode.Accepted, timeout=10000)
    (d,) = seen
    assert [(line.name, line.quantity, line.note) for line in d.lines] == [
        (DEFAULT_QUICK_MENU[0].name, 3, None),
        (DEFAULT_QUICK_MENU[6].name, 1, "less ice"),
    ]
    assert (d.source, d.fulfillment, d.payment, d.customer_name) == (
        "phone",
        Fulfillment.DINE_IN,
        "card",
        "Maria",
    )
    stored = arun(orders.get(created[0]))
    assert stored.display_id == "M-001" and stored.fulfillment is Fulfillment.DINE_IN
    assert stored.customer is not None and stored.customer.phone_masked == "138****5678"


def test_dialog_shows_the_service_refusal_and_stays_open(qtbot: Any) -> None:
    def refuse(_d: ManualDraft) -> None:
        raise PayloadError("A delivery order needs the customer's phone number.")

    dialog = ManualOrderDialog(DEFAULT_QUICK_MENU, "CNY", refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.menu_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and "phone number" in dialog.error.text()
    assert dialog.isVisible()
