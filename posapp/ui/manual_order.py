"""The counter's "new order" dialog: big buttons to build a phone or walk-in order; the service does the rest."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import Money
from posapp.domain.order import Fulfillment
from posapp.errors import PosappError
from posapp.services.manual import ManualDraft, ManualLine, MenuEntry
from posapp.ui.fit import fit_to_screen
from posapp.ui.i18n import t
from posapp.ui.sentences import say
from posapp.ui.theme import DARK, Palette
from posapp.ui.widgets import kinetic, named

log = logging.getLogger(__name__)

Submit = Callable[[ManualDraft], Awaitable[object] | object]
CheckCode = Callable[[ManualDraft], Awaitable[int]]  # the discount an offer code gives the draft


@dataclass
class _Line:
    entry: MenuEntry
    quantity: int = 1
    note: str = ""


def _style(p: Palette) -> str:
    return f"""
    QDialog {{ background: {p.window}; color: {p.text}; }}
    QWidget {{ font-size: 22px; color: {p.text}; }}
    QLabel#heading {{ font-size: 20px; font-weight: 700; color: {p.muted}; }}
    QLabel#total {{ font-size: 34px; font-weight: 800; }}
    QLabel#error {{ font-size: 22px; font-weight: 700; color: #FFFFFF; background: {p.late};
                    padding: 8px; border-radius: 6px; }}
    QPushButton {{ min-height: 60px; min-width: 64px; padding: 4px 14px; font-size: 22px; font-weight: 700;
                   background: {p.card}; color: {p.text}; border: 2px solid {p.card_border}; border-radius: 8px; }}
    QPushButton:checked {{ background: {p.button}; color: {p.button_text}; border-color: {p.button}; }}
    QPushButton:disabled {{ color: {p.muted}; }}
    QPushButton#menu {{ min-height: 96px; }}
    QPushButton#qty {{ min-width: 56px; padding: 4px 8px; }}
    QLabel#menuText {{ font-size: 20px; font-weight: 700; background: transparent; }}
    QWidget#menuGrid {{ background: {p.window}; }}
    QPushButton#place {{ background: {p.ok}; color: #000000; border: none; min-width: 220px; }}
    QPushButton#takePayment {{ background: #07A35A; color: #000000; border: none; }}
    QPushButton#cancel {{ min-width: 160px; }}
    QLabel#codeResult {{ font-size: 22px; font-weight: 800; color: {p.ok}; }}
    QLineEdit {{ min-height: 56px; padding: 0 12px; background: {p.card}; color: {p.text};
                 border: 2px solid {p.card_border}; border-radius: 8px; }}
    QListWidget {{ background: {p.card}; border: 2px solid {p.card_border}; border-radius: 8px; }}
    QListWidget::item {{ padding: 8px; border-bottom: 1px solid {p.card_border}; }}
    QListWidget::item:selected {{ background: {p.button}; color: {p.button_text}; }}
    QScrollArea {{ border: none; background: {p.window}; }}
    """


class _ColumnScroll(QScrollArea):
    """Scrolls up and down only, and is never narrower than what it holds: squeezed, the dishes would hide
    sideways behind the order column, out of a finger's reach."""

    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())


