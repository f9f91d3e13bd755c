"""Mark a refund on an order at the counter: a cashier's or manager's PIN, the amount, the reason."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QWidget

from posapp.domain.money import minor_units, to_minor
from posapp.domain.order import Order
from posapp.ui.i18n import t
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.widgets import TouchDialog


class RefundDialog(TouchDialog):
    """Emits ``submitted(pin, amount_minor, reason)``; shows the answer it is given, decides nothing."""

    submitted = Signal(str, int, str)

    def __init__(self, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(t("Refund on order #{number}").format(number=order.display_id), parent)
        self.order = order
        places = minor_units(order.currency)
        form = QFormLayout()
        self.amount = QDoubleSpinBox()
        self.amount.setDecimals(places)
        self.amount.setRange(0, float(order.money(order.totals.total).decimal()))
        self.amount.setValue(float(order.money(order.totals.total).decimal()))
        self.amount.setMinimumHeight(56)
        self.amount.setPrefix(f"{order.currency} ")
        self.reason = QLineEdit()
        self.reason.setMinimumHeight(56)
        self.reason.setPlaceholderText(t("Reason (for the audit log)"))
        form.addRow(t("Amount"), self.amount)
        form.addRow(t("Reason"), self.reason)
        self.content.addLayout(form)
        self.pinpad = PinPad(t("Cashier or manager PIN"), self)
        self.pinpad.submitted.connect(self._submit)
        self.content.addWidget(self.pinpad)
        self.result_label = QLabel("")
        self.content.addWidget(self.result_label)
        self.resize(720, 860)

    def amount_minor(self) -> int:
        return to_minor(Decimal(str(self.amount.value())), self.order.currency)

    def _submit(self, pin: str) -> None:
        self.submitted.emit(pin, self.amount_minor(), self.reason.text().strip())

    def refused(self, text: str) -> None:
        self.pinpad.reset()
        self.pinpad.show_error(text)
