"""Paints one order as a kitchen card and turns taps on its painted buttons into intents.

Painted rather than one widget per order so a 500-order queue scrolls smoothly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from posapp.domain.autocancel import ALARM_LEFT, time_left
from posapp.domain.kitchen import DEFAULT_ACCEPT_ALARM
from posapp.domain.lifecycle import Action, card_actions
from posapp.domain.order import Fulfillment, Order, OrderStatus
from posapp.ui.i18n import t
from posapp.ui.queue_model import DEFAULT_PREP_LEAD, OrderRole
from posapp.ui.theme import (
    ACTION_COLOURS,
    DARK,
    SCHEDULED,
    Palette,
    platform_colour,
    platform_label,
    text_on,
)

ModelIndex = QModelIndex | QPersistentModelIndex

ACTION_LABELS = {
    Action.ACCEPT: "Accept",
    Action.REJECT: "Reject",
    Action.START: "Start",
    Action.READY: "Ready",
    Action.COMPLETE: "Done",
}
FULFILLMENT_LABELS = {
    Fulfillment.DELIVERY: "Delivery",
    Fulfillment.PICKUP: "Pickup",
    Fulfillment.DINE_IN: "Dine-in",
}
STATUS_LABELS = {
    OrderStatus.NEW: "NEW",
    OrderStatus.ACCEPTED: "ACCEPTED",
    OrderStatus.PREPARING: "COOKING",
    OrderStatus.READY: "READY",
}


@dataclass(frozen=True, slots=True)
class Lateness:
    """Thresholds for the timer colour: amber after ``warn``, red after ``late`` (from placement)."""

    warn: timedelta = timedelta(minutes=10)
    late: timedelta = timedelta(minutes=20)


def format_timer(seconds: float) -> str:
    s = int(abs(seconds))
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    return f"-{text}" if seconds < 0 else text


class CardDelegate(QStyledItemDelegate):
    """Cards of fixed width; height follows the content. ``actionRequested(order_id, action)`` on tap."""

    actionRequested = Signal(int, str)
    cardTapped = Signal(int)

    WIDTH = 380
    PAD = 14
    HEADER = 70
    BUTTON_H = 64
    GAP = 10

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        palette: Palette = DARK,
        scale: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lateness: Lateness | None = None,
        tz: tzinfo = UTC,
        prep_lead: timedelta = DEFAULT_PREP_LEAD,
    ) -> None:
        super().__init__(parent)
        self.tz = tz
        self.prep_lead = prep_lead
        self.palette = palette
        self.clock = clock
        self.lateness = lateness or Lateness()
        self.accept_alarm = DEFAULT_ACCEPT_ALARM  # a new order waits to be accepted: late much sooner
        # platform -> how long it waits for an accept before cancelling (domain/autocancel.py): a new order's
        # card counts that down, drawn on every paint like the timer (set_auto_cancel)
        self.auto_cancel: dict[str, timedelta] = {}
        self.card_width = int(self.WIDTH * scale)
        self.set_scale(scale)

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self.f_number = _font(32 * scale, QFont.Weight.Black)
        self.f_badge = _font(18 * scale, QFont.Weight.Bold)
        self.f_timer = _font(28 * scale, QFont.Weight.Bold)
        self.f_item = _font(22 * scale, QFont.Weight.DemiBold)
        self.f_mod = _font(19 * scale, QFont.Weight.Normal)
        self.f_note = _font(19 * scale, QFont.Weight.Bold)
        self.f_small = _font(17 * scale, QFont.Weight.Normal)
        self.f_button = _font(22 * scale, QFont.Weight.Bold)
        # The header holds the number, two badge lines and the timer; the buttons their label: at a large text
        # size (2.0 on a 4K counter) they grow with the text instead of cutting it.
        number, badge, timer, button = (
            QFontMetrics(f).height() for f in (self.f_number, self.f_badge, self.f_timer, self.f_button)
        )
        self.HEADER = max(type(self).HEADER, number + 12, 2 * badge + 16, timer + 24)
        self.BUTTON_H = max(type(self).BUTTON_H, button + 20)
        # Each body line's height depends only on its kind (its font); measured once per scale.
        fonts = {
            "meta": self.f_small,
            "alert": self.f_note,
            "item": self.f_item,
            "mod": self.f_mod,
            "note": self.f_note,
            "cancel": self.f_note,
        }
        self._heights = {
            kind: QFontMetrics(font).height() + (8 if kind in ("note", "alert", "cancel") else 4)
            for kind, font in fonts.items()
        }
        # order id -> (the Order object measured, card width, size): a change replaces the Order object, so
        # an identity check tells a stale entry; re-layouts of 600 cards then cost no re-measuring.
        self._sizes: dict[int, tuple[Order, int, QSize]] = {}
        # order id -> (the Order painted, what else the picture depends on, the card's picture)
        self._pictures: dict[int, tuple[Order, tuple[object, ...], QPixmap]] = {}

    # -- geometry --------------------------------------------------------------------------------
    def _lines(self, order: Order) -> list[tuple[str, QFont, str]]:
        """The body lines as (text, font, kind) where kind is item, mod, note or meta."""
        lines: list[tuple[str, QFont, str]] = []
        if self._counts_down(order):  # its text changes every second: painted per paint (_paint_countdown)
            lines.append(("", self.f_note, "cancel"))
        meta = [t(FULFILLMENT_LABELS[order.fulfillment])]
        if order.customer and order.customer.name:
            meta.append(order.customer.name)
        if order.rider_status:
            meta.append(t("Rider: {status}").format(status=order.rider_status))
        lines.append(("  ·  ".join(meta), self.f_small, "meta"))
        if order.reminders:
            lines.append((t("Rush reminder × {n}").format(n=order.reminders), self.f_note, "alert"))
        for item in order.items:
            lines.append((f"{item.quantity} × {item.name}", self.f_item, "item"))
            for mod in item.modifiers:
                qty = f"{mod.quantity}× " if mod.quantity > 1 else ""
                lines.append((f"    + {qty}{mod.name}", self.f_mod, "mod"))
            if item.note:
                lines.append((f"    ! {item.note}", self.f_note, "note"))
        if order.notes:
            lines.append((f"! {order.notes}", self.f_note, "note"))
        return lines

    def full_text_at(self, rect: QRect, order: Order, pos: QPoint) -> str:
        """The whole of what the card paints cut ("…") at ``pos`` (a long press reads it); "" where nothing is
        cut. The header gives its number, platform and state in full."""
        card = rect.adjusted(6, 6, -6, -6)
        header = QRect(card.left(), card.top(), card.width(), self.HEADER)
        if header.contains(pos):
            return "  ·  ".join(
                (
                    f"#{order.display_id}",
                    platform_label(order.platform),
                    t(STATUS_LABELS.get(order.status, "")),
                )
            )
        y = header.bottom() + self.PAD
        width = card.width() - 2 * self.PAD
        for text, font, kind in self._lines(order):
            h = self._heights[kind]
            if y <= pos.y() < y + h:
                return text.strip() if QFontMetrics(font).horizontalAdvance(text) > width else ""
            y += h
        return ""

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        order: Order | None = index.data(OrderRole)
        if order is None:
            return QSize(self.WIDTH, 100)
        known = self._sizes.get(order.id) if order.id is not None else None
        if known is not None and known[0] is order and known[1] == self.card_width:
            return known[2]
        body = sum(self._heights[kind] for _, _, kind in self._lines(order))
        height = self.HEADER + self.PAD + body + self.PAD + self.BUTTON_H + self.PAD
        size = QSize(self.card_width, height)
        if order.id is not None:
            if len(self._sizes) > 4096:  # closed orders' entries are never looked up again
                self._sizes.clear()
            self._sizes[order.id] = (order, self.card_width, size)
        return size

    def button_rects(self, rect: QRect, order: Order) -> list[tuple[QRect, Action]]:
        """Where each of the card's buttons is painted (also used by tests to click them)."""
        actions = card_actions(order.status)
        if not actions:
            return []
        card = rect.adjusted(6, 6, -6, -6)
        top = card.bottom() - self.PAD - self.BUTTON_H + 1
        inner = card.adjusted(self.PAD, 0, -self.PAD, 0)
        if len(actions) == 1:
            return [(QRect(inner.left(), top, inner.width(), self.BUTTON_H), actions[0])]
        # Main action wide, secondary (reject) narrow: the big target is the one used 95 % of the time.
        small = inner.width() // 3
        main = QRect(inner.left(), top, inner.width() - small - self.GAP, self.BUTTON_H)
        other = QRect(main.right() + 1 + self.GAP, top, small, self.BUTTON_H)
        return [(main, actions[0]), (other, actions[1])]

    # -- painting --------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        """The card from its cached picture, then its timer (the only part that changes as time passes).

        A card's picture is kept per order until the order changes (a change replaces the Order object: an
        identity check tells a stale picture), or its size, selection, overdue state or the theme does: a
        repaint after a tap redraws one card, not every visible one (py-spy: painting was three quarters
        of a kitchen screen's GUI thread while orders changed).
        """
        order: Order | None = index.data(OrderRole)
        if order is None:
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        timer_text, timer_colour = self._timer(order)
        overdue = bool(order.reminders) or timer_colour == QColor(self.palette.late)
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        timer_rect = self._timer_rect(rect, timer_text)
        # The badge beside the timer takes the room the timer leaves: the timer's width is part of the
        # picture's key (it changes when the timer gains a digit, a few times an hour).
        width = timer_rect.width()
        key = (
            rect.width(),
            rect.height(),
            selected,
            overdue,
            width,
            id(self.palette),
            dpr,
            self._card_extra(order),
        )
        cached = self._pictures.get(order.id) if order.id is not None else None
        if cached is not None and cached[0] is order and cached[1] == key:
            picture = cached[2]
        else:
            picture = QPixmap(max(1, round(rect.width() * dpr)), max(1, round(rect.height() * dpr)))
            picture.setDevicePixelRatio(dpr)
            picture.fill(Qt.GlobalColor.transparent)
            card_painter = QPainter(picture)
            card = QRect(0, 0, rect.width(), rect.height())
            self._paint_card(card_painter, card, order, selected, overdue, width)
            card_painter.end()
            if order.id is not None:
                if len(self._pictures) > 2048:  # closed orders' pictures are never looked up again
                    self._pictures.clear()
                self._pictures[order.id] = (order, key, picture)
        painter.drawPixmap(rect.topLeft(), picture)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.f_timer)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(timer_colour)
        painter.drawRoundedRect(timer_rect, 8, 8)
        painter.setPen(text_on(timer_colour))
        painter.drawText(timer_rect, Qt.AlignmentFlag.AlignCenter, timer_text)
        painter.restore()
        if self._counts_down(order):
            self._paint_countdown(painter, rect, order)

    # -- the auto-cancel countdown (issue 15) ---------------------------------------------------------
    def set_auto_cancel(self, windows: dict[str, timedelta]) -> None:
        """Each platform's auto-cancel window; a new order of such a platform gets a countdown line (its
        cards are measured and pictured again: the line changes their height)."""
        self.auto_cancel = dict(windows)
        self._sizes.clear()
        self._pictures.clear()

    def _counts_down(self, order: Order) -> bool:
        return order.status is OrderStatus.NEW and order.platform in self.auto_cancel

    def countdown(self, order: Order) -> tuple[str, QColor] | None:
        """The countdown line's words and colour now, or None (also what tests read)."""
        left = time_left(order, self.clock(), self.auto_cancel)
        if left is None:
            return None
        p = self.palette
        if left.total_seconds() <= 0:
            return t("Past the platform's auto-cancel time"), QColor(p.late)
        colour = QColor(p.late) if left <= ALARM_LEFT else QColor(p.warn)
        return t("Auto-cancel in {time}").format(time=format_timer(left.total_seconds())), colour

    def _countdown_rect(self, rect: QRect) -> QRect:
        card = rect.adjusted(6, 6, -6, -6)
        top = card.top() + self.HEADER - 1 + self.PAD  # where _paint_card leaves the first body line
        return QRect(card.left() + self.PAD, top, card.width() - 2 * self.PAD, self._heights["cancel"])

    def _paint_countdown(self, painter: QPainter, rect: QRect, order: Order) -> None:
        shown = self.countdown(order)
        if shown is None:
            return
        text, colour = shown
        line = self._countdown_rect(rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(line.adjusted(-4, 1, 4, -1), 5, 5)
        painter.setPen(text_on(colour))
        painter.setFont(self.f_note)
        elided = QFontMetrics(self.f_note).elidedText(text, Qt.TextElideMode.ElideRight, line.width())
        painter.drawText(line, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.restore()

    def _timer_rect(self, rect: QRect, text: str) -> QRect:
        card = rect.adjusted(6, 6, -6, -6)
        tw = QFontMetrics(self.f_timer).horizontalAdvance(text) + 20
        return QRect(card.right() - tw - 8, card.top() + 12, tw, self.HEADER - 24)

    def _card_extra(self, order: Order) -> object:
        """What else a card's picture shows besides the order (a subclass's marks): part of its cache key."""
        return None

    def _paint_extra(self, painter: QPainter, rect: QRect, order: Order) -> None:
        """A subclass's own marks, painted into the card's picture after the card."""

    def _paint_card(
        self, painter: QPainter, rect: QRect, order: Order, selected: bool, overdue: bool, timer_w: int
    ) -> None:
        """Everything of the card but its timer (``timer_w`` wide, painted over the header on every paint)."""
        p = self.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = rect.adjusted(6, 6, -6, -6)
        border = QColor("#FFFFFF") if selected else QColor(p.late) if overdue else QColor(p.card_border)
        painter.setPen(QPen(border, 5 if selected else 4 if overdue else 1))
        painter.setBrush(QColor(p.card))
        painter.drawRoundedRect(card, 10, 10)

        # Header: platform band, display number, status; the timer is painted over it on every paint.
        brand = platform_colour(order.platform)
        header = QRect(card.left(), card.top(), card.width(), self.HEADER)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(brand)
        painter.drawRoundedRect(header, 10, 10)
        painter.drawRect(header.adjusted(0, self.HEADER // 2, 0, 0))
        fg = text_on(brand)
        painter.setPen(fg)
        painter.setFont(self.f_number)
        num_rect = header.adjusted(self.PAD, 0, 0, 0)
        # Intake bounds the number's length, the card bounds its width: it never pushes the timer out.
        number = QFontMetrics(self.f_number).elidedText(
            f"#{order.display_id}", Qt.TextElideMode.ElideRight, header.width() // 2
        )
        painter.drawText(num_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, number)
        num_w = QFontMetrics(self.f_number).horizontalAdvance(number)
        painter.setFont(self.f_badge)
        timer_left = header.right() - timer_w - 8
        badge_left = num_rect.left() + num_w + 12
        badge_rect = QRect(
            badge_left, header.top() + 8, max(40, timer_left - badge_left - 8), self.HEADER - 16
        )
        badge_metrics = QFontMetrics(self.f_badge)
        painter.drawText(
            badge_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            badge_metrics.elidedText(
                platform_label(order.platform), Qt.TextElideMode.ElideRight, badge_rect.width()
            ),
        )
        painter.drawText(
            badge_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
            badge_metrics.elidedText(
                t(STATUS_LABELS.get(order.status, "")), Qt.TextElideMode.ElideRight, badge_rect.width()
            ),
        )

        # Body lines.
        y = header.bottom() + self.PAD
        left = card.left() + self.PAD
        width = card.width() - 2 * self.PAD
        for text, font, kind in self._lines(order):
            h = self._heights[kind]
            if kind == "cancel":  # left empty in the picture: the countdown is drawn on every paint
                y += h
                continue
            painter.setFont(font)
            line_rect = QRect(left, y, width, h)
            if kind in ("note", "alert"):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(p.note_bg) if kind == "note" else QColor(p.late))
                painter.drawRoundedRect(line_rect.adjusted(-4, 1, 4, -1), 5, 5)
                painter.setPen(QColor(p.note_text) if kind == "note" else QColor("#FFFFFF"))
            else:
                painter.setPen(QColor(p.muted) if kind in ("mod", "meta") else QColor(p.text))
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
            y += h

        # Buttons.
        painter.setFont(self.f_button)
        for button, action in self.button_rects(rect, order):
            colour = QColor(ACTION_COLOURS.get(action.value, p.button))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(button, 8, 8)
            painter.setPen(text_on(colour))
            painter.drawText(button, Qt.AlignmentFlag.AlignCenter, t(ACTION_LABELS[action]))
        painter.restore()
        self._paint_extra(painter, rect, order)

    def _timer(self, order: Order) -> tuple[str, QColor]:
        """Age since placement, or for a scheduled order its due time, then a countdown to it."""
        now = self.clock()
        p = self.palette
        if order.due_at is not None:
            remaining = (order.due_at - now).total_seconds()
            if remaining > self.prep_lead.total_seconds():
                due = f"{order.due_at.astimezone(self.tz):%H:%M}"
                return t("due {time}").format(time=due), QColor(SCHEDULED)
            if remaining < 0:
                return format_timer(remaining), QColor(p.late)
            return format_timer(remaining), QColor(p.warn if remaining < 600 else p.ok)
        age = now - order.placed_at
        if order.status is OrderStatus.NEW:
            warn, late = self.accept_alarm / 2, self.accept_alarm
        else:
            warn, late = self.lateness.warn, self.lateness.late
        colour = QColor(p.ok)
        if age >= late:
            colour = QColor(p.late)
        elif age >= warn:
            colour = QColor(p.warn)
        return format_timer(age.total_seconds()), colour

    # -- input -----------------------------------------------------------------------------------
    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: ModelIndex) -> bool:  # type: ignore[no-untyped-def]
        if event.type() != QEvent.Type.MouseButtonRelease:
            return False
        order: Order | None = index.data(OrderRole)
        if order is None or order.id is None:
            return False
        pos = event.position().toPoint() if isinstance(event, QMouseEvent) else None
        if pos is None:
            return False
        for rect, action in self.button_rects(option.rect, order):  # type: ignore[attr-defined]
            if rect.contains(pos):
                self.actionRequested.emit(order.id, action.value)
                return True
        self.cardTapped.emit(order.id)
        return True


def _font(px: float, weight: QFont.Weight) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, int(px)))
    font.setWeight(weight)
    return font
