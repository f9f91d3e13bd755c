"""Screenshots of busy mode and of NEW cards counting down to their platform's auto-cancel, at 1024×768, in
English and 中文 (README: Busy mode, Auto-cancel countdown).

Run:  python tools/rush_screenshots.py docs/   (under Xvfb or QT_QPA_PLATFORM=offscreen)
Writes docs/1024-busy-{en,zh}.png (the Busy dialog with each platform's answer) and
docs/1024-auto-cancel-{en,zh}.png (the queue: busy in the status strip, NEW cards with their countdown).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("POSAPP_SCREEN", "1024x768")

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from posapp.app import AppOptions, PosApp  # noqa: E402
from posapp.domain.order import OrderStatus  # noqa: E402


def save(widget: QWidget, out: Path, name: str, suffix: str) -> None:
    path = out / f"1024-{name}-{suffix}.png"
    widget.grab().save(str(path))
    print(path, widget.width(), "×", widget.height())


async def shoot(language: str, out: Path) -> None:
    suffix = "zh" if language == "zh_CN" else "en"
    with tempfile.TemporaryDirectory() as tmp:
        app = PosApp(
            AppOptions(data_dir=Path(tmp), demo=True, sim_rate_per_minute=0, sim_prefill=9, language=language)
        )
        await app.start()
        window, busy = app.window, getattr(app, "busy_control", None)
        assert window is not None and busy is not None
        for _ in range(100):
            if window.model.rowCount() >= 9:
                break
            await asyncio.sleep(0.1)
        # Accept all but the Uber Eats orders and one other, so NEW cards with and without a window show.
        kept_other = False
        for order in window.model.orders():
            assert order.id is not None
            if order.platform == "ubereats" or (not kept_other and order.platform == "meituan"):
                kept_other = kept_other or order.platform == "meituan"
                continue
            if order.status is OrderStatus.NEW:
                await app.orders.apply(order.id, "accept", by="kitchen")
        sim = app.simulator
        assert sim is not None
        await sim.emit("ubereats", n=2)  # two Uber Eats orders waiting: their cards count down
        for _ in range(50):
            if (
                sum(o.platform == "ubereats" and o.status is OrderStatus.NEW for o in window.model.orders())
                >= 2
            ):
                break
            await asyncio.sleep(0.1)
        window.state_chips[OrderStatus.NEW].click()  # the NEW orders only, as a cashier would filter them
        await app.on_engine(app.engine.busy.start(20, for_minutes=60, by="demo"))  # type: ignore[union-attr]
        clock = window.delegate.clock
        window.delegate.clock = lambda: (
            clock() + timedelta(minutes=8, seconds=40)
        )  # the Uber orders near the end
        window.view.viewport().update()
        await asyncio.sleep(1.2)
        save(window, out, "auto-cancel", suffix)
        window.delegate.clock = clock
        busy.open()
        await asyncio.sleep(0.6)
        assert busy.dialog is not None
        save(busy.dialog, out, "busy", suffix)
        busy.dialog.close()
        window.close()
        await app.stop()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    qapp = QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    with loop:
        for language in ("en", "zh_CN"):
            loop.run_until_complete(shoot(language, out))


if __name__ == "__main__":
    main()
