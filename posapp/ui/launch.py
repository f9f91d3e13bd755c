"""The counter's first paint: the queue drawn from a read-only look at the database before the engine loads.

Importing the engine (SQLAlchemy's ORM, the settings schema, every service) is a third of a start-up; the
queue needs none of it to be seen. When the data folder's database is already at the bundled schema
(``store.peek``), the window is made and painted from it first; the app then opens the engine, which adopts
this same window when it was made with the same settings (else it is replaced), loads the engine's own
snapshot and follows the change feed from there. Until then the status strip says the engine is starting
and a tap does nothing. A new data folder, an older schema or the offscreen platform start the ordinary way.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from posapp.config import SETTINGS_DOCUMENT_KEY, UI_PREFS_KEY, Settings
from posapp.domain.order import Order
from posapp.resources import CJK_FONT, resource
from posapp.ui.card_delegate import Lateness
from posapp.ui.i18n import install_language, t
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from posapp.ui.theme import DARK, LIGHT

log = logging.getLogger(__name__)


_fonts_added = False


def add_fonts() -> None:
    """The bundled CJK font, once per process (the first window and the app both want it)."""
    global _fonts_added
    if not _fonts_added:
        QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
        _fonts_added = True


def window_prefs(
    settings: Settings, stored: dict[str, Any], *, kiosk: bool, language: str | None
) -> dict[str, object]:
    """The window's preferences: the settings, then what was saved from the screens, then the command line."""
    prefs: dict[str, object] = {
        "theme": settings.theme,
        "scale": settings.font_scale,
        "language": settings.language,
        "speak": False,
        "kiosk": kiosk,
    }
    prefs.update(stored)
    if kiosk:
        prefs["kiosk"] = True
    if language:
        prefs["language"] = language
    return prefs


def window_key(settings: Settings, prefs: dict[str, object], platforms: list[str]) -> tuple[object, ...]:
    """What a window is made with: one made with the same key can be used as it is."""
    return (
        prefs.get("language"),
        prefs.get("theme"),
        float(prefs.get("scale", 1.0)),  # type: ignore[arg-type]
        bool(prefs.get("kiosk")),
        str(settings.tz),
        settings.store_name,
        tuple(platforms),
        settings.lateness_warn_minutes,
        settings.lateness_late_minutes,
    )


def make_window(
    model: QueueModel, settings: Settings, prefs: dict[str, object], platforms: list[str]
) -> MainWindow:
    window = MainWindow(
        model,
        palette=LIGHT if prefs.get("theme") == "light" else DARK,
        scale=float(prefs.get("scale", 1.0)),  # type: ignore[arg-type]
        tz=settings.tz,
        store_name=settings.store_name,
        platforms=platforms,
    )
    window.delegate.lateness = Lateness(
        timedelta(minutes=settings.lateness_warn_minutes),
        timedelta(minutes=settings.lateness_late_minutes),
    )
    return window


class FirstPaint(QObject):
    """Logs how long after the process started the queue was first painted (the launch figure)."""

    def __init__(
        self, viewport: QObject, started_at: float | None, then: Callable[[float], None] | None = None
    ) -> None:
        super().__init__(viewport)
        self.started_at = started_at if started_at is not None else time.perf_counter()
        self.then = then
        self.seconds: float | None = None
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.seconds = time.perf_counter() - self.started_at
            log.info("queue painted %.2f s after start", self.seconds)
            if self.then is not None:
                self.then(self.seconds)
        return False


def quit_on_paint_line(seconds: float) -> None:
    """``--quit-on-paint``: the launch figure as the benchmark and the bundle's smoke run read it."""
    print(f"queue painted {seconds:.3f} s after start, cpu {time.process_time():.3f} s", flush=True)


@dataclass
class FirstWindow:
    """The window painted before the engine loaded, with what it was made from."""

    window: MainWindow
    model: QueueModel
    cursor: int  # the change number the peeked orders are at
    key: tuple[object, ...]
    paint: FirstPaint

    @property
    def painted(self) -> bool:
        return self.paint.seconds is not None


def first_window(
    orders: list[Order],
    cursor: int,
    stored: dict[str, Any],
    settings: Settings,
    *,
    settings_pinned: bool,
    kiosk: bool,
    language: str | None,
    started_at: float | None,
    quit_on_paint: bool,
    wait: float = 1.0,
) -> FirstWindow | None:
    """Paint ``orders`` — the open orders as the database has them at change ``cursor``, read by the caller with
    ``store.peek`` with the ``stored`` settings — waiting ``wait`` seconds at most for the paint; None when the
    stored settings need the engine to say what is wrong. The QApplication is made here when there is none."""
    if not settings_pinned:
        doc = stored.get(SETTINGS_DOCUMENT_KEY)
        if isinstance(doc, dict):
            from posapp.config import settings_from_document
            from posapp.errors import PosappError

            try:
                settings = settings_from_document(doc, source="the stored settings")
            except PosappError:
                return None  # the engine says what is wrong with them
    ui = stored.get(UI_PREFS_KEY)
    prefs = window_prefs(settings, ui if isinstance(ui, dict) else {}, kiosk=kiosk, language=language)
    QApplication.instance() or QApplication(sys.argv[:1])
    add_fonts()
    prefs["language"] = install_language(prefs.get("language"))  # type: ignore[arg-type]
    platforms = [p.name for p in settings.platforms if p.enabled]
    model = QueueModel()
    model.reset_orders(orders)
    window = make_window(model, settings, prefs, platforms)
    window.set_status("engine", t("Starting…"), "warning")
    window.resize(1280, 800)
    paint = FirstPaint(window.view.viewport(), started_at, quit_on_paint_line if quit_on_paint else None)
    if prefs.get("kiosk"):
        window.showFullScreen()
    else:
        window.show()
    if model.rowCount():
        waiting = QEventLoop()
        QTimer.singleShot(int(wait * 1000), waiting.quit)
        paint.then = _then_quit(paint.then, waiting)
        waiting.exec()
    return FirstWindow(window, model, cursor, window_key(settings, prefs, platforms), paint)


def _then_quit(then: Callable[[float], None] | None, loop: QEventLoop) -> Callable[[float], None]:
    def done(seconds: float) -> None:
        if then is not None:
            then(seconds)
        loop.quit()

    return done
