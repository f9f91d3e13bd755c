"""Make the README's screenshots from the real app in demo mode: rush queue, detail and all-day, en + zh_CN.

Run under a display or offscreen:  QT_QPA_PLATFORM=offscreen python tools/screenshots.py docs/
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from posapp.app import AppOptions, PosApp
from posapp.ui.dialogs import OrderDetailDialog


async def shoot(language: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = PosApp(
            AppOptions(
                data_dir=Path(tmp), demo=True, sim_rate_per_minute=0, sim_prefill=36, language=language
            )
        )
        await app.start()
        window = app.window
        assert window is not None
        window.resize(1366, 900)
        for _ in range(100):
            if window.model.rowCount() >= 36:
                break
            await asyncio.sleep(0.1)
        orders = window.model.orders()
        # A realistic rush: some accepted, some cooking, some ready, the rest new.
        for i, order in enumerate(orders):
            assert order.id is not None
            steps = ["accept", "start", "ready"][: i % 4]
            for step in steps:
                await app.orders.apply(order.id, step, by="kitchen")
        await asyncio.sleep(1.2)
        suffix = "zh" if language == "zh_CN" else "en"
        window.grab().save(str(out / f"queue-rush-{suffix}.png"))
        window.toggle_all_day()
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"all-day-{suffix}.png"))
        window.toggle_all_day()
        first = window.model.orders()[0]
        assert first.id is not None and app.controller is not None
        await app.controller.open_detail(first.id)
        dialog = app.controller.dialog
        assert isinstance(dialog, OrderDetailDialog)
        await asyncio.sleep(0.3)
        dialog.grab().save(str(out / f"detail-{suffix}.png"))
        dialog.close()
        window.close()
        await app.stop()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def both() -> None:
        await shoot("en", out)
        await shoot("zh_CN", out)

    with loop:
        loop.run_until_complete(both())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
