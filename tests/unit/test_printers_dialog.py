"""Settings → Printers: printers listed with live state; Test print shows the preview and sends the page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from posapp.config import PrinterSettings
from posapp.services.hub import Hub, Notice
from posapp.services.printing import PrintService
from posapp.store.db import Database
from posapp.ui.main_window import MainWindow
from posapp.ui.printers import PrintersDialog
from posapp.ui.queue_model import QueueModel
from tests.escpos_decoder import decode
from tests.printer_server import FakePrinter, free_port


def test_test_print_shows_the_preview_and_sends_the_page(
    db: Database, arun: Any, qtbot: Any, tmp_path: Path
) -> None:
    with FakePrinter() as printer:
        service = PrintService(
            db,
            Hub(),
            [
                PrinterSettings("kitchen", printer.uri, role="kitchen", label="Kitchen printer"),
                PrinterSettings("bar", f"tcp://127.0.0.1:{free_port()}", role="bar", timeout=0.5),
                PrinterSettings("counter", "lpt9", role="counter"),
            ],
        )
        service.hub.on_notice(lambda n: dialog.on_notice(n))
        dialog = PrintersDialog(service)
        qtbot.addWidget(dialog)
        dialog.show()
        assert [dialog.table.item(r, 0).text() for r in range(3)] == [
            "Kitchen printer",
            "Bar printer",
            "Counter printer",  # its address is wrong, so it was not built: still named as the others
        ]
        assert "unknown printer address 'lpt9'" in dialog.table.item(2, 3).text()

        with qtbot.waitSignal(dialog.testFinished, timeout=10000) as sent:
            dialog.test_button.click()
        assert sent.args[:2] == ["kitchen", True]
        assert dialog.preview.pixmap() is not None and dialog.preview.pixmap().width() == 576 + 32
        assert dialog.result_label.text() == "Test page sent to Kitchen printer."
        qtbot.waitUntil(lambda: len(printer.tickets) == 1)
        assert "TEST PRINT" in decode(printer.tickets[0]).plain
        assert dialog.table.item(0, 3).text() == "Kitchen printer ready"

        dialog.table.selectRow(1)
        with qtbot.waitSignal(dialog.testFinished, timeout=10000) as failed:
            dialog.test_button.click()
        assert failed.args[1] is False
        assert "Bar printer is offline" in dialog.result_label.text()
        assert dialog.table.item(1, 3).text() == "Bar printer offline — 0 tickets waiting"
        assert "refused" in dialog.table.item(1, 3).toolTip()
        if os.environ.get("POSAPP_SHOTS"):
            dialog.grab().save(str(Path(os.environ["POSAPP_SHOTS"]) / "printers_dialog.png"))


def test_status_strip_shows_printer_state_in_words(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.on_notice(
        Notice(
            "printer:kitchen",
            "Kitchen printer offline — 3 tickets waiting",
            "error",
            {
                "state": "offline",
                "error": "Kitchen printer is offline: 10.0.0.5:9100 refused the connection.",
            },
        )
    )
    label = window._strip["printer:kitchen"]
    assert label.text() == "✖ Kitchen printer offline — 3 tickets waiting"
    assert "refused" in label.toolTip()
    assert not window.banner.isHidden() and "refused the connection" in window.banner.text()
    window.on_notice(Notice("printer:kitchen", "Kitchen printer ready", "info", {"state": "ready"}))
    assert label.text() == "● Kitchen printer ready"


def test_printer_state_reads_in_chinese_when_the_screen_is_chinese(qapp: Any) -> None:
    from posapp.ui.i18n import install_language
    from posapp.ui.printers import printer_status_text

    notice = Notice(
        "printer:kitchen",
        "Kitchen printer offline — 3 tickets waiting",
        "error",
        {"state": "offline", "label": "后厨打印机", "waiting": 3, "parked": 0},
    )
    assert printer_status_text(notice) == "Kitchen printer offline — 3 tickets waiting"
    assert install_language("zh_CN") == "zh_CN"
    try:
        assert printer_status_text(notice) == "后厨打印机 离线 — 3 张小票等待打印"
    finally:
        install_language("en")