class ManualOrderDialog(QDialog):
    """Emits ``submitted(ManualDraft)`` and hands the draft to ``on_submit``; closes when that succeeds."""

    submitted = Signal(object)

    def __init__(
        self,
        menu: Sequence[MenuEntry],
        currency: str,
        on_submit: Submit | None = None,
        *,
        check_code: CheckCode | None = None,
        palette: Palette = DARK,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("New counter order"))
        self.setObjectName("manualOrder")
        self.setStyleSheet(_style(palette))
        self.currency = currency
        self.on_submit = on_submit
        self.check_code = check_code
        self.code_discount: int | None = None  # what the applied code takes off, as the service said
        self._checking: asyncio.Task[int] | None = None
        self.lines: list[_Line] = []
        self._task: asyncio.Task[object] | None = None

        root = QVBoxLayout(self)
        root.setSpacing(12)

        # Source: walk-in or phone.
        top = QHBoxLayout()
        self.source_group = QButtonGroup(self)
        self.source_buttons: dict[str, QPushButton] = {}
        for key, label in (("walk-in", t("Walk-in")), ("phone", t("Phone order"))):
            btn = self._toggle(label, self.source_group)
            self.source_buttons[key] = btn
            top.addWidget(btn)
        self.source_buttons["walk-in"].setChecked(True)
        top.addStretch(1)
        self.total_label = named(QLabel(), "total")
        self.total_label.setMinimumWidth(380)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.total_label)
        # WeChat Pay, Alipay or a card reader through a gateway, beside the total it takes: the order is placed
        # unpaid, then the Take payment dialog opens for it. Shown once a gateway is set up (offer_take_payment).
        self.take_payment = named(QPushButton(t("Take payment")), "takePayment")
        self.take_payment.clicked.connect(self._place_and_pay)
        self.take_payment.hide()
        self._pay_after = False
        top.addWidget(self.take_payment)
        root.addLayout(top)

        body = QHBoxLayout()
        body.setSpacing(16)
        root.addLayout(body, 1)

        # Quick menu.
        menu_col = QVBoxLayout()
        menu_col.addWidget(self._heading(t("Quick menu")))
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setSpacing(8)
        self.menu_buttons: list[QPushButton] = []
        grid_host.setObjectName("menuGrid")
        for i, entry in enumerate(menu):
            btn = named(QPushButton(), "menu")
            btn.setAccessibleName(entry.name)
            inner = QVBoxLayout(btn)
            inner.setContentsMargins(12, 6, 12, 6)
            caption = named(QLabel(f"{entry.name}\n{Money(entry.price, currency)}"), "menuText")
            caption.setWordWrap(True)
            caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addWidget(caption)
            btn.clicked.connect(lambda _=False, e=entry: self.add_item(e))
            grid.addWidget(btn, i // 2, i % 2)
            self.menu_buttons.append(btn)
        self.menu_scroll = scroll = _ColumnScroll()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        kinetic(scroll)  # a drag through the dishes scrolls them and adds none
        menu_col.addWidget(scroll, 1)
        body.addLayout(menu_col, 6)

        # The order being built.
        order_col = QVBoxLayout()
        order_col.addWidget(self._heading(t("Order")))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._row_changed)
        order_col.addWidget(self.list, 1)
        qty = QHBoxLayout()
        self.minus = named(QPushButton("−"), "qty")
        self.plus = named(QPushButton("+"), "qty")
        self.remove = named(QPushButton(t("Remove")), "qty")
        self.minus.clicked.connect(lambda: self.change_quantity(-1))
        self.plus.clicked.connect(lambda: self.change_quantity(+1))
        self.remove.clicked.connect(self.remove_selected)
        for b in (self.minus, self.plus, self.remove):
            qty.addWidget(b)
        order_col.addLayout(qty)
        self.item_note = QLineEdit(placeholderText=t("Modifiers / note for this item"))
        self.item_note.textEdited.connect(self._note_edited)
        order_col.addWidget(self.item_note)
        body.addLayout(order_col, 4)

        # Customer, fulfilment, payment.
        side = QVBoxLayout()
        side.addWidget(self._heading(t("Customer")))
        self.name = QLineEdit(placeholderText=t("Name"))
        self.phone = QLineEdit(placeholderText=t("Phone"))
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)  # the digit keypad
        side.addWidget(self.name)
        side.addWidget(self.phone)
        side.addWidget(self._heading(t("Fulfillment")))
        row = QHBoxLayout()
        self.fulfil_group = QButtonGroup(self)
        self.fulfil_buttons: dict[Fulfillment, QPushButton] = {}
        for f, label in ((Fulfillment.PICKUP, t("Pickup")), (Fulfillment.DINE_IN, t("Dine-in"))):
            btn = self._toggle(label, self.fulfil_group)
            self.fulfil_buttons[f] = btn
            row.addWidget(btn)
        self.fulfil_buttons[Fulfillment.PICKUP].setChecked(True)
        side.addLayout(row)
        side.addWidget(self._heading(t("Payment")))
        row = QHBoxLayout()
        self.pay_group = QButtonGroup(self)
        self.pay_buttons: dict[str, QPushButton] = {}
        for key, label in (("cash", t("Cash")), ("card", t("Card")), ("unpaid", t("Unpaid"))):
            btn = self._toggle(label, self.pay_group)
            self.pay_buttons[key] = btn
            row.addWidget(btn)
        self.pay_buttons["cash"].setChecked(True)
        side.addLayout(row)
        self.notes = QLineEdit(placeholderText=t("Order note (allergies, table…)"))
        side.addWidget(self._heading(t("Note")))
        side.addWidget(self.notes)
        side.addStretch(1)
        body.addLayout(side, 4)

        self.error = named(QLabel(), "error")
        self.error.setWordWrap(True)
        self.error.hide()
        root.addWidget(self.error)
        bottom = QHBoxLayout()
        # A bounce-back code from an earlier receipt (typed, or scanned from its QR code).
        self.code = QLineEdit(placeholderText=t("Offer code"))
        self.code.setMaxLength(20)
        self.code.setMinimumWidth(230)
        self.code.setInputMethodHints(
            Qt.InputMethodHint.ImhUppercaseOnly | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.code.textEdited.connect(self._code_edited)
        self.code.returnPressed.connect(self.apply_code)
        self.apply_button = named(QPushButton(t("Apply code")), "qty")
        self.apply_button.clicked.connect(self.apply_code)
        self.apply_button.setVisible(check_code is not None)
        self.code_result = named(QLabel(), "codeResult")
        bottom.addWidget(self.code)
        bottom.addWidget(self.apply_button)
        bottom.addWidget(self.code_result)
        bottom.addStretch(1)
        self.cancel_button = named(QPushButton(t("Cancel")), "cancel")
        self.place_button = named(QPushButton(t("Place order")), "place")
        self.cancel_button.clicked.connect(self.reject)
        self.place_button.clicked.connect(self.place)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.place_button)
        root.addLayout(bottom)
        toggles = [*self.source_buttons.values(), *self.fulfil_buttons.values(), *self.pay_buttons.values()]
        for b in (self.minus, self.plus, self.remove, self.apply_button, *toggles):
            # A style sheet's min-width lets a layout squeeze the label away: its label's width is the minimum.
            b.ensurePolished()
            b.setMinimumWidth(b.sizeHint().width())
        self._refresh()

    # -- small builders ---------------------------------------------------------------------------
    def _heading(self, text: str) -> QLabel:
        return named(QLabel(text), "heading")

    def _toggle(self, label: str, group: QButtonGroup) -> QPushButton:
        btn = QPushButton(label)
        btn.setCheckable(True)
        group.addButton(btn)
        group.setExclusive(True)
        return btn

    # -- editing the draft ------------------------------------------------------------------------
    def add_item(self, entry: MenuEntry) -> None:
        for i, line in enumerate(self.lines):
            if line.entry == entry and not line.note:
                line.quantity += 1
                self._refresh(select=i)
                return
        self.lines.append(_Line(entry))
        self._refresh(select=len(self.lines) - 1)

    def change_quantity(self, delta: int) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.lines):
            self.lines[row].quantity = max(1, self.lines[row].quantity + delta)
            self._refresh(select=row)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self._refresh(select=min(row, len(self.lines) - 1))

    def _note_edited(self, text: str) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.lines):
            self.lines[row].note = text
            self.list.item(row).setText(self._line_text(self.lines[row]))

    def _row_changed(self, row: int) -> None:
        has = 0 <= row < len(self.lines)
        self.item_note.setEnabled(has)
        self.item_note.setText(self.lines[row].note if has else "")
        for b in (self.minus, self.plus, self.remove):
            b.setEnabled(has)

    def _line_text(self, line: _Line) -> str:
        price = Money(line.entry.price * line.quantity, self.currency)
        text = f"{line.quantity} × {line.entry.name}\n     {price}"
        return f"{text}   ↳ {line.note}" if line.note else text

    def _refresh(self, select: int = -1, *, recheck: bool = True) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for line in self.lines:
            item = QListWidgetItem(self._line_text(line))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._fit_rows()
        self.list.setCurrentRow(select)
        self._row_changed(select)
        total = sum(line.entry.price * line.quantity for line in self.lines)
        if self.code_discount is not None:
            total -= self.code_discount
        self.total_label.setText(t("Total {amount}").format(amount=Money(total, self.currency)))
        self.place_button.setEnabled(bool(self.lines) and self._task is None)
        self.take_payment.setEnabled(bool(self.lines) and self._task is None)
        if self.code_discount is not None and recheck:
            self.apply_code()  # the order changed: what the code takes off may have too

    def _fit_rows(self) -> None:
        """Wrapped rows get their full height (QListWidget's own size hint ignores word wrap)."""
        width = max(self.list.viewport().width() - 24, 120)
        metrics = self.list.fontMetrics()
        for row in range(self.list.count()):
            item = self.list.item(row)
            rect = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, item.text())
            item.setSizeHint(QSize(width, max(rect.height() + 22, 60)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_to_screen(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    # -- submitting -------------------------------------------------------------------------------
    def draft(self) -> ManualDraft:
        """The draft as the staff built it; no money or numbering decided here."""
        fulfil = next(f for f, b in self.fulfil_buttons.items() if b.isChecked())
        pay = (
            "unpaid"
            if self.pays_after_placing()
            else next((k for k, b in self.pay_buttons.items() if b.isChecked()), "unpaid")
        )
        source = next(k for k, b in self.source_buttons.items() if b.isChecked())
        return ManualDraft(
            lines=tuple(
                ManualLine(
                    line.entry.name,
                    line.quantity,
                    line.entry.price,
                    line.entry.sku,
                    line.note.strip() or None,
                )
                for line in self.lines
            ),
            fulfillment=fulfil,
            payment=pay,
            customer_name=self.name.text().strip() or None,
            customer_phone=self.phone.text().strip() or None,
            notes=self.notes.text().strip() or None,
            source=source,
            offer_code=self.code.text().strip() or None,
        )

    def offer_take_payment(self, on: bool = True) -> None:
        """Show "Take payment" beside Place order (a payment gateway is set up)."""
        self.take_payment.setVisible(on)

    def pays_after_placing(self) -> bool:
        """The staff tapped Take payment: the order is placed unpaid and the payment dialog follows."""
        return self._pay_after

    def _place_and_pay(self) -> None:
        self._pay_after = True  # read by the form's on_submit while place() hands it the draft
        try:
            self.place()
        finally:
            self._pay_after = False

    # -- the offer code ---------------------------------------------------------------------------
    def _code_edited(self, _text: str) -> None:
        if self.code_discount is not None:
            self.code_discount = None
            self._refresh(select=self.list.currentRow(), recheck=False)
        self.code_result.setText("")

    def apply_code(self) -> None:
        """Ask the service what the code takes off this order; show it (and the new total) or why not."""
        if self.check_code is None or not self.code.text().strip():
            return
        if self._checking is not None:
            self._checking.cancel()
        pending = self.check_code(self.draft())

        async def check() -> int:
            return await pending

        self._checking = asyncio.get_running_loop().create_task(check())
        self._checking.add_done_callback(self._code_checked)

    def _code_checked(self, task: asyncio.Task[int]) -> None:
        if task is not self._checking or task.cancelled():
            return
        self._checking = None
        exc = task.exception()
        if exc is None:
            self.code_discount = task.result()
            self.code_result.setText(f"−{Money(self.code_discount, self.currency)}")
            self.error.hide()
        else:
            self.code_discount = None
            self.code_result.setText("")
            if isinstance(exc, PosappError):
                self.show_error(say(str(exc)))
            else:
                log.error("checking an offer code failed", exc_info=exc)
                self.show_error(t("The code could not be checked. See the log."))
        self._refresh(select=self.list.currentRow(), recheck=False)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def place(self) -> None:
        draft = self.draft()
        self.submitted.emit(draft)
        if self.on_submit is None:
            self.accept()
            return
        try:
            result = self.on_submit(draft)
        except PosappError as exc:
            self.show_error(say(str(exc)))
            return
        if not inspect.isawaitable(result):
            self.accept()
            return

        async def wait() -> object:
            return await result

        self._task = asyncio.get_running_loop().create_task(wait())
        self.place_button.setEnabled(False)
        self.take_payment.setEnabled(False)
        self.place_button.setText(t("Saving…"))
        self._task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[object]) -> None:
        self._task = None
        self.place_button.setText(t("Place order"))
        self.place_button.setEnabled(bool(self.lines))
        self.take_payment.setEnabled(bool(self.lines))
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            self.accept()
        elif isinstance(exc, PosappError):
            self.show_error(say(str(exc)))
        else:
            log.error("manual order failed", exc_info=exc)
            self.show_error(t("The order was not saved. See the log."))
