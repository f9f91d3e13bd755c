"""The setup screens' look: the kitchen theme with large type and 56 px targets."""

from __future__ import annotations

from posapp.ui.theme import Palette, style_sheet


def setup_style(p: Palette, scale: float = 1.0) -> str:
    return (
        style_sheet(p, scale)
        + f"""
    QWidget#setupWizard, QWidget#settingsWindow, QWidget#setupPage {{ background: {p.window}; }}
    QScrollArea#setupScroll {{ background: {p.window}; border: none; }}
    QLabel#stepLabel {{ font-size: {int(20 * scale)}px; color: {p.muted}; }}
    QLabel#muted {{ color: {p.muted}; }}
    QLabel#setupMessage {{ font-size: {int(22 * scale)}px; min-height: 32px; }}
    QFormLayout QLabel {{ font-size: {int(22 * scale)}px; }}
    QListWidget {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border};
                   border-radius: 8px; font-size: {int(20 * scale)}px; }}
    QListWidget::item {{ min-height: 44px; padding: 4px 8px; }}
    QListWidget::item:selected {{ background: {p.button}; color: {p.button_text}; }}
    QTableWidget {{ background: {p.card}; color: {p.text}; gridline-color: {p.card_border};
                    font-size: {int(20 * scale)}px; }}
    QHeaderView::section {{ background: {p.card_border}; color: {p.text}; padding: 6px;
                            font-size: {int(18 * scale)}px; }}
    QPushButton#navTab {{ background: {p.card}; color: {p.text}; border: 2px solid {p.card_border};
                          min-width: 0; padding: 4px 14px; }}
    QPushButton#navTab:checked {{ background: {p.button}; color: {p.button_text}; }}
    """
    )
