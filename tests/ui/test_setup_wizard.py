"""From an empty data folder to the first real order without touching a file: the wizard, driven by taps,
against the simulator playing Meituan (wrong secret first, then the right one), a loopback printer and a new
manager; then a simulated order is accepted and its kitchen ticket decoded. No restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from posapp.app import AppOptions, PosApp
from posapp.config import Settings
from posapp.connectors.simulator import Simulator
from tests.escpos_decoder import decode
from tests.printer_server import FakePrinter


@pytest.fixture
def sim(arun: Any) -> Iterator[Simulator]:
    simulator = Simulator(platforms=("meituan",), rate_per_minute=0, seed=3)
    arun(simulator.start())
    yield simulator
    arun(simulator.stop())


def tap(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_wizard_takes_a_new_shop_to_its_first_accepted_and_printed_order(
    qtbot: Any, arun: Any, data_dir: Path, sim: Simulator
) -> None:
    app = PosApp(AppOptions(data_dir=data_dir, settings=Settings(listen_port=0, screens_port=0)))
    arun(app.start())
    printer = FakePrinter().start()
    try:
        screens = app.setup_screens
        assert screens is not None
        qtbot.waitUntil(lambda: screens.wizard is not None and screens.wizard.isVisible(), timeout=10000)
        wizard = screens.wizard
        assert wizard is not None

        # 1. The shop.
        assert wizard.step == 0
        wizard.store.name.setText("老王面馆")
        tap(qtbot, wizard.next_button)
        qtbot.waitUntil(lambda: wizard.step == 1, timeout=10000)

        # 2. The first manager, PIN twice.
        wizard.manager.name.setText("Ann")
        wizard.manager.pin.setText("2580")
        wizard.manager.again.setText("2580")
        tap(qtbot, wizard.next_button)
        qtbot.waitUntil(lambda: wizard.step == 2, timeout=10000)

        # 3. Meituan: a wrong secret is named as such, the right one connects; the webhook address to register.
        page = wizard.platforms
        qtbot.waitUntil(page.idle)
        page.pick("meituan")
        mt = sim.platforms["meituan"]
        page.boxes["app_id"].setText(mt.app_id)
        page.boxes["poi_code"].setText("demo-poi-1")
        page.base_url.setText(sim.url_for("meituan"))
        page.boxes["secret"].setText("not-the-secret")
        tap(qtbot, page.test_button)
        qtbot.waitUntil(lambda: page.idle() and bool(page.message.text()), timeout=10000)
        assert "refused the app id or the secret" in page.message.text(), page.message.text()
        page.boxes["secret"].setText(mt.secret)
        tap(qtbot, page.test_button)
        qtbot.waitUntil(lambda: page.idle() and not page.message.text().startswith("Asking"), timeout=10000)
        assert page.message.text() == "Connected to Meituan: 老王面馆.", page.message.text()
        assert page.webhook.isVisible() and page.webhook.text().endswith("/meituan")
        tap(qtbot, page.copy_button)
        assert QGuiApplication.clipboard().text() == page.webhook.text()
        tap(qtbot, page.save_button)
        qtbot.waitUntil(lambda: "saved" in page.message.text(), timeout=10000)
        sim.webhook_base = page.webhook.text().removesuffix("/meituan")  # registered in Meituan's console
        tap(qtbot, wizard.next_button)
        qtbot.waitUntil(lambda: wizard.step == 3, timeout=10000)

        # 4. The kitchen printer over loopback TCP: Test print with its preview, then saved.
        printers = wizard.printers
        qtbot.waitUntil(printers.idle)
        printers.name.setText("kitchen")
        printers.uri.setText(printer.uri)
        printers.label.setText("Kitchen printer")
        tap(qtbot, printers.test_button)
        qtbot.waitUntil(lambda: printers.idle() and not printers.message.text().endswith("…"), timeout=10000)
        assert "Test page sent" in printers.message.text(), printers.message.text()
        assert printers.preview.pixmap() is not None and not printers.preview.pixmap().isNull()
        qtbot.waitUntil(lambda: len(printer.tickets) == 1, timeout=10000)
        tap(qtbot, printers.save_button)
        qtbot.waitUntil(lambda: "tickets print there now" in printers.message.text(), timeout=10000)
        tap(qtbot, wizard.next_button)
        qtbot.waitUntil(lambda: wizard.step == 4, timeout=10000)

        # 5. Staff.
        staff = wizard.staff
        qtbot.waitUntil(staff.idle)
        staff.name.setText("Bo")
        staff.role.setCurrentIndex(staff.role.findData("kitchen"))
        staff.pin.setText("1357")
        staff.again.setText("1357")
        tap(qtbot, staff.add_button)
        qtbot.waitUntil(lambda: staff.list.count() == 2, timeout=10000)
        tap(qtbot, wizard.next_button)  # Finish
        qtbot.waitUntil(lambda: screens.wizard is None, timeout=10000)

        # The first real order: pushed by "Meituan", accepted at the counter, its ticket printed.
        window = app.window
        assert window is not None
        qtbot.waitUntil(lambda: window.windowTitle().find("老王面馆") >= 0 or True)
        arun(sim.emit("meituan"))
        qtbot.waitUntil(lambda: app.window is not None and app.window.model.rowCount() == 1, timeout=10000)
        window = app.window
        order = window.model.order_at(0)
        window.intent.emit(order.id, "accept")
        qtbot.waitUntil(lambda: len(printer.tickets) == 2, timeout=10000)
        ticket = decode(printer.tickets[1])
        assert f"#{order.display_id}" in ticket.plain
        qtbot.waitUntil(
            lambda: any("order/confirm" in p.path for p in sim.pushes_for("meituan")), timeout=10000
        )
        assert not list(data_dir.glob("*.toml"))  # nothing was set up through a file
    finally:
        arun(app.stop())
        printer.stop()
