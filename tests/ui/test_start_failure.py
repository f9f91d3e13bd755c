"""A desktop start that fails (here: the data key missing on a new machine) is said in a window in the screen's
language, not only on a terminal the shop never sees; the window closes by its button or after close_after."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from posapp.app import show_start_failure
from posapp.store.sealed import MISSING_KEY_SENTENCE
from posapp.ui.i18n import install_language


def _box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    return boxes[0] if boxes else None


def test_the_missing_key_is_said_in_chinese_in_a_window_that_closes_itself(qtbot: Any, arun: Any) -> None:
    seen: dict[str, str] = {}

    async def scenario() -> None:
        import asyncio

        task = asyncio.ensure_future(show_start_failure(MISSING_KEY_SENTENCE, "zh_CN", close_after=1.0))
        while _box() is None:
            await asyncio.sleep(0.02)
        box = _box()
        assert box is not None
        seen["text"], seen["more"] = box.text(), box.informativeText()
        (close,) = box.buttons()
        seen["button"] = str(close.height())
        seen["label"] = close.text()
        await asyncio.wait_for(task, 10)

    try:
        arun(scenario())
    finally:
        install_language("en")
    assert "本机没有的密钥" in seen["text"] and "posapp privacy import-key" in seen["text"]
    assert "无法启动" in seen["more"]
    assert int(seen["button"]) >= 48 and seen["label"] == "关闭"
    assert _box() is None


def test_an_untranslated_failure_is_shown_as_written_and_the_close_button_ends_the_wait(
    qtbot: Any, arun: Any
) -> None:
    async def scenario() -> str:
        import asyncio

        task = asyncio.ensure_future(show_start_failure("Port 8080 is taken by another program.", "en"))
        while _box() is None:
            await asyncio.sleep(0.02)
        box = _box()
        assert box is not None
        text = box.text()
        box.buttons()[0].click()
        await asyncio.wait_for(task, 10)
        return text

    assert arun(scenario()) == "Port 8080 is taken by another program."
