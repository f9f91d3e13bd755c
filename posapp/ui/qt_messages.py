"""Qt's own messages into our log: known noise dropped, the rest under the ``qt`` logger."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

# Messages Qt prints on every headless or minimal desktop start that say nothing about posapp.
NOISE = (
    "propagateSizeHints",  # offscreen / minimal platform plugins
    "PulseAudioService",  # QtMultimedia without a sound server
    "QFont::",  # point-size and family fallbacks
    "Fontconfig",
    "QFontDatabase:",
    "XDG_RUNTIME_DIR",  # a service user has no login session
)
NOISY_CATEGORIES = ("qt.qpa.fonts",)
LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def is_noise(message: str, category: str | None = None) -> bool:
    return category in NOISY_CATEGORIES or any(marker in message for marker in NOISE)


def _handle(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category if context is not None else None
    if is_noise(message, category):
        return
    logging.getLogger(_logger_name(category)).log(LEVELS.get(mode, logging.WARNING), "%s", message)


def _logger_name(category: str | None) -> str:
    """Qt's logging category as a logger under ``qt`` (Qt's own already start with "qt.")."""
    if not category or category == "default":
        return "qt"
    return category if category.startswith("qt.") else f"qt.{category}"


def install() -> None:
    """Route Qt's messages through :mod:`logging` (the real app only: pytest-qt installs its own)."""
    qInstallMessageHandler(_handle)
