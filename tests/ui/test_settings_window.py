"""Settings behind the manager PIN: a wrong PIN keeps it shut; a printer saved there prints at once; a wrong
address is refused with its sentence and changes nothing; the backup line warns in the status strip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.config import Settings
from posapp.engine import Engine, EngineOptions
from posapp.services.auth import AuthService
from posapp.ui.setup.settings_window import SettingsWindow
from tests.printer_server import FakePrinter


@pytest.fixture
def engine(arun: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    arun(eng.serve())
    arun(eng.setup.add_staff("Ann", "manager", "2580", "2580", by="test"))
    yield eng
    arun(eng.stop())


def enter(window: SettingsWindow, pin: str) -> None:
    for key in pin:
        window.pin.press(key)
    window.pin.press("OK")


def test_settings_open_only_with_a_manager_pin_and_apply_a_printer_live(
    qtbot: Any, arun: Any, engine: Engine
) -> None:
    assert engine.db is not None
    window = SettingsWindow(engine.setup, AuthService(engine.db))
    qtbot.addWidget(window)
    window.open()
    enter(window, "1111")
    qtbot.waitUntil(lambda: "Wrong PIN." in window.pin.message.text(), timeout=10000)
    assert window.stack.currentIndex() == 0
    enter(window, "2580")
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 1, timeout=10000)

    window.show_page(1)
    page = window.printers
    qtbot.waitUntil(page.idle)
    page.name.setText("kitchen")
    page.uri.setText("lpt1")
    page.save()
    qtbot.waitUntil(lambda: page.idle() and bool(page.message.text()), timeout=10000)
    assert page.message.text().startswith(
        "Settings: [printers.kitchen] uri is not usable: unknown printer address"
    )
    assert engine.settings.printers == ()

    with FakePrinter() as printer:
        page.uri.setText(printer.uri)
        page.save()
        qtbot.waitUntil(lambda: "tickets print there now" in page.message.text(), timeout=10000)
        assert [p.uri for p in engine.settings.printers] == [printer.uri]
        assert engine.printing is not None and "kitchen" in engine.printing.printers
        arun(engine.printing.test_print("kitchen"))
        qtbot.waitUntil(lambda: len(printer.tickets) == 1, timeout=10000)
    window.close()
    assert window.stack.currentIndex() == 0  # closing locks it again


def test_retention_and_the_manager_lock_are_set_on_the_options_page_and_apply_at_once(
    qtbot: Any, arun: Any, engine: Engine
) -> None:
    """Store & reports: how long customers' personal fields are kept, and when the manager section locks,
    are two touch fields; a save reaches the running purge and the report options without a restart."""
    from posapp.services.reports import ReportOptions
    from posapp.ui.setup.options_page import OptionsPage

    page = OptionsPage(engine.setup)
    qtbot.addWidget(page)
    page.load()
    qtbot.waitUntil(lambda: page.idle() and page.retention.value() == 90, timeout=10000)
    assert page.lock.value() == 120
    assert page.retention.minimumHeight() >= 48 and page.lock.minimumHeight() >= 48
    page.retention.setValue(30)
    page.lock.setValue(300)
    page.save()
    qtbot.waitUntil(lambda: page.idle() and "Saved." in page.message.text(), timeout=10000)
    assert engine.customers.retention_days == 30
    assert ReportOptions.from_settings(engine.settings).manager_lock_seconds == 300
    stored = arun(engine.setup.document())
    assert stored["reports"]["retention_days"] == 30 and stored["reports"]["manager_lock_seconds"] == 300
