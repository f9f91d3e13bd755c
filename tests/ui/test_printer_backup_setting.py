"""Shop setup → Printers names a backup printer: saved through the setup service, applied on the running
engine (its print service fails over to it), and refused with its sentence when it names no printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.config import Settings
from posapp.engine import Engine, EngineOptions
from posapp.services.auth import AuthService
from posapp.ui.setup.base import combo_value, set_combo
from posapp.ui.setup.settings_window import SettingsWindow


@pytest.fixture
def engine(arun: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    arun(eng.serve())
    arun(eng.setup.add_staff("Ann", "manager", "2580", "2580", by="test"))
    yield eng
    arun(eng.stop())


def test_a_backup_printer_is_named_in_settings_and_used_by_the_print_service(
    qtbot: Any, engine: Engine, tmp_path: Path
) -> None:
    assert engine.db is not None
    window = SettingsWindow(engine.setup, AuthService(engine.db))
    qtbot.addWidget(window)
    window.open()
    for key in "2580":
        window.pin.press(key)
    window.pin.press("OK")
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 1, timeout=10000)
    window.show_page(1)
    page = window.printers
    qtbot.waitUntil(page.idle)

    def save(name: str, uri: str, role: str) -> None:
        page.name.setText(name)
        page.uri.setText(uri)
        page.role.setEditText(role)
        page.save()
        qtbot.waitUntil(
            lambda: page.idle() and name in str(engine.settings.raw.get("printers", {})), timeout=10000
        )

    save("pass", f"file:{tmp_path / 'pass.bin'}", "expo")
    save("kitchen", f"file:{tmp_path / 'kitchen.bin'}", "kitchen")
    qtbot.waitUntil(lambda: page.backup.count() == 3)  # no backup, and the two printers
    set_combo(page.backup, "pass")
    set_combo(page.failover_after, "120")
    assert combo_value(page.backup) == "pass"
    page.save()
    qtbot.waitUntil(
        lambda: any(p.backup == "pass" for p in engine.settings.printers if p.name == "kitchen"),
        timeout=10000,
    )
    qtbot.waitUntil(page.idle, timeout=10000)
    kitchen = next(p for p in engine.settings.printers if p.name == "kitchen")
    assert kitchen.failover_after == 120.0
    assert engine.printing is not None
    assert engine.printing.printers["kitchen"].settings.backup == "pass"

    # The backup cannot be removed while the kitchen printer names it: the sentence says why.
    page.name.setText("pass")
    page.say("")
    page.remove()
    qtbot.waitUntil(lambda: page.idle() and bool(page.message.text()), timeout=10000)
    assert "backup names no printer" in page.message.text()
    assert sorted(p.name for p in engine.settings.printers) == ["kitchen", "pass"]  # nothing removed
