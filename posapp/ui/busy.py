"""Busy mode at the counter: one tap for "+10 / +20 / +30 min", what each platform does with it, and a
per-order "needs 10 more minutes" in the order's detail. Shows state; the rules are in services/busy.py."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from posapp.services.busy import CHOICES
from posapp.services.hub import Notice
from posapp.ui.i18n import t
from posapp.ui.theme import platform_label
from posapp.ui.widgets import TouchDialog, big_button, named

BUSY_COLOUR = "#B9770E"
DURATIONS: tuple[tuple[float | None, str], ...] = (
    (30, "for 30 min"),
    (60, "for 1 hour"),
    (120, "for 2 hours"),
    (None, "until I end it"),
)
ORDER_DELAY = 10  # minutes one tap on an order's detail asks for


def answer_text(takes: bool, platform: str, how: str) -> str:
    """One platform's answer as the screen says it: ✔ it takes it (how), or ✖ why not."""
    return f"{'✔' if takes else '✖'} {platform_label(platform)}: {t(how)}"


def busy_strip_text(data: dict[str, Any], tz: tzinfo) -> str:
    """The status strip while busy: "Busy +20 min until 19:40 — sent to Uber Eats, DoorDash"."""
    until = data.get("until")
    when = (
        t("until {time}").format(time=f"{until.astimezone(tz):%H:%M}")
        if isinstance(until, datetime)
        else t("until ended")
    )
    taking = [platform_label(a["platform"]) for a in data.get("answers", []) if a["takes"]]
    text = t("Busy +{n} min {until}").format(n=data.get("extra_minutes", 0), until=when)
    if taking:
        text += " — " + t("sent to {platforms}").format(platforms=", ".join(taking))
    return text


def _checkable(button: QPushButton) -> None:
    """A choice button whose chosen state shows: a thick white frame (its colour stays its own)."""
    button.setCheckable(True)
    button.setStyleSheet(
        f"QPushButton {{ {button.styleSheet()} border: 5px solid transparent; border-radius: 8px; }}"
        " QPushButton:checked { border: 5px solid #FFFFFF; }"
    )


class BusyDialog(TouchDialog):
    """Pick the extra minutes and for how long; each platform's answer below; Back to normal."""

    def __init__(self, state: dict[str, Any], tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(t("Busy mode"), parent)
        self.tz = tz
        self.resize(900, 640)
        self.status = named(QLabel(""), "busyState")
        self.status.setWordWrap(True)
        self.content.addWidget(self.status)
        grid = QGridLayout()
        self.minutes = QButtonGroup(self)
        for col, n in enumerate(CHOICES):
            button = named(big_button(t("+{n} min").format(n=n), BUSY_COLOUR, min_height=72), f"busy-{n}")
            _checkable(button)
            button.setChecked(n == (state.get("extra_minutes") or CHOICES[0]))
            self.minutes.addButton(button, n)
            grid.addWidget(button, 0, col)
        self.durations = QButtonGroup(self)
        for col, (minutes, text) in enumerate(DURATIONS):
            button = named(big_button(t(text), "#34495E"), f"busy-for-{col}")
            _checkable(button)
            button.setChecked(minutes == 60)
            self.durations.addButton(button, col)
            grid.addWidget(button, 1, col)
        self.content.addLayout(grid)
        self.answers = named(QLabel(""), "busyAnswers")
        self.answers.setWordWrap(True)
        self.content.addWidget(self.answers)
        self.content.addStretch(1)
        row = QHBoxLayout()
        self.start_button = named(big_button(t("Start busy mode"), BUSY_COLOUR), "busyStart")
        self.normal_button = named(big_button(t("Back to normal"), "#1E8E4E"), "busyNormal")
        row.addWidget(self.start_button, 2)
        row.addWidget(self.normal_button, 1)
        self.body.insertLayout(self.body.count() - 1, row)
        self.show_state(state)

    def chosen(self) -> tuple[int, float | None]:
        minutes = self.minutes.checkedId()
        duration = DURATIONS[max(0, self.durations.checkedId())][0]
        return (minutes if minutes > 0 else CHOICES[0]), duration

    def show_state(self, data: dict[str, Any]) -> None:
        on = bool(data.get("on"))
        self.status.setText(busy_strip_text(data, self.tz) if on else t("Normal prep times"))
        self.normal_button.setEnabled(on)
        lines = [answer_text(a["takes"], a["platform"], a["how"]) for a in data.get("answers", [])]
        self.answers.setText("\n".join(lines))


class BusyControl(QObject):
    """The counter's Busy button and dialog, and "+10 min" in each order's detail; ``busy`` is the engine's
    BusyService as the window uses it, ``spawn`` runs a coroutine for the window."""

    def __init__(
        self,
        window: Any,
        busy: Any,
        spawn: Callable[[Coroutine[Any, Any, Any]], object],
        *,
        user: Callable[[], str] = lambda: "staff",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.busy = busy
        self.spawn = spawn
        self.user = user
        self.state: dict[str, Any] = {"on": False, "answers": []}
        self.dialog: BusyDialog | None = None
        self.button: QPushButton = window.add_tool(t("Busy"), BUSY_COLOUR, self.open)
        self.button.setObjectName("busyButton")

    def on_notice(self, notice: Notice) -> None:
        if notice.source != "busy":
            return
        self.state = dict(notice.data)
        on = bool(self.state.get("on"))
        self.button.setText(t("Busy +{n} min").format(n=self.state.get("extra_minutes")) if on else t("Busy"))
        self.window.set_status("busy", busy_strip_text(self.state, self.window.tz) if on else "", "warning")
        if self.dialog is not None:
            self.dialog.show_state(self.state)

    def open(self) -> None:
        if not self.state.get("answers"):
            self.busy.publish()  # the engine's state and answers, before the dialog shows
        dialog = BusyDialog(self.state, self.window.tz, self.window)
        dialog.start_button.clicked.connect(lambda: self._start(dialog))
        dialog.normal_button.clicked.connect(lambda: self.spawn(self.busy.end(by=self.user())))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _start(self, dialog: BusyDialog) -> None:
        minutes, duration = dialog.chosen()
        self.spawn(self.busy.start(minutes, for_minutes=duration, by=self.user()))

    # -- one order ----------------------------------------------------------------------------------
    def add_to_detail(self, dialog: Any) -> None:
        """An order's detail dialog gets "Needs 10 more min" while the order is open."""
        order = dialog.order
        button = named(big_button(t("Needs {n} more min").format(n=ORDER_DELAY), BUSY_COLOUR), "orderDelay")
        button.clicked.connect(lambda: self.spawn(self._delay(dialog)))
        dialog.body.insertWidget(dialog.body.count() - 1, button)
        button.setVisible(order.status.value in ("new", "accepted", "preparing"))

    async def _delay(self, dialog: Any) -> None:
        answer = await self.busy.delay_order(dialog.order, ORDER_DELAY, by=self.user())
        text = answer_text(answer.takes, answer.platform, answer.how)
        dialog.show_result(text, "info" if answer.takes else "warning")
