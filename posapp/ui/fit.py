"""Windows fit the screen they are on: never larger than its free area, opened centred on it, kiosk fills it.

Counter touchscreens are often 1024×768 with no window manager: a window that opens at a fixed size at (0, 0)
hides its own buttons. Every top-level window and dialog calls ``fit_to_screen`` when it is shown.

``POSAPP_SCREEN=1024x768`` makes the app act as if the screen's free area were that size (tests force it so;
it also lets a developer try a counter's screen on a big monitor).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

SCREEN_ENV = "POSAPP_SCREEN"


def _simulated() -> QSize | None:
    value = os.environ.get(SCREEN_ENV, "").lower().strip()
    width, _, height = value.partition("x")
    if width.isdigit() and height.isdigit():
        return QSize(int(width), int(height))
    return None


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen the widget is on, else its parent's, else the primary one."""
    for candidate in (widget, widget.parentWidget(), widget.window()):
        if candidate is not None and candidate.screen() is not None:
            return candidate.screen()
    return QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen a window may use (without panels and docks)."""
    screen = screen_of(widget)
    area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 768)
    simulated = _simulated()
    return QRect(area.topLeft(), simulated) if simulated is not None else area


def full_geometry(widget: QWidget) -> QRect:
    """The whole screen, as a kiosk window covers it."""
    screen = screen_of(widget)
    area = screen.geometry() if screen is not None else QRect(0, 0, 1024, 768)
    simulated = _simulated()
    return QRect(area.topLeft(), simulated) if simulated is not None else area


def fit_to_screen(widget: QWidget, preferred: QSize | None = None) -> None:
    """Size ``widget`` (a window) to ``preferred`` or its current size, at most the free area, centred on it."""
    if widget.isFullScreen() or widget.isMaximized():
        return
    area = available_geometry(widget)
    frame = widget.frameGeometry().size() - widget.geometry().size()  # the title bar, where a WM draws one
    room = QSize(max(area.width() - frame.width(), 1), max(area.height() - frame.height(), 1))
    size = (preferred or widget.size()).boundedTo(room)
    widget.resize(size)
    outer = widget.size() + frame
    x = area.left() + max(0, (area.width() - outer.width()) // 2)
    y = area.top() + max(0, (area.height() - outer.height()) // 2)
    widget.move(x, y)


def fill_screen(widget: QWidget) -> None:
    """Kiosk: cover the whole screen the window is on (without a window manager, full-screen state alone does
    not resize the window)."""
    widget.setGeometry(full_geometry(widget))
