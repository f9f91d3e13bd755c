"""Colours, fonts and the style sheet: high contrast, readable from a metre away."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtGui import QColor

from posapp.domain.order import Order
from posapp.ui.i18n import t

# Platform brand colours (badge backgrounds) and the names staff know them by.
PLATFORMS: dict[str, tuple[str, str]] = {
    "meituan": ("#FFC300", "Meituan"),
    "eleme": ("#0085FF", "Ele.me"),
    "ubereats": ("#06C167", "Uber Eats"),
    "doordash": ("#FF3008", "DoorDash"),
    "own": ("#9B59B6", "Own site"),
    "manual": ("#95A5A6", "Counter"),
    "demo": ("#1ABC9C", "Demo"),
}


def platform_colour(platform: str) -> QColor:
    return QColor(PLATFORMS.get(platform, ("#7F8C8D", platform))[0])


def platform_label(platform: str) -> str:
    """The name staff know the platform by, in the screen's language."""
    return t(PLATFORMS.get(platform, ("", platform.title()))[1])


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2 contrast ratio, 1 to 21 (body text needs 4.5)."""
    la, lb = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(colour: QColor | str) -> QColor:
    """Black or white, whichever has the higher contrast on ``colour``."""
    return QColor(_text_on_rgba(QColor(colour).rgba()))


@functools.lru_cache(maxsize=256)
def _text_on_rgba(rgba: int) -> int:
    """Painting asks for every card's timer on every paint: a handful of colours, worked out once each."""
    black, white = QColor("#000000"), QColor("#FFFFFF")
    colour = QColor.fromRgba(rgba)
    return (black if contrast(black, colour) >= contrast(white, colour) else white).rgba()


@dataclass(frozen=True, slots=True)
class Palette:
    window: str
    card: str
    card_border: str
    text: str
    muted: str
    note_bg: str
    note_text: str
    ok: str
    warn: str
    late: str
    button: str
    button_text: str


DARK = Palette(
    window="#101214",
    card="#1E2226",
    card_border="#3A4048",
    text="#F5F7FA",
    muted="#AEB6BF",
    note_bg="#FFD54F",
    note_text="#111111",
    ok="#2ECC71",
    warn="#FFB300",
    late="#FF3B30",
    button="#1A66D6",
    button_text="#FFFFFF",
)

LIGHT = Palette(
    window="#E9ECEF",
    card="#FFFFFF",
    card_border="#ADB5BD",
    text="#111418",
    muted="#495057",
    note_bg="#FFE082",
    note_text="#111111",
    ok="#147A3C",
    warn="#9A5B00",
    late="#D0021B",
    button="#1565C0",
    button_text="#FFFFFF",
)

# Fills that carry text: every one reads at 4.5:1 or better with text_on() (tests/ui/test_contrast.py).
GO = "#147A3C"  # Accept all, New order, Apply, available
STOP = "#C0392B"  # a checked store-wide toggle, sold out
TOOL = "#34495E"
GREY = "#5D6770"
BANNER_COLOURS = {"error": "#C62828", "alarm": "#C62828", "warning": "#FFB300", "info": "#1565C0"}
BANNER_DIM = "#7A1C16"  # the alarm's other flash
STRIP_COLOURS = {"error": "#FF6B6B", "warning": "#FFD166", "info": "#AEB6BF", "ok": "#2ECC71"}  # on black
SCHEDULED = "#5DADE2"  # a scheduled order's due time, before it is time to start

ACTION_COLOURS = {
    "accept": "#2ECC71",
    "reject": "#5D6770",
    "start": "#2D7FF9",
    "ready": "#F39C12",
    "complete": "#8E44AD",
}


