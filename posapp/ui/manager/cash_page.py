"""The manager's Cash tab: count the drawer by denomination (big − / + per note or coin), see expected cash and
the variance, enter paid in / paid out / the opening float and open the drawer (each with a reason and a PIN);
and the cash-up box of the Z-report screen. Shows what the CashService answers; decides nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.cash import CashUp, DrawerCount, Movement
from posapp.domain.money import Money, minor_units, to_minor
from posapp.ui.i18n import t
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.theme import text_on
from posapp.ui.widgets import TouchDialog, kinetic, stepper, wrapping_button

ROW = 56  # px: each denomination's − / + buttons and count field
SHORT, OVER, EXACT = "#FF6B5E", "#F2C14E", "#3DDC84"


def _action(text: str, colour: str) -> QPushButton:
    """A 64 px button whose label wraps, in the colour that reads best on it (the label does not inherit it)."""
    button = wrapping_button(text, colour, min_height=64)
    label = button.label  # type: ignore[attr-defined]
    label.setStyleSheet(
        f"background: transparent; color: {text_on(colour).name()}; font-size: 22px; font-weight: 700;"
    )
    return button


def _kind_words() -> dict[str, str]:
    return {
        Movement.FLOAT.value: t("Opening float"),
        Movement.PAID_IN.value: t("Paid in"),
        Movement.PAID_OUT.value: t("Paid out"),
    }


def variance_text(variance: int | None, currency: str) -> tuple[str, str]:
    """("−¥0.50 short", colour) for a variance; ("–", "") before the drawer is counted."""
    if variance is None:
        return "–", ""
    shown = Money(variance, currency).format()
    if variance < 0:
        return t("{amount} short").format(amount=shown), SHORT
    if variance > 0:
        return t("{amount} over").format(amount="+" + shown), OVER
    return t("exact"), EXACT


class CashPage(QWidget):
    """Emits what the manager asks for; ``show_cash`` paints the service's answer."""

    requested = Signal()  # read the day's cash-up again
    countSaved = Signal(object)  # {denomination: pieces}
    entryRequested = Signal(str)  # a Movement value: open the entry dialog for it
    drawerRequested = Signal()  # open the Open drawer dialog

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cash: CashUp | None = None
        self.currency = "CNY"
        self.spins: dict[int, QSpinBox] = {}
        self.subtotals: dict[int, QLabel] = {}

        self.rows_host = QWidget()
        self.rows = QGridLayout(self.rows_host)
        self.rows.setHorizontalSpacing(12)
        self.rows.setVerticalSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_host)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(scroll)
        self.clear_button = _action(t("Clear count"), "#5D6770")
        self.clear_button.clicked.connect(self.clear)
        self.save_button = _action(t("Save count"), "#1E8E4E")
        self.save_button.setObjectName("saveCount")
        self.save_button.clicked.connect(lambda: self.countSaved.emit(self.pieces()))
        left = QVBoxLayout()
        title = QLabel(t("Count the drawer"))
        title.setObjectName("cashTitle")
        left.addWidget(title)
        left.addWidget(scroll, 1)

        self.values: dict[str, QLabel] = {}
        figures = QFormLayout()
        figures.setVerticalSpacing(4)
        for key, label in (
            ("float", t("Opening float")),
            ("orders", t("Cash orders")),
            ("refunds", t("Cash refunds")),
            ("paid_in", t("Paid in")),
            ("paid_out", t("Paid out")),
            ("expected", t("Expected in drawer")),
            ("counted", t("Counted")),
            ("variance", t("Variance")),
            ("by", t("Counted by")),
        ):
            value = QLabel("–")
            value.setObjectName("cashValue")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            caption = QLabel(label)
            caption.setObjectName("cashCaption")
            figures.addRow(caption, value)
            self.values[key] = value
        for key in ("expected", "variance"):
            self.values[key].setObjectName("cashBig")
        self.message = QLabel()
        self.message.setObjectName("cashMessage")
        self.message.setWordWrap(True)
        # One row of buttons under both columns: the pad's Clear and Save, then the drawer's entries.
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.clear_button, 1)
        actions.addWidget(self.save_button, 2)
        self.entry_buttons: dict[str, object] = {}
        for kind in (Movement.PAID_IN, Movement.PAID_OUT, Movement.FLOAT):
            colour = "#34495E"
            button = _action(_kind_words()[kind.value] + "…", colour)
            button.clicked.connect(lambda _=False, k=kind.value: self.entryRequested.emit(k))
            actions.addWidget(button, 1)
            self.entry_buttons[kind.value] = button
        self.drawer_button = _action(t("Open drawer…"), "#B3261E")
        self.drawer_button.clicked.connect(self.drawerRequested)
        actions.addWidget(self.drawer_button, 1)
        right = QVBoxLayout()
        right.addLayout(figures)
        right.addWidget(self.message)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(actions)

    # -- the count pad ----------------------------------------------------------------------------------------
    def set_denominations(self, currency: str, denominations: Sequence[int]) -> None:
        """One row per note or coin, largest first: its face value, − count +, and what they add up to."""
        self.currency = currency
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.spins.clear()
        self.subtotals.clear()
        for row, denomination in enumerate(denominations):
            face = QLabel(Money(denomination, currency).format().replace(".00", ""))
            face.setObjectName("cashFace")
            spin = QSpinBox()
            spin.setRange(0, 9999)
            spin.setObjectName(f"count{denomination}")
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            spin.valueChanged.connect(lambda _v, d=denomination: self._changed(d))
            subtotal = QLabel(Money(0, currency).format())
            subtotal.setObjectName("cashSubtotal")
            subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.rows.addWidget(face, row, 0)
            self.rows.addWidget(stepper(spin, size=ROW), row, 1)
            self.rows.addWidget(subtotal, row, 2)
            self.spins[denomination] = spin
            self.subtotals[denomination] = subtotal
        self.rows.setColumnStretch(1, 1)
        self.rows.setRowStretch(len(denominations), 1)

    def pieces(self) -> dict[int, int]:
        return {d: spin.value() for d, spin in self.spins.items() if spin.value()}

    def clear(self) -> None:
        for spin in self.spins.values():
            spin.setValue(0)

    def _changed(self, denomination: int) -> None:
        spin = self.spins[denomination]
        self.subtotals[denomination].setText(Money(denomination * spin.value(), self.currency).format())
        self._show_count()

    def _show_count(self) -> None:
        """The total counted so far and its variance against expected, as the service's CashUp adds them."""
        counted = DrawerCount.of(self.currency, self.pieces()).total
        self.values["counted"].setText(Money(counted, self.currency).format())
        if self.cash is not None and self.cash.currency == self.currency:
            draft = dataclasses.replace(self.cash, counted=counted)
            text, colour = variance_text(draft.variance, self.currency)
            self.values["variance"].setText(text)
            self.values["variance"].setStyleSheet(f"color: {colour};" if colour else "")

    # -- the service's answer ---------------------------------------------------------------------------------
    def show_cash(self, cash: CashUp) -> None:
        self.cash = cash

        def m(amount: int) -> str:
            return Money(amount, cash.currency).format()

        v = self.values
        v["float"].setText(m(cash.opening_float))
        v["orders"].setText(f"{cash.cash_order_count} · {m(cash.cash_orders)}")
        v["refunds"].setText(m(-cash.cash_refunds))
        v["paid_in"].setText(m(cash.paid_in))
        v["paid_out"].setText(m(-cash.paid_out))
        v["expected"].setText(m(cash.expected))
        v["by"].setText(cash.counted_by or "–")
        if cash.counted is not None and not self.pieces():  # a saved count comes back onto the pad
            for denomination, n in cash.pieces:
                if denomination in self.spins:
                    self.spins[denomination].setValue(n)
        self._show_count()

    def show_message(self, text: str, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {EXACT if ok else SHORT};")


class CashEntryDialog(TouchDialog):
    """Paid in, paid out, the opening float (amount, reason, PIN) or Open drawer (reason and manager PIN).
    Emits ``submitted(pin, amount_minor, reason)``; shows the answer it is given."""

    submitted = Signal(str, int, str)

    def __init__(self, kind: str, currency: str, parent: QWidget | None = None) -> None:
        drawer = kind == "open_drawer"
        title = t("Open drawer") if drawer else _kind_words()[kind]
        super().__init__(title, parent)
        self.kind = kind
        self.currency = currency
        form = QFormLayout()
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName("cashAmount")
        self.amount.setDecimals(minor_units(currency))
        self.amount.setRange(0, 1_000_000)
        self.amount.setPrefix(f"{currency} ")
        if not drawer:
            form.addRow(t("Amount"), stepper(self.amount))
        self.reason = QLineEdit()
        self.reason.setObjectName("cashReason")
        self.reason.setMinimumHeight(ROW)
        self.reason.setPlaceholderText(t("Reason (for the audit log)"))
        form.addRow(t("Reason"), self.reason)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.result_label)
        left.addStretch(1)
        manager_only = drawer or kind == Movement.FLOAT.value
        self.pinpad = PinPad(t("Manager PIN") if manager_only else t("Cashier or manager PIN"), self)
        self.pinpad.submitted.connect(self._submit)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addWidget(self.pinpad)
        self.content.addLayout(row)
        self.resize(1000, 600)

    def amount_minor(self) -> int:
        return to_minor(Decimal(str(self.amount.value())), self.currency)

    def _submit(self, pin: str) -> None:
        self.submitted.emit(pin, self.amount_minor(), self.reason.text().strip())

    def refused(self, text: str) -> None:
        self.pinpad.reset()
        self.pinpad.show_error(text)


