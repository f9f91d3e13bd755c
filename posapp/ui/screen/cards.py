"""The cards of a station screen and of the expo: the counter's card with one big button of their own.

A station card shows that station's items and **Done** (a ``bump`` of the station's part); an expo card shows
the whole order, a row of station marks (✓ done, ○ not yet) and **Ready**, and is outlined in green with an
"ALL STATIONS DONE" bar once every station has bumped it. The counter's cards are the desktop app's, unchanged.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from posapp.domain.lifecycle import Action
from posapp.domain.order import Order
from posapp.ui.card_delegate import CardDelegate, ModelIndex
from posapp.ui.i18n import t
from posapp.ui.queue_model import OrderRole
from posapp.ui.theme import ACTION_COLOURS

EXPO = "expo"
BUMP, UNBUMP = "bump", "unbump"


class ScreenRole(StrEnum):
    COUNTER = "counter"  # every order, every item, the lifecycle's buttons
    STATION = "station"  # one station's items of the orders being cooked; Done bumps the station's part
    EXPO = "expo"  # every order being cooked, which stations are done; Ready makes it ready for pickup


def screen_role(station: str | None) -> ScreenRole:
    if station is None:
        return ScreenRole.COUNTER
    return ScreenRole.EXPO if station == EXPO else ScreenRole.STATION


# The one button of a station or expo card: (action sent, label, colour).
MAIN_BUTTON = {
    ScreenRole.STATION: (BUMP, "Done", ACTION_COLOURS[Action.ACCEPT.value]),
    ScreenRole.EXPO: (Action.READY.value, "Ready", ACTION_COLOURS[Action.READY.value]),
}


def readable_on(colour: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )
    return QColor("#000000") if lum > 0.179 else QColor("#FFFFFF")


class ScreenCardDelegate(CardDelegate):
    """``marks`` (order id -> station -> done) is the session's copy of each order's ``stations``."""

    CHIP_GAP = 8
    CHIP_PAD = 12

    def __init__(self, parent: QWidget | None = None, *, role: ScreenRole, **kwargs: object) -> None:
        self.role = role
        self.marks: dict[int, dict[str, bool]] = {}
        super().__init__(parent, **kwargs)  # type: ignore[arg-type]

    def set_scale(self, scale: float) -> None:
        super().set_scale(scale)
        self.f_chip = _font(24 * scale, QFont.Weight.Black)
        chip_h = QFontMetrics(self.f_chip).height() + 14
        self._heights["stations"] = chip_h + 6
        self._heights["alldone"] = chip_h + 6

    # -- what an expo card shows -----------------------------------------------------------------
    def all_done(self, order_id: int | None) -> bool:
        marks = self.marks.get(order_id or 0, {})
        return bool(marks) and all(marks.values())

    def _chip_text(self, name: str, done: bool) -> str:
        return f"{'✓' if done else '○'} {name.upper()}"

    def _chip_rows(self, order_id: int | None) -> list[list[tuple[str, bool, int]]]:
        """The station marks laid out in rows that fit the card: (text, done, width) each."""
        width = self.card_width - 12 - 2 * self.PAD
        metrics = QFontMetrics(self.f_chip)
        rows: list[list[tuple[str, bool, int]]] = []
        used = width + 1
        for name, done in self.marks.get(order_id or 0, {}).items():
            text = self._chip_text(name, done)
            w = min(width, metrics.horizontalAdvance(text) + 2 * self.CHIP_PAD)
            if used + self.CHIP_GAP + w > width:
                rows.append([])
                used = -self.CHIP_GAP
            rows[-1].append((text, done, w))
            used += self.CHIP_GAP + w
        return rows

    def _lines(self, order: Order) -> list[tuple[str, QFont, str]]:
        lines = super()._lines(order)
        if self.role is not ScreenRole.EXPO:
            return lines
        # Painted here, not by the base class: an empty text keeps its place in the card's height.
        top = [("", self.f_chip, "alldone")] if self.all_done(order.id) else []
        top += [("", self.f_chip, "stations") for _ in self._chip_rows(order.id)]
        return top + lines

    # -- the one button --------------------------------------------------------------------------
    def button_rects(self, rect: QRect, order: Order) -> list[tuple[QRect, Action]]:
        if self.role is ScreenRole.COUNTER:
            return super().button_rects(rect, order)
        return []  # a station or the expo has its own one button: main_button_rect

    def main_button_rect(self, rect: QRect) -> QRect:
        card = rect.adjusted(6, 6, -6, -6)
        top = card.bottom() - self.PAD - self.BUTTON_H + 1
        inner = card.adjusted(self.PAD, 0, -self.PAD, 0)
        return QRect(inner.left(), top, inner.width(), self.BUTTON_H)

    # -- painting --------------------------------------------------------------------------------
    def _card_extra(self, order: Order) -> object:
        """A station's or the expo's card shows the stations' marks: its picture is redrawn when they change."""
        marks = self.marks.get(order.id or 0, {})
        return tuple(marks.items())

    def _paint_extra(self, painter: QPainter, rect: QRect, order: Order) -> None:
        if self.role is ScreenRole.COUNTER:
            return
        p = self.palette
        card = rect.adjusted(6, 6, -6, -6)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.role is ScreenRole.EXPO:
            done = self.all_done(order.id)
            if done:  # every station has bumped it: the expo's eye goes here first
                painter.setPen(QPen(QColor(p.ok), 6))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(card.adjusted(3, 3, -3, -3), 10, 10)
            self._paint_marks(painter, card, order, done)
        action, label, colour = MAIN_BUTTON[self.role]
        button = self.main_button_rect(rect)
        fill = QColor(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(button, 8, 8)
        painter.setFont(self.f_button)
        painter.setPen(readable_on(fill))
        painter.drawText(button, Qt.AlignmentFlag.AlignCenter, t(label))
        painter.restore()

    def _chips(self, card: QRect, order: Order) -> list[tuple[QRect, str, bool]]:
        """Where each station mark is painted on the expo's card, with its whole text and whether it is done."""
        chip_h = self._heights["stations"] - 6
        left = card.left() + self.PAD
        y = card.top() + self.HEADER + self.PAD
        if self.all_done(order.id):
            y += self._heights["alldone"]
        out = []
        for row in self._chip_rows(order.id):
            x = left
            for text, is_done, w in row:
                out.append((QRect(x, y, w, chip_h), text, is_done))
                x += w + self.CHIP_GAP
            y += self._heights["stations"]
        return out

    def _chip_room(self, chip: QRect) -> int:
        return chip.width() - 2 * self.CHIP_PAD + 4

    def full_text_at(self, rect: QRect, order: Order, pos: QPoint) -> str:
        """Also a station's name cut on its mark (a long press on the expo reads it whole)."""
        if self.role is ScreenRole.EXPO:
            for chip, text, _done in self._chips(rect.adjusted(6, 6, -6, -6), order):
                if chip.contains(pos):
                    cut = QFontMetrics(self.f_chip).horizontalAdvance(text) > self._chip_room(chip)
                    return text if cut else ""
        return super().full_text_at(rect, order, pos)

    def _paint_marks(self, painter: QPainter, card: QRect, order: Order, done: bool) -> None:
        p = self.palette
        painter.setFont(self.f_chip)
        green = QColor(p.ok)
        if done:
            bar = QRect(card.left() + self.PAD, card.top() + self.HEADER + self.PAD, card.width() - 2 * self.PAD,
                        self._heights["stations"] - 6)  # fmt: skip
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(green)
            painter.drawRoundedRect(bar, 6, 6)
            painter.setPen(readable_on(green))
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, "✓ " + t("ALL STATIONS DONE"))
        for chip, text, is_done in self._chips(card, order):
            if is_done:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(green)
                painter.drawRoundedRect(chip, 6, 6)
                painter.setPen(readable_on(green))
            else:  # hollow: not done reads apart from done by fill and mark, not by colour alone
                painter.setPen(QPen(QColor(p.text), 3))
                painter.setBrush(QColor(p.card))
                painter.drawRoundedRect(chip.adjusted(1, 1, -1, -1), 6, 6)
                painter.setPen(QColor(p.text))
            elided = QFontMetrics(self.f_chip).elidedText(
                text, Qt.TextElideMode.ElideRight, self._chip_room(chip)
            )
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, elided)

    # -- input -----------------------------------------------------------------------------------
    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: ModelIndex) -> bool:  # type: ignore[no-untyped-def]
        if self.role is not ScreenRole.COUNTER and event.type() == QEvent.Type.MouseButtonRelease:
            order: Order | None = index.data(OrderRole)
            if order is not None and order.id is not None and isinstance(event, QMouseEvent):
                button = self.main_button_rect(option.rect)  # type: ignore[attr-defined]
                if button.contains(event.position().toPoint()):
                    self.actionRequested.emit(order.id, MAIN_BUTTON[self.role][0])
                    return True
        return super().editorEvent(event, model, option, index)


def _font(px: float, weight: QFont.Weight) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, int(px)))
    font.setWeight(weight)
    return font