def style_sheet(p: Palette, scale: float = 1.0) -> str:
    base = int(20 * scale)
    return f"""
    QMainWindow, QWidget#central {{ background: {p.window}; color: {p.text}; }}
    QWidget {{ font-size: {base}px; color: {p.text}; }}
    QLabel#title {{ font-size: {int(28 * scale)}px; font-weight: 700; }}
    QLabel#clock {{ font-size: {int(28 * scale)}px; font-weight: 700; }}
    QLabel#counts {{ font-size: {int(22 * scale)}px; color: {p.muted}; }}
    QLabel#banner {{ font-size: {int(24 * scale)}px; font-weight: 700; padding: 10px;
                     background: {BANNER_COLOURS["error"]}; color: #FFFFFF; border-radius: 6px; }}
    QFrame#statusStrip {{ background: #000000; }}
    QFrame#statusStrip QLabel {{ font-size: {int(18 * scale)}px; color: {p.muted}; padding: 4px 10px; }}
    QListView {{ background: {p.window}; border: none; }}
    QPushButton {{ min-height: 56px; min-width: 96px; padding: 6px 18px; font-size: {int(22 * scale)}px;
                   font-weight: 700; background: {p.button}; color: {p.button_text}; border: none;
                   border-radius: 8px; }}
    QPushButton:pressed {{ background: #1B5FBF; }}
    QPushButton:disabled {{ background: #2A2F35; color: #6C757D; }}
    QPushButton#chip {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border};
                        min-width: 56px; padding: 4px 10px; font-size: {int(18 * scale)}px; }}
    QPushButton#chip:checked {{ background: {p.text}; color: {p.window}; }}
    QPushButton#chip[health="ok"] {{ color: {p.ok}; }}
    QPushButton#chip[health="down"] {{ color: {p.late}; border-color: {p.late}; }}
    QPushButton#chip[health="ok"]:checked, QPushButton#chip[health="down"]:checked {{ color: {p.window}; }}
    QPushButton#undoBar {{ background: #F39C12; color: #000000; }}
    QLineEdit {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border}; border-radius: 8px;
                 padding: 4px 10px; font-size: {int(20 * scale)}px; }}
    QListWidget#allDay {{ background: {p.card}; border: none; font-size: {int(24 * scale)}px; font-weight: 700; }}
    QListWidget#allDay::item {{ padding: 6px 10px; border-bottom: 1px solid {p.card_border}; }}
    QListWidget#allDay::item:selected {{ background: {p.note_bg}; color: {p.note_text}; }}
    QDialog {{ background: {p.window}; color: {p.text}; }}
    QScrollArea {{ border: none; background: {p.card}; }}
    QWidget#dialogBody {{ background: {p.card}; }}
    QWidget#dialogBody QLabel {{ font-size: {int(22 * scale)}px; padding: 2px; }}
    QCheckBox {{ font-size: {int(22 * scale)}px; min-height: 48px; }}
    QCheckBox::indicator {{ width: 36px; height: 36px; border: 3px solid {p.muted}; border-radius: 6px;
                           background: {p.card}; }}
    QCheckBox::indicator:checked {{ background: {p.button}; border-color: {p.text}; }}
    QComboBox, QAbstractSpinBox {{ font-size: {int(22 * scale)}px; min-height: 48px; }}
    QComboBox, QAbstractSpinBox, QDateEdit {{
        background: {p.card}; color: {p.text}; border: 2px solid {p.card_border}; border-radius: 8px;
        padding: 2px 10px; selection-background-color: {p.button}; selection-color: {p.button_text}; }}
    QComboBox::drop-down, QDateEdit::drop-down {{ width: 48px; border: none; }}
    QComboBox QAbstractItemView {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border};
        selection-background-color: {p.button}; selection-color: {p.button_text}; }}
    QComboBox QAbstractItemView::item {{ min-height: 48px; }}
    QTableView, QTableWidget, QListWidget {{ background: {p.card}; color: {p.text};
        alternate-background-color: {p.window}; gridline-color: {p.card_border};
        selection-background-color: {p.button}; selection-color: {p.button_text}; }}
    QHeaderView::section {{ background: {p.card_border}; color: {p.text}; font-weight: 700; padding: 6px;
        border: none; }}
    QCalendarWidget QAbstractItemView {{ background: {p.card}; color: {p.text}; font-size: {int(22 * scale)}px;
        selection-background-color: {p.button}; selection-color: {p.button_text}; }}
    QCalendarWidget QToolButton {{ min-height: 48px; min-width: 48px; color: {p.text}; background: {p.card}; }}
    QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {p.card}; }}
    QToolTip {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border};
        font-size: {int(22 * scale)}px; padding: 6px; }}
    QScrollBar:vertical {{ width: 32px; background: {p.window}; }}
    QScrollBar::handle:vertical {{ background: {p.card_border}; min-height: 60px; border-radius: 10px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
    QScrollBar:horizontal {{ height: 32px; background: {p.window}; }}
    QScrollBar::handle:horizontal {{ background: {p.card_border}; min-width: 60px; border-radius: 10px; }}
    """


def order_label(order: Order) -> str:
    """An order's number with its platform ("Meituan #1"): three platforms may each have a #1 on screen."""
    return t("{platform} #{number}").format(platform=platform_label(order.platform), number=order.display_id)
