"""Settings saved while the counter runs reach what is already on screen: the manager section made before the
change locks after the new time, and the manual order form takes the new currency and quick menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from posapp.app import PosApp
from posapp.services.manual import MenuEntry
from tests.integration.apps import demo_app


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    yield posapp
    assert posapp.window is not None
    posapp.window.close()
    arun(posapp.stop())


def test_a_new_manager_lock_time_reaches_the_section_already_made(qtbot: Any, arun: Any, app: PosApp) -> None:
    section = app.manager
    assert section is not None and section.idle.interval() == 120_000
    arun(app.engine.setup.save_section("reports", {"manager_lock_seconds": 10}, by="manager:test"))
    assert app.setup_screens is not None
    app.setup_screens.refresh()  # what Shop setup does when it closes after a change
    assert section.idle.interval() == 10_000  # the next countdown, from signing in or the last touch


def test_the_manual_order_form_takes_the_new_currency_and_quick_menu(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    menu = [{"name": "Dan Dan Noodles", "price": "9.50", "sku": "DD1"}]
    doc = arun(app.engine.setup.document())
    doc["store"]["currency"] = "USD"
    doc["manual"] = {"menu": menu}
    arun(app.engine.setup.save(doc, by="manager:test"))
    assert app.setup_screens is not None
    app.setup_screens.refresh()
    dialog = app.open_manual_order()
    qtbot.addWidget(dialog)
    assert app.engine.manual.quick_menu == (MenuEntry("Dan Dan Noodles", 950, "DD1"),)
    assert [button.accessibleName() for button in dialog.menu_buttons] == ["Dan Dan Noodles"]
    caption = dialog.menu_buttons[0].findChild(QLabel)
    assert caption is not None and caption.text() == "Dan Dan Noodles\n$9.50"
