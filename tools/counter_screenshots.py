"""Screenshots of every counter screen at 1024×768 (a common counter touchscreen), English and 中文.

Run:  QT_QPA_PLATFORM=offscreen python tools/counter_screenshots.py docs/
Writes docs/1024-{queue,manual-order,keyboard,detail,refund,settings,printers,manager}-{en,zh}.png. The screen is
simulated with POSAPP_SCREEN (posapp/ui/fit.py), so each window is laid out as it would be on that screen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("POSAPP_SCREEN", "1024x768")

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from posapp.app import AppOptions, PosApp  # noqa: E402
from posapp.services.hub import Notice  # noqa: E402
from posapp.ui.keyboard import KeyboardController  # noqa: E402


async def settle(seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)


def save(widget: QWidget, out: Path, name: str, suffix: str) -> None:
    path = out / f"1024-{name}-{suffix}.png"
    widget.grab().save(str(path))
    print(path, widget.width(), "×", widget.height())


async def shoot(language: str, out: Path) -> None:
    suffix = "zh" if language == "zh_CN" else "en"
    with tempfile.TemporaryDirectory() as tmp:
        app = PosApp(
            AppOptions(
                data_dir=Path(tmp), demo=True, sim_rate_per_minute=0, sim_prefill=14, language=language
            )
        )
        await app.start()
        window, controller = app.window, app.controller
        assert window is not None and controller is not None and app.manager is not None
        for _ in range(100):
            if window.model.rowCount() >= 14:
                break
            await asyncio.sleep(0.1)
        for i, order in enumerate(window.model.orders()):
            assert order.id is not None
            for step in ["accept", "start", "ready"][: i % 4]:
                await app.orders.apply(order.id, step, by="kitchen")
        window.on_notice(Notice("store", "", data={"paused": False}))
        await settle(1.2)
        save(window, out, "queue", suffix)

        order = max(window.model.orders(), key=lambda o: len(o.items))
        assert order.id is not None
        await controller.open_detail(order.id)
        await settle()
        detail = controller.dialog
        save(detail, out, "detail", suffix)
        controller.open_refund(detail.order)
        await settle()
        save(controller.dialog, out, "refund", suffix)
        controller.dialog.close()
        detail.close()

        controller.open_settings()
        await settle()
        save(controller.dialog, out, "settings", suffix)
        controller.dialog.close()

        printers = app.open_printers()
        await settle()
        save(printers, out, "printers", suffix)
        printers.close()

        manual = app.open_manual_order()
        for button in manual.menu_buttons[:3]:
            button.click()
        manual.name.setText("王先生" if language == "zh_CN" else "Sam")
        await settle()
        save(manual, out, "manual-order", suffix)
        # The on-screen keyboard on the item note: in Chinese, pinyin "niurou" waits over its candidates.
        manual.list.setCurrentRow(0)
        keyboard = KeyboardController.install()
        assert keyboard is not None
        keyboard.open_for(manual.item_note)
        manual.item_note.setFocus()
        if language == "zh_CN":
            for key in "niurou":
                keyboard.keyboard.press(key)
        else:
            for key in "no onions":
                keyboard.keyboard.press("space" if key == " " else key)
        await settle()
        save(manual, out, "keyboard", suffix)
        keyboard.close()
        manual.close()

        section = app.manager
        section.open()
        await settle()
        for digit in "1234":  # the demo manager's PIN
            section.pinpad.press(digit)
        section.pinpad.press("OK")
        for _ in range(100):
            if section.view.report_page.report is not None:
                break
            await asyncio.sleep(0.1)
        await settle()
        save(section, out, "manager", suffix)
        section.view.setCurrentWidget(section.view.audit_page)
        await settle()
        save(section, out, "manager-audit", suffix)
        section.lock()
        section.close()
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
