"""The status strip turns service notices into sentences staff can read at a glance."""

from __future__ import annotations

from typing import Any

from posapp.services.hub import Notice
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel


def window(qtbot: Any) -> MainWindow:
    w = MainWindow(QueueModel())
    qtbot.addWidget(w)
    return w


def test_platform_offline_and_back_online(qtbot: Any) -> None:
    w = window(qtbot)
    w.on_notice(
        Notice(
            "platform:meituan",
            "offline: ConnectError",
            "warning",
            {"platform": "meituan", "state": "offline: ConnectError"},
        )
    )
    chip = w.platform_chips["meituan"]
    assert chip.text() == "✖ Meituan" and chip.toolTip() == "offline: ConnectError"
    assert w.platform_state("meituan") == "offline: ConnectError"
    w.on_notice(Notice("platform:meituan", "online", "info", {"platform": "meituan", "state": "online"}))
    assert chip.text() == "● Meituan" and w.platform_state("meituan") == "online"


def test_queue_backlog_and_halted_worker(qtbot: Any) -> None:
    w = window(qtbot)
    w.on_notice(Notice("platform push", "demo unreachable", "warning", {"pending": 3, "halted": False}))
    assert w.status_text("platform push") == "platform push: 3 waiting — demo unreachable"
    w.on_notice(Notice("platform push", "", "info", {"pending": 0, "halted": False}))
    assert w.status_text("platform push") == "platform push: ✓"
    w.on_notice(
        Notice("platform push", "Meituan refused the app secret", "error", {"pending": 9, "halted": True})
    )
    assert w.status_text("platform push") == "✖ platform push: Meituan refused the app secret"


def test_quarantine_count_and_paused_store(qtbot: Any) -> None:
    w = window(qtbot)
    w.on_notice(Notice("quarantine", "2 payloads quarantined", "warning", {"count": 2}))
    assert w.status_text("quarantine") == "! 2 payloads quarantined"
    w.on_notice(Notice("store", "Store paused", "warning", {"paused": True}))
    assert w.pause_button.isChecked() and w.pause_button.text() == "Paused — tap to resume"
    assert w.status_text("store") == "Store paused on all platforms"
    assert not w.paused_banner.isHidden()  # over the queue too


def test_other_notices_become_a_banner(qtbot: Any) -> None:
    w = window(qtbot)
    w.on_notice(Notice("printer:kitchen", "Kitchen printer offline — 3 tickets waiting", "warning"))
    assert not w.banner.isHidden()
    assert w.banner.text() == "Kitchen printer offline — 3 tickets waiting"
