"""The whole app: a manager's offer, a counter order typed in the New order form, its receipt from the counter
printer carrying the code (decoded), and the next order using that code through the form's Apply and Place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from posapp.app import AppOptions, PosApp
from posapp.config import PrinterSettings, Settings
from posapp.domain.offers import Offer, OfferKind
from posapp.domain.roles import Role, User
from tests.escpos_decoder import Decoded, decode

CODE_LINE = "NEXT TIME"


def receipts(path: Path) -> list[Decoded]:
    if not path.exists():
        return []
    return [decode(b"\x1b@" + part) for part in path.read_bytes().split(b"\x1b@") if part.strip(b"\x00")]


def test_a_counter_receipt_hands_out_a_code_and_the_next_order_uses_it(
    qtbot: Any, arun: Any, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "counter.bin"
    settings = Settings(
        printers=(PrinterSettings("counter", f"file:{out}", role="counter", label="Counter"),)
    )
    app = PosApp(
        AppOptions(
            data_dir=data_dir,
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=0,
            sim_platforms=("demo",),
            settings=settings,
        )
    )
    arun(app.start())
    try:
        offers = app.engine.offers
        assert offers is not None and app.controller is not None and app.controller.print_hook is not None
        ten = Offer("10 % off your next pickup", OfferKind.PERCENT, 10, "CNY", segments=frozenset({"new"}))
        arun(app.on_engine(offers.save(ten, by=User(1, "Mei", Role.MANAGER))))

        form = app.open_manual_order()
        form.add_item(form_entry(form, "BN1"))
        form.phone.setText("13812345678")
        with qtbot.waitSignal(form.accepted, timeout=10000):
            qtbot.mouseClick(form.place_button, Qt.MouseButton.LeftButton)
        window = app.window
        assert window is not None
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
        first = window.model.order_at(0)
        arun(app.controller.print_hook(first.id, "receipt"))
        qtbot.waitUntil(lambda: len(receipts(out)) == 1, timeout=10000)
        handed_out = receipts(out)[0]
        lines = handed_out.texts
        code = lines[[i for i, line in enumerate(lines) if "your next pickup" in line][0] + 1].strip()
        assert CODE_LINE in handed_out.plain and code in handed_out.qr_codes

        again = app.open_manual_order()
        again.add_item(form_entry(again, "BN1"))
        again.add_item(form_entry(again, "BN1"))  # ¥72.00
        qtbot.keyClicks(again.code, code)
        qtbot.mouseClick(again.apply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: again.code_result.text() == "−¥7.20", timeout=10000)
        with qtbot.waitSignal(again.accepted, timeout=10000):
            qtbot.mouseClick(again.place_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10000)
        second = next(window.model.order_at(r) for r in range(2) if window.model.order_at(r).id != first.id)
        assert (second.totals.discount, second.totals.total) == (720, 6480)
        arun(app.controller.print_hook(second.id, "receipt"))
        qtbot.waitUntil(lambda: len(receipts(out)) == 2, timeout=10000)
        used = receipts(out)[1]
        assert used.find(f"Code 优惠码 {code}").text.rstrip().endswith("-￥7.20")
    finally:
        if app.window is not None:
            app.window.close()
        arun(app.stop())


def form_entry(form: Any, sku: str) -> Any:
    from posapp.services.manual import DEFAULT_QUICK_MENU

    return next(e for e in DEFAULT_QUICK_MENU if e.sku == sku)
