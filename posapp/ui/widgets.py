"""Small touch-first building blocks shared by the dialogs: big buttons, chips, a dialog frame."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.ui.i18n import t


def big_button(text: str, colour: str = "#2D7FF9", *, min_height: int = 64) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(min_height)
    fg = "#000000" if colour.upper() in ("#FFD54F", "#FFB300", "#F39C12", "#2ECC71") else "#FFFFFF"
    button.setStyleSheet(f"background: {colour}; color: {fg}; font-size: 22px; font-weight: 700;")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
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
