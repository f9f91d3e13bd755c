"""The whole app with a printer configured: a tap on Accept prints the kitchen ticket; the strip shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from posapp.app import AppOptions, PosApp
from posapp.config import PrinterSettings, Settings
from tests.escpos_decoder import decode


def test_tap_accept_prints_the_kitchen_ticket_and_the_strip_shows_the_printer(
    qtbot: Any, arun: Any, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kitchen.bin"
    settings = Settings(
        printers=(PrinterSettings("kitchen", f"file:{out}", role="kitchen", label="Kitchen printer"),)
    )
    app = PosApp(
        AppOptions(
            data_dir=data_dir,
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=1,
            sim_platforms=("demo",),
            settings=settings,
        )
    )
    arun(app.start())
    try:
        window = app.window
        assert window is not None
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
        order = window.model.order_at(0)
        window.intent.emit(order.id, "accept")
        qtbot.waitUntil(lambda: out.exists() and b"\x1dV" in out.read_bytes(), timeout=10000)
        ticket = decode(out.read_bytes())
        assert f"#{order.display_id}" in ticket.plain
        for item in order.items:
            assert item.name in ticket.plain.replace("\n", "") or item.name[:8] in ticket.plain
        qtbot.waitUntil(lambda: "printer:kitchen" in window._strip)
        qtbot.waitUntil(lambda: window._strip["printer:kitchen"].text() == "● Kitchen printer ready")
        # The detail view's "Reprint ticket" goes through the app's print hook.
        assert app.controller is not None and app.controller.print_hook is not None
        arun(app.controller.print_hook(order.id, "kitchen"))
        qtbot.waitUntil(lambda: out.read_bytes().count(b"\x1dV") == 2, timeout=10000)
        again = decode(out.read_bytes().split(b"\x1b@")[-1])
        assert "REPRINT" in again.plain
        # Ctrl+P opens Settings → Printers.
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: app.printers_dialog is not None and app.printers_dialog.isVisible())
        dialog = app.printers_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "Kitchen printer ready")
        dialog.close()
    finally:
        window.close()
        arun(app.stop())
