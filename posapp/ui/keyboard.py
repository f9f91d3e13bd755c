"""An on-screen keyboard for touch-only counters: it appears when a text field is tapped and types into it.

Qt Virtual Keyboard ships with PySide6 but needs Qt Quick rendering; under Xvfb and the offscreen platform its
panel never becomes visible, so the counter has its own: finger-sized keys, a digit pad for number fields. It is
drawn inside the window of the field (a separate window would take the activation, and with it the bump bar's
keys), and its keys take no focus, so the field keeps it.

Chinese is typed in pinyin: with 中 on, letters gather in the candidate bar above the keys, which offers the
words of resources/pinyin/kitchen.tsv (posapp/ui/pinyin.py); tapping one types it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.ui.i18n import current_language, t
from posapp.ui.pinyin import Candidate, kitchen_table

LETTERS = ["1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm,.-"]
DIGITS = ["123", "456", "789", "+0#"]
KEY = 56  # px: a fingertip, gloved
CANDIDATE = 52  # px: the candidate bar's targets (48 px+)
CANDIDATES_SHOWN = 7  # a page of the candidate bar; → shows the next


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
            f" QPushButton#candidate {{ min-height: {CANDIDATE}px; min-width: {CANDIDATE}px; background: #F4F6F8;"
            " color: #111111; font-size: 26px; padding: 0 12px; }"
            " QLabel#pinyin { color: #FFD166; font-size: 24px; font-weight: 700; }"
        )
        self.shifted = False
        self.digits_only = False
        self.language = current_language()
        self.chinese = self.language == "zh_CN"
        self.pinyin = ""  # letters typed in 中 mode and not yet turned into a word
        self._page = 0
        self.keys: dict[str, QPushButton] = {}
        self.candidate_buttons: list[QPushButton] = []
        self.candidate_bar = QWidget()
        self.candidate_bar.setObjectName("candidateBar")
        self._bar = QHBoxLayout(self.candidate_bar)
        self._bar.setContentsMargins(0, 0, 0, 0)
        self._bar.setSpacing(6)
        self.composing = QLabel()
        self.composing.setObjectName("pinyin")
        self._grid = QGridLayout()
        self._grid.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.candidate_bar)
        layout.addLayout(self._grid)
        self._build()
        self._show_candidates()

    def set_digits_only(self, digits: bool) -> None:
        language = current_language()
        if language != self.language:  # the screens changed language: letters follow (中 for Chinese)
            self.language = language
            self.chinese = language == "zh_CN"
            self._build()
        if digits != self.digits_only:
            self.digits_only = digits
            self._build()
        self.pinyin = ""
        self._show_candidates()

    # -- pinyin ------------------------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        return kitchen_table().candidates(self.pinyin, limit=60) if self.pinyin else []

    def choose(self, candidate: Candidate) -> None:
        """Type ``candidate``; the letters it does not stand for stay in the bar ("niu" of "niurou" -> 牛, "rou")."""
        self.typed.emit(candidate.text)
        self.pinyin = self.pinyin[candidate.letters :]
        self._page = 0
        self._show_candidates()

    def _show_candidates(self) -> None:
        """The bar in letter mode: the letters typed so far, a page of words, → for the next page."""
        while self._bar.count():
            item = self._bar.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.composing:
                widget.deleteLater()
        self.candidate_buttons = []
        self.candidate_bar.setVisible(not self.digits_only and self.chinese)
        if self.digits_only or not self.chinese:
            return
        found = self.candidates()
        pages = max(1, -(-len(found) // CANDIDATES_SHOWN))
        self._page %= pages
        self.composing.setText(self.pinyin or t("Pinyin"))
        self._bar.addWidget(self.composing)
        for candidate in found[self._page * CANDIDATES_SHOWN : (self._page + 1) * CANDIDATES_SHOWN]:
            button = QPushButton(candidate.text)
            button.setObjectName("candidate")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, c=candidate: self.choose(c))
            self.candidate_buttons.append(button)
            self._bar.addWidget(button)
        self._bar.addStretch(1)
        if pages > 1:
            more = QPushButton("→")
            more.setObjectName("special")
            more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            more.clicked.connect(self._next_page)
            self.candidate_buttons.append(more)
            self._bar.addWidget(more)
        # An empty bar keeps its height, so the keys do not jump when the first letter is typed.
        self.candidate_bar.setMinimumHeight(CANDIDATE)

    def _next_page(self) -> None:
        self._page += 1
        self._show_candidates()

    def flush(self, choose_first: bool) -> None:
        """Hand over the letters still in the bar: as the first word offered, or as they were typed."""
        if not self.pinyin:
            return
        found = self.candidates() if choose_first else []
        self.typed.emit(found[0].text if found and found[0].letters == len(self.pinyin) else self.pinyin)
        self.pinyin = ""
        self._page = 0
        self._show_candidates()

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
            if item is not None and (key := item.widget()) is not None:
                key.deleteLater()
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
        self._grid.addWidget(self._key("中" if self.chinese else "EN", "lang", "special"), last, 2)
        self._grid.addWidget(self._key(t("Space"), "space"), last, 3, 1, width - 7)
        self._grid.addWidget(self._key("←", "back", "special"), last, width - 4, 1, 2)
        self._grid.addWidget(self._key(t("Done"), "done", "done"), last, width - 2, 1, 2)

    def press(self, name: str) -> None:
        composing = self.chinese and not self.digits_only
        if name == "shift":
            self.shifted = not self.shifted
            self._build()
        elif name == "lang":
            self.flush(choose_first=False)
            self.chinese = not self.chinese
            self._build()
            self._show_candidates()
        elif name == "back" and self.pinyin:
            self.pinyin = self.pinyin[:-1]
            self._page = 0
            self._show_candidates()
        elif name == "back":
            self.erased.emit()
        elif name == "done":
            self.flush(choose_first=False)
            self.done.emit()
        elif name == "space" and self.pinyin:
            self.flush(choose_first=True)  # as pinyin keyboards do: space takes the first word
        elif name == "space":
            self.typed.emit(" ")
        elif composing and name.isascii() and name.isalpha() and not self.shifted:
            self.pinyin += name
            self._page = 0
            self._show_candidates()
        else:
            self.flush(choose_first=True)
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
            self.keyboard.flush(choose_first=False)  # pinyin letters not yet chosen stay typed, never lost
            self.keyboard.hide()
            self.keyboard.setFocusProxy(None)  # type: ignore[arg-type]  # Qt takes nullptr; the stub says QWidget
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
