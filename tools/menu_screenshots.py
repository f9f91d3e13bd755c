"""Screenshots of Settings → Menu (the catalogue editor) at 1024×768 and 1920×1080, English and 中文.

Run:  python tools/menu_screenshots.py docs/      (under Xvfb, or QT_QPA_PLATFORM=offscreen)
Writes docs/menu-{1024,1920}-{en,zh}.png: a real engine, the simulated Meituan and Uber Eats menus imported
over loopback, one dish picked and 86ed, Uber Eats' answer shown.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import qasync
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from posapp.config import Settings
from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.engine import Engine, EngineOptions
from posapp.resources import CJK_FONT, resource
from posapp.services.auth import AuthService
from posapp.ui.i18n import install_language
from posapp.ui.setup.settings_window import SettingsWindow


async def until(check: object, seconds: float = 10.0) -> None:
    for _ in range(int(seconds * 20)):
        if callable(check) and check():
            return
        await asyncio.sleep(0.05)


async def shoot(out: Path, language: str) -> None:
    suffix = "zh" if language == "zh_CN" else "en"
    install_language(language)
    sim = Simulator(platforms=("meituan", "ubereats"), seed=4)
    await sim.start()
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(EngineOptions(data_dir=Path(tmp), settings=Settings(listen_port=0, screens_port=0)))
        await engine.open()
        await engine.serve()
        await engine.setup.add_staff("Ann", "manager", "2580", "2580", by="tools")
        assert engine.channels is not None and engine.db is not None
        for name in ("meituan", "ubereats"):
            plat = sim.platforms[name]
            c = registry.make(name, base_url=sim.url_for(name), app_id=plat.app_id, secret=plat.secret)
            if name == "meituan":
                c.poi_code = plat.poi_code  # type: ignore[attr-defined]
            else:
                c.store_id = plat.store_id  # type: ignore[attr-defined]
            engine.channels.connectors[name] = c
        window = SettingsWindow(engine.setup, AuthService(engine.db), catalogue=engine.catalogue)
        window.resize(1024, 768)
        window.open()
        for key in "2580":
            window.pin.press(key)
        window.pin.press("OK")
        await until(lambda: window.stack.currentIndex() == 1)
        window.show_page([label for label, _p in window.pages].index("Menu"))
        page = window.menu
        assert page is not None and engine.catalogue is not None
        await engine.catalogue.import_platform("meituan", by="tools")
        await engine.catalogue.import_platform("ubereats", by="tools")
        page.load()
        await until(lambda: page.model.rowCount() >= 17)
        row = page.model.row_of("Kung Pao Chicken")  # a row in view at 1024×768
        page.list.setCurrentIndex(page.model.index(row))
        page._picked(page.model.index(row))
        page.toggle_sold_out()
        await until(lambda: "✔" in page.answers.text())
        for width, height in ((1024, 768), (1920, 1080)):
            window.resize(width, height)
            await asyncio.sleep(0.5)
            page.list.scrollTo(page.list.currentIndex())  # the picked dish in view at this size
            await asyncio.sleep(0.3)
            path = out / f"menu-{width}-{suffix}.png"
            window.grab().save(str(path))
            print(path, window.width(), "×", window.height())
        window.hide()
        await engine.stop()
    await sim.stop()


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def both() -> None:
        for language in ("en", "zh_CN"):
            await shoot(out, language)

    with loop:
        loop.run_until_complete(both())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
