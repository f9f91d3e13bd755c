"""A PIN pad: 64 px digit buttons, masked dots, the wrong-PIN message and a lock-out countdown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from posapp.ui.i18n import t

MAX_DIGITS = 8
BUTTON = 64  # px: fingers in gloves, at arm's length


class PinPad(QWidget):
    """Collects digits and emits ``submitted(pin)``; shows what it is told (error, lock-out), decides nothing."""

    submitted = Signal(str)

    def __init__(
        self,
        title: str | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self._clock = clock
        self._digits = ""
        self._locked_until: datetime | None = None
        self._busy = False

        self.title = QLabel(t("Manager PIN") if title is None else title)
        self.title.setObjectName("pinTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setObjectName("pinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.buttons: dict[str, QPushButton] = {}
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "OK"]
        labels = {"OK": t("OK"), "back": "←"}  # drawn with the bundled font (it has no ⌫)
        for i, key in enumerate(keys):
            button = QPushButton(labels.get(key, key))
            button.setObjectName("pinKey" if key.isdigit() else "pinAction")
            button.setMinimumSize(BUTTON * 3 // 2, BUTTON)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setMaximumWidth(520)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self._render()

    # -- input -------------------------------------------------------------------------------------------

    def press(self, key: str) -> None:
        if self.is_locked() or self._busy:
            return
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "OK":
            if self._digits:
                pin, self._digits = self._digits, ""
                self._busy = True
                self.message.setText(t("Checking…"))
                self._render()
                self.submitted.emit(pin)
            return
        elif key.isdigit() and len(self._digits) < MAX_DIGITS:
            self._digits += key
            self.message.setText("")
        self._render()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        text = event.text()
        if text.isdigit():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("OK")
        elif event.key() == Qt.Key.Key_Backspace:
            self.press("back")
        else:
            super().keyPressEvent(event)

    # -- what the section tells us -----------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self._busy = False
        self.message.setText(text)
        self._render()

    def reset(self) -> None:
        self._busy = False
        self._digits = ""
        if not self.is_locked():
            self.message.setText("")
        self._render()

    def lock_until(self, until: datetime) -> None:
        """Refuse input until ``until``, counting down on screen."""
        self._busy = False
        self._digits = ""
        self._locked_until = until
        self._timer.start()
        self._tick()

    def is_locked(self) -> bool:
        return self._locked_until is not None and self._clock() < self._locked_until

    @property
    def entered(self) -> int:
        return len(self._digits)

    def _tick(self) -> None:
        if self._locked_until is None:
            self._timer.stop()
            return
        left = (self._locked_until - self._clock()).total_seconds()
        if left <= 0:
            self._locked_until = None
            self._timer.stop()
            self.message.setText(t("Enter the PIN again."))
        else:
            self.message.setText(
                t("Too many wrong PINs.\nTry again in {seconds} s").format(seconds=int(left + 0.999))
            )
        self._render()

    def _render(self) -> None:
        locked = self.is_locked()
        shown = max(self.entered, 4)
        self.dots.setText(" ".join("●" if i < self.entered else "○" for i in range(shown)))
        for key, button in self.buttons.items():
            button.setEnabled(not locked and not self._busy and (key != "OK" or self.entered > 0))
