"""Mark a refund on an order at the counter: a cashier's or manager's PIN, the amount, the reason."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import minor_units, to_minor
from posapp.domain.order import Order
from posapp.ui.i18n import t
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.theme import order_label
from posapp.ui.widgets import TouchDialog, stepper


class RefundDialog(TouchDialog):
    """Emits ``submitted(pin, amount_minor, reason)``; shows the answer it is given, decides nothing."""

    submitted = Signal(str, int, str)

    def __init__(self, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(t("Refund on order {order}").format(order=order_label(order)), parent)
        self.order = order
        places = minor_units(order.currency)
        form = QFormLayout()
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName("refundAmount")
        self.amount.setDecimals(places)
        self.amount.setRange(0, float(order.money(order.totals.total).decimal()))
        self.amount.setValue(float(order.money(order.totals.total).decimal()))
        self.amount.setPrefix(f"{order.currency} ")
        self.reason = QLineEdit()
        self.reason.setMinimumHeight(56)
        self.reason.setPlaceholderText(t("Reason (for the audit log)"))
        form.addRow(t("Amount"), stepper(self.amount))
        form.addRow(t("Reason"), self.reason)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.result_label)
        left.addStretch(1)
        # Side by side: the form beside the PIN pad fits a 768 px tall screen with Close in view.
        self.pinpad = PinPad(t("Cashier or manager PIN"), self)
        self.pinpad.submitted.connect(self._submit)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addWidget(self.pinpad)
        self.content.addLayout(row)
        self.resize(1000, 600)

    def amount_minor(self) -> int:
        return to_minor(Decimal(str(self.amount.value())), self.order.currency)

    def _submit(self, pin: str) -> None:
        self.submitted.emit(pin, self.amount_minor(), self.reason.text().strip())

    def refused(self, text: str) -> None:
        self.pinpad.reset()
        self.pinpad.show_error(text)
