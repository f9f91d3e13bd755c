"""A tapped text field gets the on-screen keyboard; the keys type into it and Done hands the keys back."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from posapp.services.manual import MenuEntry
from posapp.ui.i18n import install_language
from posapp.ui.keyboard import KeyboardController, visible_keyboard
from posapp.ui.main_window import MainWindow
from posapp.ui.manual_order import ManualOrderDialog
from posapp.ui.queue_model import QueueModel


@pytest.fixture(autouse=True)
def english(qapp: Any) -> None:
    """The screens in English (another test may leave Chinese installed): the keyboard starts in letters."""
    install_language("en")


def test_tapping_search_opens_the_keyboard_which_types_and_gives_the_keys_back(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert visible_keyboard() is None  # focus on the queue: no keyboard
    qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
    keyboard = visible_keyboard()
    assert keyboard is not None
    for key in ("w", "1"):
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert window.search.text() == "w1"
    assert QApplication.focusWidget() is window.search  # the keys never took the focus
    qtbot.mouseClick(keyboard.keys["back"], Qt.MouseButton.LeftButton)
    assert window.search.text() == "w"
    small = [k for k in keyboard.keys.values() if min(k.width(), k.height()) < 48]
    assert small == []
    qtbot.mouseClick(keyboard.keys["done"], Qt.MouseButton.LeftButton)
    assert visible_keyboard() is None
    assert QApplication.focusWidget() is not window.search  # the bump bar drives the queue again


def test_a_phone_field_gets_digits_and_the_keyboard_leaves_the_field_in_view(qtbot: Any) -> None:
    KeyboardController.install()  # the counter's window installs it; this dialog is shown alone
    dialog = ManualOrderDialog([MenuEntry("Tea", 300, None)], "CNY")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.mouseClick(dialog.phone, Qt.MouseButton.LeftButton)
    keyboard = visible_keyboard()
    assert keyboard is not None and keyboard.digits_only
    for key in "139":
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert dialog.phone.text() == "139"
    field = QRect(dialog.phone.mapTo(dialog, QPoint(0, 0)), dialog.phone.size())
    assert keyboard.parentWidget() is dialog and not keyboard.geometry().intersects(field)
    qtbot.mouseClick(dialog.notes, Qt.MouseButton.LeftButton)
    assert not keyboard.digits_only  # a text field: letters
    keyboard.press("done")
    assert visible_keyboard() is None


def test_typing_niurou_in_pinyin_offers_beef_and_tapping_it_types_it(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
    keyboard = visible_keyboard()
    assert keyboard is not None and not keyboard.chinese  # English screens start in English letters
    qtbot.mouseClick(keyboard.keys["lang"], Qt.MouseButton.LeftButton)
    assert keyboard.chinese and keyboard.candidate_bar.isVisible()
    for key in "niurou":
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert window.search.text() == ""  # the letters wait in the candidate bar
    assert keyboard.composing.text() == "niurou"
    offered = {b.text(): b for b in keyboard.candidate_buttons}
    assert "牛肉" in offered
    assert [b.text() for b in keyboard.candidate_buttons if min(b.width(), b.height()) < 48] == []
    qtbot.mouseClick(offered["牛肉"], Qt.MouseButton.LeftButton)
    assert window.search.text() == "牛肉"
    assert keyboard.pinyin == "" and QApplication.focusWidget() is window.search


def test_a_first_syllable_leaves_the_rest_to_type_and_done_keeps_unchosen_letters(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
    keyboard = visible_keyboard()
    assert keyboard is not None
    keyboard.press("lang")
    for key in "niurou":
        keyboard.press(key)
    beef = next(b for b in keyboard.candidate_buttons if b.text() == "牛")
    qtbot.mouseClick(beef, Qt.MouseButton.LeftButton)
    assert window.search.text() == "牛" and keyboard.pinyin == "rou"
    keyboard.press("space")  # space takes the first word for the letters left
    assert window.search.text() == "牛肉"
    for key in "tela":
        keyboard.press(key)
    keyboard.press("back")
    assert keyboard.pinyin == "tel"
    keyboard.press("done")
    assert window.search.text() == "牛肉tel"  # nothing typed is lost
    assert visible_keyboard() is None


def test_the_keyboard_starts_in_pinyin_when_the_screens_speak_chinese(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        for language, chinese in (("zh_CN", True), ("en", False)):
            install_language(language)
            qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
            keyboard = visible_keyboard()
            assert keyboard is not None
            assert keyboard.chinese is chinese and keyboard.candidate_bar.isVisible() is chinese
            assert keyboard.keys["lang"].text() == ("中" if chinese else "EN")
            keyboard.press("done")
    finally:
        install_language("en")
