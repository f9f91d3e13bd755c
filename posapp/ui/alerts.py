"""Alerts: a chime while any order waits to be accepted, spoken announcements, the overdue alarm, banners.

Sound goes through QtMultimedia when the machine has an audio output; without one the visual alerts
still work and the status strip says that sound is off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from posapp.domain.autocancel import ALARM_LEFT, ESCALATE_LEFT, time_left
from posapp.domain.kitchen import DEFAULT_ACCEPT_ALARM, needs_accept_alarm
from posapp.domain.order import OrderStatus
from posapp.resources import resource
from posapp.services.hub import ChangeKind, OrderChange
from posapp.ui.i18n import t
from posapp.ui.queue_model import QueueModel
from posapp.ui.theme import order_label, platform_label

log = logging.getLogger(__name__)


class Sound:
    """A looping sound effect, or silence where the machine has no audio output."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.playing = False
        self.starts = 0
        self._effect: Any = None
        self._loaded = False

    def load(self) -> None:
        """Load the audio backend and the sound (~0.1 s: kept out of start-up, done soon after or when first
        played)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if QMediaDevices.audioOutputs():
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(resource("sounds", f"{self.name}.wav"))))
                effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
                effect.setVolume(1.0)
                self._effect = effect
        except ImportError:  # PySide6-Addons missing: stay silent, never crash the queue
            log.warning("QtMultimedia is not installed: alerts are visual only")

    @property
    def audible(self) -> bool:
        self.load()
        return self._effect is not None

    def start(self) -> None:
        if not self.playing:
            self.playing = True
            self.starts += 1
            self.load()
            if self._effect is not None:
                self._effect.play()

    def stop(self) -> None:
        if self.playing:
            self.playing = False
            if self._effect is not None:
                self._effect.stop()


class Speaker:
    """Qt text-to-speech, created on first use (loading a speech engine is slow and may fail)."""

    def __init__(self, engine: str | None = None) -> None:
        self.said: list[str] = []
        self.engine = engine
        self._tts: Any = None
        self._loaded = False

    @property
    def available(self) -> bool:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return False
        return bool(QTextToSpeech.availableEngines())

    def _load(self) -> Any:
        if not self._loaded:
            self._loaded = True
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech

                engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"] or ["mock"]
                self._tts = QTextToSpeech(self.engine or engines[0])
            except ImportError:
                log.info("QtTextToSpeech is not installed: announcements are shown, not spoken")
        return self._tts

    def say(self, text: str) -> None:
        self.said.append(text)
        tts = self._load()
        if tts is not None:
            tts.say(text)


class AlertController(QObject):
    """Watches the queue and the stream of changes; drives sounds and asks the window for banners."""

    bannerRequested = Signal(str, str)  # text, level
    alarmChanged = Signal(bool)
    alarmText = Signal(str, bool)  # what the accept alarm says (which orders, how long), escalated
    ESCALATE_AFTER = timedelta(minutes=2)  # unanswered this long: the alarm gets bigger and faster

    def __init__(
        self,
        model: QueueModel,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        accept_alarm: timedelta = DEFAULT_ACCEPT_ALARM,
        speak: bool = False,
        tts_engine: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.clock = clock
        self.accept_alarm = accept_alarm
        self.speak = speak
        self.chime = Sound("chime")
        self.alarm = Sound("alarm")
        self.speaker = Speaker(tts_engine)
        self.alarming = False
        self.alarm_since: datetime | None = None
        # platform -> its auto-cancel window (domain/autocancel.py): the alarm sounds as a cancel nears
        self.auto_cancel: dict[str, timedelta] = {}
        self._alarm_said: tuple[str, bool] | None = None
        for sig in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            sig.connect(self.refresh)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        # The sounds are loaded once the queue is on screen, not before its first paint.
        QTimer.singleShot(1500, self._load_sounds)

    def _load_sounds(self) -> None:
        self.chime.load()
        self.alarm.load()

    @property
    def chiming(self) -> bool:
        return self.chime.playing

    def refresh(self, *_args: object) -> None:
        """Chime while any order is new; alarm while any new order is past the accept threshold."""
        orders = self.model.orders()
        if any(o.status is OrderStatus.NEW for o in orders):
            self.chime.start()
        else:
            self.chime.stop()
        now = self.clock()
        overdue = [
            o for o in orders if needs_accept_alarm(o, now, self.accept_alarm) or self._cancel_near(o, now)
        ]
        if overdue and not self.alarming:
            self.alarming = True
            self.alarm_since = now
            self.alarm.start()
            self.alarmChanged.emit(True)
        elif not overdue and self.alarming:
            self.alarming = False
            self.alarm_since = None
            self._alarm_said = None
            self.alarm.stop()
            self.alarmChanged.emit(False)
        if overdue:
            self._say_alarm(overdue, now)

    def _cancel_near(self, order: Any, now: datetime) -> bool:
        left = time_left(order, now, self.auto_cancel)
        return left is not None and left <= ALARM_LEFT

    def _say_alarm(self, overdue: list[Any], now: datetime) -> None:
        """Until every overdue order is accepted: which ones (with their platform) and how long they wait;
        the nearest auto-cancel first, in its own words, escalated as it nears."""
        oldest = max(int((now - o.placed_at).total_seconds() // 60) for o in overdue)
        numbers = ", ".join(order_label(o) for o in overdue[:5]) + (" …" if len(overdue) > 5 else "")
        text = t("Accept now — the platform will cancel: {numbers} (waiting {minutes} min)").format(
            numbers=numbers, minutes=oldest
        )
        escalated = self.alarm_since is not None and now - self.alarm_since >= self.ESCALATE_AFTER
        lefts = [(left, o) for o in overdue if (left := time_left(o, now, self.auto_cancel)) is not None]
        if lefts:
            left, soonest = min(lefts, key=lambda pair: pair[0])
            seconds = max(0, int(left.total_seconds()))
            text = t("Accept now — {order} is auto-cancelled in {time}").format(
                order=order_label(soonest), time=f"{seconds // 60}:{seconds % 60:02d}"
            ) + (f" · {numbers}" if len(overdue) > 1 else "")
            escalated = escalated or left <= ESCALATE_LEFT
        if (text, escalated) != self._alarm_said:
            self._alarm_said = (text, escalated)
            self.alarmText.emit(text, escalated)

    def on_change(self, change: OrderChange) -> None:
        order = change.order
        label = platform_label(order.platform)
        if change.kind is ChangeKind.CREATED:
            if self.speak:
                self.speaker.say(
                    t("New {platform} order {number}").format(platform=label, number=order.display_id)
                )
        elif (
            change.kind is ChangeKind.STATUS
            and order.status is OrderStatus.CANCELLED
            and change.by == order.platform
        ):
            reason = f": {change.detail}" if change.detail else ""
            self.bannerRequested.emit(
                t("CANCELLED by {platform}: order #{number}").format(platform=label, number=order.display_id)
                + reason,
                "alarm",
            )
            if self.speak:
                self.speaker.say(
                    t("{platform} order {number} cancelled").format(platform=label, number=order.display_id)
                )
        elif change.kind is ChangeKind.UPDATED and change.detail == "reminder":
            self.bannerRequested.emit(
                t("Rush reminder from {platform}: order #{number}").format(
                    platform=label, number=order.display_id
                ),
                "warning",
            )
