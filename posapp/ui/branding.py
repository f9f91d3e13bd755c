"""The application's name, icon and desktop-entry id, set once on the QApplication of every posapp window."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QIcon

from posapp.resources import ICON, resource

APP_ID = "posapp"  # the name of resources/posapp.desktop, which Wayland matches to the window (its app id)


def brand() -> None:
    """Name, desktop entry and window icon for every window; call once the QApplication exists."""
    QGuiApplication.setApplicationName(APP_ID)
    QGuiApplication.setDesktopFileName(APP_ID)
    QGuiApplication.setWindowIcon(QIcon(str(resource(*ICON))))
