"""An on-screen keyboard for touch-only counters: it appears when a text field is tapped and types into it.

Qt Virtual Keyboard ships with PySide6 but needs Qt Quick rendering; under Xvfb and the offscreen platform its
panel never becomes visible, so the counter has its own: finger-sized keys, a digit pad for number fields. It is
drawn inside the window of the field (a separate window would take the activation, and with it the bump bar's
keys), and its keys take no focus, so the field keeps it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.ui.i18n import t

LETTERS = ["1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm,.-"]
DIGITS = ["123", "456", "789", "+0#"]
KEY = 56  # px: a fingertip, gloved


class TouchKeyboard(QWidget):
    """The keys. ``typed(text)``, ``erased()`` and ``done()`` go to the field that has the focus."""

    typed = Signal(str)
    erased = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("touchKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # A tap on a key would pass the focus up to the window; the keyboard takes it and hands it to the field.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setStyleSheet(
            "QWidget#touchKeyboard { background: #23282E; }"
            f" QPushButton {{ min-height: {KEY}px; min-width: {KEY}px; font-size: 24px; font-weight: 700;"
            " background: #3A4048; color: #FFFFFF; border: none; border-radius: 6px; padding: 0; }"
            " QPushButton:pressed { background: #1A66D6; }"
            " QPushButton#special { background: #5D6770; }"
            " QPushButton#done { background: #147A3C; }"
        )
        self.shifted = False
        self.digits_only = False
        self.keys: dict[str, QPushButton] = {}
        self._grid = QGridLayout()
        self._grid.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._grid)
        self._build()

    def set_digits_only(self, digits: bool) -> None:
        if digits != self.digits_only:
            self.digits_only = digits
            self._build()

    def _key(self, label: str, name: str, special: str = "") -> QPushButton:
        button = QPushButton(label)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setObjectName(special)
        button.setAutoRepeat(name == "back")
        button.clicked.connect(lambda _=False, n=name: self.press(n))
        self.keys[name] = button
        return button

    def _build(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.keys = {}
        rows = DIGITS if self.digits_only else LETTERS
        for r, row in enumerate(rows):
            for c, char in enumerate(row):
                shown = char.upper() if self.shifted else char
                self._grid.addWidget(self._key(shown, char), r, c)
        last = len(rows)
        width = len(rows[0])
        if self.digits_only:
            self._grid.addWidget(self._key("←", "back", "special"), last, 0)
            self._grid.addWidget(self._key(t("Done"), "done", "done"), last, 1, 1, 2)
            return
        self._grid.addWidget(self._key("⇧", "shift", "special"), last, 0, 1, 2)
        self._grid.addWidget(self._key(t("Space"), "space"), last, 2, 1, width - 6)
        self._grid.addWidget(self._key("←", "back", "special"), last, width - 4, 1, 2)
        self._grid.addWidget(self._key(t("Done"), "done", "done"), last, width - 2, 1, 2)

    def press(self, name: str) -> None:
        if name == "shift":
            self.shifted = not self.shifted
            self._build()
        elif name == "back":
            self.erased.emit()
        elif name == "done":
            self.done.emit()
        elif name == "space":
            self.typed.emit(" ")
        else:
            self.typed.emit(name.upper() if self.shifted else name)
            if self.shifted:
                self.shifted = False
                self._build()


class KeyboardController(QObject):
    """Shows the keyboard when a text field is tapped (not when the bump bar or code focuses it), beside the
    field rather than over it, and hides it when the field loses the focus or Done is tapped."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("keyboardController")
        self.keyboard = self._new_keyboard()
        self.target: QLineEdit | None = None
        app.installEventFilter(self)

    def _new_keyboard(self) -> TouchKeyboard:
        keyboard = TouchKeyboard()
        keyboard.typed.connect(self._type)
        keyboard.erased.connect(self._erase)
        keyboard.done.connect(self._done)
        return keyboard

    @staticmethod
    def install(app: QApplication | None = None) -> KeyboardController | None:
        """One per application (the composition root, or the first window, installs it)."""
        app = app or QApplication.instance()  # type: ignore[assignment]
        if not isinstance(app, QApplication):
            return None
        found = app.findChild(KeyboardController, "keyboardController")
        return found if found is not None else KeyboardController(app)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(watched, QLineEdit) and isinstance(event, QFocusEvent):
            if event.reason() == Qt.FocusReason.MouseFocusReason and not watched.isReadOnly():
                self.open_for(watched)
        elif (
            kind == QEvent.Type.FocusOut
            and watched is self.target
            and QApplication.focusWidget() is not watched
        ):
            self.close()
        return False

    def open_for(self, field: QLineEdit) -> None:
        if not shiboken6.isValid(self.keyboard):  # it lived in a window that has since been deleted
            self.keyboard = self._new_keyboard()
        self.target = field
        hints = field.inputMethodHints()
        spin = isinstance(field.parentWidget(), QAbstractSpinBox)
        self.keyboard.set_digits_only(
            spin
            or bool(hints & (Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhDialableCharactersOnly))
        )
        window = field.window()
        if self.keyboard.parentWidget() is not window:
            self.keyboard.setParent(window)
        self.keyboard.setFocusProxy(field)
        self._place(field)
        self.keyboard.show()
        self.keyboard.raise_()

    def _place(self, field: QLineEdit) -> None:
        """Along the window's bottom, or its top when the field is in the lower half (never over the field)."""
        window = field.window()
        area: QRect = window.rect()
        size = self.keyboard.sizeHint()
        width = min(
            area.width(), size.width() if self.keyboard.digits_only else max(size.width(), area.width())
        )
        height = min(size.height(), area.height() // 2)
        centre = field.mapTo(window, QPoint(0, field.height() // 2)).y()
        top = area.top() if centre > area.center().y() else area.bottom() - height + 1
        left = area.left() + (area.width() - width) // 2
        self.keyboard.setGeometry(left, top, width, height)

    def close(self) -> None:
        if shiboken6.isValid(self.keyboard):
            self.keyboard.hide()
            self.keyboard.setFocusProxy(None)
        self.target = None

    def _type(self, text: str) -> None:
        if self.target is not None:
            self.target.insert(text)

    def _erase(self) -> None:
        if self.target is not None:
            self.target.backspace()

    def _done(self) -> None:
        target = self.target
        self.close()
        if target is not None:
            target.returnPressed.emit()
            target.editingFinished.emit()
            target.clearFocus()


def visible_keyboard() -> TouchKeyboard | None:
    """The keyboard if it is showing (tests and screenshots)."""
    app = QGuiApplication.instance()
    controller = app.findChild(KeyboardController, "keyboardController") if app is not None else None
    if controller is None or not shiboken6.isValid(controller.keyboard):
        return None
    return controller.keyboard if controller.keyboard.isVisible() else None
