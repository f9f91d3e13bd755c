"""Small touch-first building blocks: big buttons, chips, a dialog frame, a wrapping row, an eliding label."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCalendarWidget,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScroller,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from posapp.ui.fit import fit_to_screen
from posapp.ui.i18n import t
from posapp.ui.theme import text_on

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (the style sheet's ``#name`` and the tests' ``findChild`` key).

    PySide6 takes ``objectName=`` as a constructor keyword, but its type stubs do not declare it."""
    widget.setObjectName(name)
    return widget


def big_button(text: str, colour: str = "#1A66D6", *, min_height: int = 64) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(min_height)
    fg = text_on(colour).name()
    button.setStyleSheet(f"background: {colour}; color: {fg}; font-size: 22px; font-weight: 700;")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def wrapping_button(text: str, colour: str = "#34495E", *, min_height: int = 72) -> QPushButton:
    """A big button whose label wraps onto two lines instead of being cut at both ends."""
    button = big_button("", colour, min_height=min_height)
    button.setAccessibleName(text)
    label = QLabel(text)
    label.setObjectName("buttonText")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setStyleSheet("background: transparent; color: inherit; font-size: 22px; font-weight: 700;")
    inner = QVBoxLayout(button)
    inner.setContentsMargins(10, 4, 10, 4)
    inner.addWidget(label)
    button.label = label  # type: ignore[attr-defined]
    return button


def chip(text: str) -> QPushButton:
    """A toggle chip for filters: 48 px tall, checked state clearly different."""
    button = QPushButton(text)
    button.setCheckable(True)
    button.setMinimumHeight(48)
    button.setObjectName("chip")
    return button


class TouchDialog(QDialog):
    """A modal dialog with a big title and a Close button at the bottom."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.body = QVBoxLayout(self)
        self.body.setSpacing(10)
        heading = QLabel(title)
        heading.setObjectName("title")
        heading.setWordWrap(True)
        self.heading = heading
        self.body.addWidget(heading)
        self.content = QVBoxLayout()
        self.body.addLayout(self.content, 1)
        self.buttons = QHBoxLayout()
        self.body.addLayout(self.buttons)
        close = big_button(t("Close"), "#5D6770")
        close.clicked.connect(self.reject)
        self.buttons.addStretch(1)
        self.buttons.addWidget(close)
        self.close_button = close

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_to_screen(self)


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps to a new row when the width runs out (chips, tool buttons):
    on a 1024 px screen a row of eleven chips becomes two rows instead of pushing the window wider."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(max(0, index), QWidgetItem(widget))
        self.invalidate()

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = sum(i.sizeHint().width() for i in self._shown()) + self.spacing() * max(
            len(self._items) - 1, 0
        )
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not ((widget := i.widget()) is not None and widget.isHidden())]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._shown():
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and row_height > 0:
                x, y, row_height = area.x(), y + row_height + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), area.width()), hint.height())))
            x += hint.width() + gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


class ElidedLabel(QLabel):
    """A one-line label that takes the room it is given and ends in "…" when the text does not fit; a long
    press (or hover) shows the whole text. Never pushes its window wider than the screen."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
        )  # shrinks to its minimum
        LongPress.show_full_text(self)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self.setToolTip(text)
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(24, super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        style = self.style()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        style.drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), text,
                           self.foregroundRole())  # fmt: skip

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()


class LongPress(QObject):
    """Calls back when a finger rests ~0.6 s on a widget without moving: touch's "hover"."""

    DELAY_MS = 600

    def __init__(self, widget: QWidget, callback: Callable[[QPoint], None]) -> None:
        super().__init__(widget)
        self.callback = callback
        self._at = QPoint()
        self._timer = QTimer(self, singleShot=True, interval=self.DELAY_MS)
        self._timer.timeout.connect(lambda: self.callback(self._at))
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._at = event.globalPosition().toPoint()
            self._timer.start()
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if (event.globalPosition().toPoint() - self._at).manhattanLength() > 16:
                self._timer.stop()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.Hide):
            self._timer.stop()
        return False

    @staticmethod
    def show_full_text(widget: QWidget) -> LongPress:
        """A long press shows the widget's tooltip (its full text) where the finger is."""
        return LongPress(widget, lambda at: QToolTip.showText(at, widget.toolTip(), widget))


class TapGuard:
    """After a tap that changes what is under the finger (Accept turns into Start, a dialog closes, a card
    leaves), taps near it are ignored for a moment: the second tap of a double tap must not hit the button
    that appeared there. A tap elsewhere (another card) still counts."""

    HOLD_S = 0.5
    SLOP = 24  # px a finger may move and still tap
    REACH = 120  # px around the last tap where a second tap counts as the same double tap

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._until = 0.0
        self._at: QPoint | None = None

    def hold(self, at: QPoint | None = None, seconds: float | None = None) -> None:
        """Guard for a moment, around ``at`` (a point in the guarded widget) or everywhere."""
        self._until = self._now() + (self.HOLD_S if seconds is None else seconds)
        self._at = at

    def blocked(self, at: QPoint | None = None) -> bool:
        if self._now() >= self._until:
            return False
        return self._at is None or at is None or (at - self._at).manhattanLength() <= self.REACH


def escape_mnemonic(text: str) -> str:
    """Data shown on a button: "Hot & Sour Soup" must not become "Hot _Sour Soup" with S as a shortcut."""
    return text.replace("&", "&&")


def stepper(spin: QAbstractSpinBox, *, size: int = 56) -> QWidget:
    """A spin box between two finger-sized − and + buttons (its own arrows are ~14 px: too small to hit)."""
    # Arrows hidden by width, not NoButtons: with a styled border NoButtons leaves the text field 1 px wide.
    spin.setStyleSheet(
        "QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 0px; border: none; }"
    )
    spin.setMinimumHeight(size)
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for text, step in (("−", -1), ("+", 1)):
        button = QPushButton(text)
        button.setObjectName("stepDown" if step < 0 else "stepUp")
        button.setFixedSize(size, size)
        button.setStyleSheet(f"min-width: {size}px; max-width: {size}px; min-height: {size}px; padding: 0;")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(True)
        button.clicked.connect(lambda _=False, s=step: spin.stepBy(s))
        if step < 0:
            row.addWidget(button)
            row.addWidget(spin, 1)
        else:
            row.addWidget(button)
    return box


def kinetic(area: QAbstractScrollArea) -> None:
    """Drag to scroll with momentum (touch screens have no wheel; scroll bars are small targets). In an item
    view Qt itself keeps a drag, or a tap that stops a glide, from clicking the row under the finger."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)


def touch_date(edit: QDateEdit) -> QDateEdit:
    """A date picker whose calendar days are finger-sized (Qt's are ~29 px tall) and without week numbers."""
    edit.setCalendarPopup(True)
    calendar = edit.calendarWidget()
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    calendar.setMinimumSize(7 * 64, 48 + 7 * 52)  # 7 columns; navigation bar + day names + 6 weeks
    return edit
