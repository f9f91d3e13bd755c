"""What every setup page shares: big touch fields, a sentence line, and running service calls off the GUI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from posapp.errors import PosappError
from posapp.services.setup import CheckProblem, CheckResult
from posapp.settings_schema import SettingsInvalid
from posapp.ui.i18n import t
from posapp.ui.sentences import say
from posapp.ui.theme import platform_label

log = logging.getLogger(__name__)
T = TypeVar("T")
TOUCH = 56  # px: every target at least this tall


def field(placeholder: str = "", *, secret: bool = False) -> QLineEdit:
    box = QLineEdit()
    box.setMinimumHeight(TOUCH)
    box.setPlaceholderText(placeholder)
    if secret:
        box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


def choice(items: list[tuple[str, str]], *, editable: bool = False) -> QComboBox:
    """A combo of (value, label) pairs; ``value()`` via ``currentData()`` (or the typed text when editable)."""
    box = QComboBox()
    box.setMinimumHeight(TOUCH)
    box.setEditable(editable)
    for value, label in items:
        box.addItem(label, value)
    return box


def combo_value(box: QComboBox) -> str:
    if box.isEditable():
        index = box.findText(box.currentText())
        return str(box.itemData(index)) if index >= 0 and box.itemData(index) else box.currentText().strip()
    return str(box.currentData())


def set_combo(box: QComboBox, value: str | None) -> None:
    index = box.findData(value) if value is not None else -1
    if index >= 0:
        box.setCurrentIndex(index)
    elif value and box.isEditable():
        box.setEditText(value)


def button(text: str, colour: str = "#2D7FF9") -> QPushButton:
    b = QPushButton(text)
    b.setMinimumHeight(TOUCH)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    fg = "#000000" if colour.upper() in ("#FFD54F", "#FFB300", "#F39C12", "#2ECC71") else "#FFFFFF"
    b.setStyleSheet(f"background: {colour}; color: {fg}; font-weight: 700;")
    return b


def check_sentence(result: CheckResult) -> str:
    """Test connection's answer in one sentence, in the screen's language."""
    name = platform_label(result.platform)
    if result.ok:
        return t("Connected to {platform}: {shop}.").format(platform=name, shop=result.shop)
    if result.problem is CheckProblem.WRONG_SECRET:
        return t(
            "{platform} refused the app id or the secret: copy them again from its developer console."
        ).format(platform=name)
    if result.problem is CheckProblem.WRONG_SHOP:
        return t(
            "{platform} accepted the credentials, but the shop id is not one of this app's shops."
        ).format(platform=name)
    if result.problem is CheckProblem.NO_NETWORK:
        return t("{platform} cannot be reached: check the internet connection and the API address.").format(
            platform=name
        )
    if result.problem is CheckProblem.CLOCK_SKEW:
        return t("This computer's clock is more than five minutes off: set the right time, then test again.")
    return t("{platform} refused the test: {detail}").format(platform=name, detail=result.detail)


def problem_text(exc: BaseException) -> str:
    """A service refusal as the screens show it: each settings mistake on its own line."""
    if isinstance(exc, SettingsInvalid):
        return "\n".join(say(p.sentence) for p in exc.problems)
    return say(str(exc))


class Page(QWidget):
    """A setup page: title, explanation, body, and a sentence line for results and mistakes."""

    busyChanged = Signal(bool)

    def __init__(self, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._tasks: set[asyncio.Task[Any]] = set()
        outer = QVBoxLayout(self)
        outer.setSpacing(12)
        self.heading = QLabel(title)
        self.heading.setObjectName("title")
        outer.addWidget(self.heading)
        if intro:
            self.intro = QLabel(intro)
            self.intro.setWordWrap(True)
            self.intro.setObjectName("muted")
            outer.addWidget(self.intro)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)
        self.message = QLabel()
        self.message.setObjectName("setupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)

    def load(self) -> None:
        """Read what the page shows from the service (each page fills itself when shown)."""

    def form(self) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.body.addLayout(form)
        return form

    def row(self, *widgets: QWidget) -> QHBoxLayout:
        line = QHBoxLayout()
        for w in widgets:
            line.addWidget(w)
        line.addStretch(1)
        self.body.addLayout(line)
        return line

    def say(self, text: str, level: str = "info") -> None:
        colour = {"ok": "#2ECC71", "error": "#FF6B5E", "info": ""}.get(level, "")
        self.message.setStyleSheet(f"color: {colour}; font-weight: 700;" if colour else "")
        self.message.setProperty("level", level)
        self.message.setText(text)

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str = "",
    ) -> asyncio.Task[T]:
        """Run a service call without blocking the screen; ``done(result)`` on success, its sentence otherwise."""
        if busy:
            self.say(busy)
        self.busyChanged.emit(True)
        task: asyncio.Task[T] = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)

        def finished(task: asyncio.Task[T]) -> None:
            self._tasks.discard(task)
            if task.cancelled() or not isValid(self):  # the page went (a language switch rebuilt it)
                return
            self.busyChanged.emit(False)
            exc = task.exception()
            if isinstance(exc, PosappError):
                self.say(problem_text(exc), "error")
            elif exc is not None:
                log.error("setup call failed", exc_info=exc)
                self.say(t("Something went wrong; see the log."), "error")
            elif done is not None:
                done(task.result())

        task.add_done_callback(finished)
        return task

    def idle(self) -> bool:
        return not self._tasks


def to_front(widget: QWidget) -> None:
    """Raise and activate ``widget`` (the offscreen platform of the tests has no window stack to raise in)."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        widget.raise_()
        widget.activateWindow()


def scrolled(page: QWidget) -> QWidget:
    """``page`` in a scroll area: every step fits a 1024×768 screen, a long one scrolls by touch."""
    from PySide6.QtWidgets import QFrame, QScrollArea, QScroller

    area = QScrollArea()
    area.setObjectName("setupScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)  # a finger drags it
    return area