class CashReportBox(QFrame):
    """The Z-report screen's cash-up: expected, counted, variance and who counted (hidden on a range)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        self.title = QLabel(t("Cash-up"))
        self.title.setObjectName("figureLabel")
        self.line = QLabel()
        self.line.setObjectName("figureValue")
        self.line.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("figureLabel")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.line)
        layout.addWidget(self.detail)
        self.hide()

    def show_cash(self, cash: CashUp | None) -> None:
        if cash is None:
            self.hide()
            return

        def m(amount: int) -> str:
            return Money(amount, cash.currency).format()

        expected = t("Expected {amount}").format(amount=m(cash.expected))
        if cash.counted is None:
            self.line.setText(f"{expected} · {t('Drawer not counted yet')}")
            self.line.setStyleSheet("")
        else:
            text, colour = variance_text(cash.variance, cash.currency)
            counted = t("Counted {amount}").format(amount=m(cash.counted))
            self.line.setText(f"{expected} · {counted} · {text}")
            self.line.setStyleSheet(f"color: {colour};")
        parts = [
            t("Float {amount}").format(amount=m(cash.opening_float)),
            t("Cash orders {n} · {amount}").format(n=cash.cash_order_count, amount=m(cash.cash_orders)),
            t("Cash refunds {amount}").format(amount=m(-cash.cash_refunds)),
            t("Paid in {amount}").format(amount=m(cash.paid_in)),
            t("Paid out {amount}").format(amount=m(-cash.paid_out)),
        ]
        if cash.counted_by:
            parts.append(t("Counted by {who}").format(who=cash.counted_by))
        self.detail.setText("  ·  ".join(parts))
        self.show()


def cash_style(muted: str, scale: float = 1.0) -> str:
    """The Cash tab's type: big faces and counts, the expected cash and variance larger still."""
    return f"""
    QLabel#cashTitle {{ font-size: {int(22 * scale)}px; font-weight: 700; }}
    QLabel#cashFace {{ font-size: {int(26 * scale)}px; font-weight: 700; min-width: {int(96 * scale)}px; }}
    QLabel#cashSubtotal {{ font-size: {int(20 * scale)}px; min-width: {int(120 * scale)}px; }}
    QSpinBox {{ font-size: {int(26 * scale)}px; font-weight: 700; min-width: {int(90 * scale)}px; }}
    QLabel#cashCaption {{ font-size: {int(18 * scale)}px; color: {muted}; }}
    QLabel#cashValue {{ font-size: {int(22 * scale)}px; font-weight: 700; }}
    QLabel#cashBig {{ font-size: {int(30 * scale)}px; font-weight: 800; }}
    QLabel#cashMessage {{ font-size: {int(18 * scale)}px; font-weight: 700; min-height: 48px; }}
    """
