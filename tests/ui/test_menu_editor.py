"""Settings → Menu, the catalogue's touch editor, on a real engine and the simulated Meituan over loopback:
import the menu by a tap, search, edit a dish, 86 it and see Meituan's answer; every target finger-sized."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from posapp.config import Settings
from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.engine import Engine, EngineOptions
from posapp.services.auth import AuthService
from posapp.store import catalogue as catalogue_repo
from posapp.ui.setup.menu_page import MenuPage, parse_price
from posapp.ui.setup.settings_window import SettingsWindow


@pytest.fixture
def sim(arun: Any) -> Iterator[Simulator]:
    simulator = Simulator(platforms=("meituan",), seed=4)
    arun(simulator.start())
    yield simulator
    arun(simulator.stop())


@pytest.fixture
def engine(arun: Any, tmp_path: Path, sim: Simulator) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    arun(eng.serve())
    arun(eng.setup.add_staff("Ann", "manager", "2580", "2580", by="test"))
    plat = sim.platforms["meituan"]
    meituan = registry.make(
        "meituan", base_url=sim.url_for("meituan"), app_id=plat.app_id, secret=plat.secret
    )
    meituan.poi_code = plat.poi_code  # type: ignore[attr-defined]
    assert eng.channels is not None
    eng.channels.connectors["meituan"] = meituan  # as [platforms.meituan] would set it up
    yield eng
    arun(eng.stop())


def open_menu(qtbot: Any, engine: Engine) -> MenuPage:
    assert engine.db is not None
    window = SettingsWindow(engine.setup, AuthService(engine.db), catalogue=engine.catalogue)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.open()
    for key in "2580":
        window.pin.press(key)
    window.pin.press("OK")
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 1, timeout=10000)
    index = [label for label, _page in window.pages].index("Menu")
    qtbot.mouseClick(window.tabs[index], Qt.MouseButton.LeftButton)
    assert window.menu is not None
    qtbot.waitUntil(window.menu.idle)
    return window.menu


def tap_row(qtbot: Any, page: MenuPage, row: int) -> None:
    rect = page.list.visualRect(page.model.index(row))
    qtbot.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_import_search_edit_and_86_a_dish_by_touch(qtbot: Any, engine: Engine, sim: Simulator) -> None:
    page = open_menu(qtbot, engine)
    qtbot.mouseClick(page.import_buttons["meituan"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 10, timeout=10000)
    assert "10 dishes added" in page.message.text()

    page.search.setText("麻婆")  # as the on-screen keyboard types it (QTest cannot type CJK)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    tap_row(qtbot, page, 0)
    assert page.name.text() == "麻婆豆腐" and page.price.text() == "26.00"
    assert page.item_ids["meituan"].text().startswith("SKU-")

    page.station.setEditText("wok")
    page.price.setText("abc")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "price must be a number" in page.message.text()  # refused here, nothing saved
    page.price.setText("¥27.50")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved 麻婆豆腐" in page.message.text(), timeout=5000)
    assert engine.db is not None
    saved = engine.db.call(lambda s: catalogue_repo.get_dish(s, "麻婆豆腐"))
    assert saved is not None and (saved.price, saved.station) == (2750, "wok")

    qtbot.mouseClick(page.sold_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Meituan: sold out sent" in page.answers.text(), timeout=10000)
    assert page.sold_out_button.text() == "Back in stock"
    calls = [p.body for p in sim.pushes_for("meituan") if p.body.get("api") == "food/sku/sellStatus"]
    assert len(calls) == 1 and calls[0]["sell_status"] == "1"
    qtbot.waitUntil(lambda: "86" in str(page.model.data(page.model.index(0))), timeout=5000)


def test_every_target_is_finger_sized_and_the_editor_fits_1024x768(qtbot: Any, engine: Engine) -> None:
    page = open_menu(qtbot, engine)
    window = page.window()
    assert (window.width(), window.height()) == (1024, 768)
    targets = [w for w in page.findChildren(QPushButton) + page.findChildren(QLineEdit) if w.isVisible()]
    assert targets and all(w.height() >= 48 for w in targets), [
        (w.text(), w.height()) for w in targets if w.height() < 48
    ]
    for w in targets:  # nothing runs off the right edge at 1024 px
        assert w.mapTo(window, w.rect().topRight()).x() <= 1024, w.text()
    assert page.list.sizeHintForRow(0) in (-1, 56) or page.model.rowCount() == 0


@pytest.mark.parametrize(("text", "minor"), [("32", 3200), ("32.5", 3250), ("¥1,032.00", 103200), ("", None)])
def test_prices_are_read_as_decimal_minor_units(text: str, minor: int | None) -> None:
    assert parse_price(text) == minor
