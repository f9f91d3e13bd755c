"""Render every step of the first-run wizard and every Settings page at 1024×768 and save them in docs/:
docs/setup-<n>-<step>-<lang>.png and docs/settings-<page>-<lang>.png, against the built-in simulator playing
Meituan and a loopback printer (nothing of the user's is touched: a temporary data folder).

    QT_QPA_PLATFORM=offscreen python tools/setup_screenshots.py            # English and 中文
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault(
    "PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring"
)  # no real keyring touched
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from posapp.config import Settings  # noqa: E402
from posapp.connectors.simulator import Simulator  # noqa: E402
from posapp.engine import Engine, EngineOptions  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.setup.settings_window import SettingsWindow  # noqa: E402
from posapp.ui.setup.wizard import SetupWizard  # noqa: E402
from tests.printer_server import FakePrinter  # noqa: E402

DOCS = ROOT / "docs"
STEPS = ("store", "manager", "platforms", "printers", "staff")
PAGES = ("platforms", "printers", "staff", "store", "reports")


async def settle(page: QWidget | None = None, seconds: float = 0.3) -> None:
    for _ in range(100):
        await asyncio.sleep(0.05)
        if page is None or getattr(page, "idle", lambda: True)():
            break
    await asyncio.sleep(seconds)


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(DOCS / name))
    print(DOCS / name)


async def shoot(language: str) -> None:
    install_language(language)
    suffix = "zh" if language == "zh_CN" else "en"
    with tempfile.TemporaryDirectory(prefix="posapp-shots-") as tmp:
        sim = Simulator(platforms=("meituan",), rate_per_minute=0, seed=1)
        await sim.start()
        engine = Engine(EngineOptions(data_dir=Path(tmp), settings=Settings(listen_port=0, screens_port=0)))
        await engine.open()
        await engine.serve()
        printer = FakePrinter().start()
        try:
            await wizard_shots(engine, sim, printer, language, suffix)
            await settings_shots(engine, suffix, language)
        finally:
            printer.stop()
            await engine.stop()
            await sim.stop()


async def wizard_shots(
    engine: Engine, sim: Simulator, printer: FakePrinter, language: str, suffix: str
) -> None:
    wizard = SetupWizard(engine.setup, language=language)
    wizard.resize(1024, 768)
    wizard.show()
    await settle(wizard.store)
    wizard.store.name.setText("老王面馆 Lao Wang Noodles")
    save(wizard, f"setup-1-store-{suffix}.png")
    wizard.store.save()
    await settle(wizard.store)
    wizard.go(1)
    await settle(wizard.manager)
    wizard.manager.name.setText("Ann")
    wizard.manager.pin.setText("2580")
    wizard.manager.again.setText("2580")
    save(wizard, f"setup-2-manager-{suffix}.png")
    wizard.manager.save()
    await settle(wizard.manager)
    wizard.go(2)
    page = wizard.platforms
    await settle(page)
    mt = sim.platforms["meituan"]
    page.pick("meituan")
    page.boxes["app_id"].setText(mt.app_id)
    page.boxes["poi_code"].setText("demo-poi-1")
    page.base_url.setText(sim.url_for("meituan"))
    page.boxes["secret"].setText("wrong-secret")
    page.test()
    await settle(page)
    save(wizard, f"setup-3-platforms-wrong-secret-{suffix}.png")
    page.boxes["secret"].setText(mt.secret)
    page.test()
    await settle(page)
    save(wizard, f"setup-3-platforms-{suffix}.png")
    page.save()
    await settle(page)
    wizard.go(3)
    printers = wizard.printers
    await settle(printers)
    printers.name.setText("kitchen")
    printers.uri.setText(printer.uri)
    printers.label.setText("Kitchen printer" if suffix == "en" else "后厨打印机")
    printers.test_print()
    await settle(printers)
    save(wizard, f"setup-4-printers-{suffix}.png")
    printers.save()
    await settle(printers)
    wizard.go(4)
    staff = wizard.staff
    await settle(staff)
    staff.name.setText("Bo")
    staff.pin.setText("1357")
    staff.again.setText("1357")
    staff.add()
    await settle(staff)
    save(wizard, f"setup-5-staff-{suffix}.png")
    wizard.close()


async def settings_shots(engine: Engine, suffix: str, language: str) -> None:
    from posapp.services.auth import AuthService

    assert engine.db is not None and engine.backups is not None
    window = SettingsWindow(
        engine.setup, AuthService(engine.db), backup_now=engine.backups.backup_now, language=language
    )
    window.resize(1024, 768)
    window.open()
    await settle()
    save(window, f"settings-pin-{suffix}.png")
    for key in "2580":
        window.pin.press(key)
    window.pin.press("OK")
    await settle(seconds=1.0)
    for i, name in enumerate(PAGES):
        window.show_page(i)
        await settle(window.pages[i][1])
        save(window, f"settings-{name}-{suffix}.png")
    window.close()


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        for language in ("en", "zh_CN"):
            loop.run_until_complete(shoot(language))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
