"""The queue's dialogs: order detail, reason picker, recall, sold-out menu, settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QWidget,
)

from posapp.domain.events import StatusEvent
from posapp.domain.lifecycle import Action, allowed_actions
from posapp.domain.order import Order, OrderStatus
from posapp.domain.reasons import REASON_TEXT, RejectReason
from posapp.ui.card_delegate import FULFILLMENT_LABELS
from posapp.ui.i18n import LANGUAGES, t
from posapp.ui.manager.audit_text import action_text, status_word, who_text
from posapp.ui.theme import (
    ACTION_COLOURS,
    BANNER_COLOURS,
    GO,
    STOP,
    order_label,
    platform_label,
    text_on,
)
from posapp.ui.widgets import (
    TouchDialog,
    big_button,
    escape_mnemonic,
    kinetic,
    named,
    stepper,
    wrapping_button,
)

ACTION_TEXT = {
    Action.ACCEPT: "Accept",
    Action.REJECT: "Reject",
    Action.START: "Start",
    Action.READY: "Ready",
    Action.COMPLETE: "Done",
    Action.CANCEL: "Cancel order",
    Action.RECALL: "Recall",
}


STATUS_TEXT = {
    OrderStatus.NEW: "New",
    OrderStatus.ACCEPTED: "Accepted",
    OrderStatus.PREPARING: "Cooking",
    OrderStatus.READY: "Ready",
    OrderStatus.COMPLETED: "Completed",
    OrderStatus.REJECTED: "Rejected",
    OrderStatus.CANCELLED: "Cancelled",
}


def money(order: Order, minor: int) -> str:
    return order.money(minor).format()


class OrderDetailDialog(TouchDialog):
    """Every field of one order, its event history, and the actions it allows (plus Reprint and Undo).

    What an action from here did (printed, refunded) shows here, where the cashier is looking, and the dialog
    refreshes with the order's new state."""

    actionChosen = Signal(int, str)  # order id, action
    reprintChosen = Signal(int, str)  # order id, kind (kitchen / receipt)
    undoChosen = Signal(int)
    refundChosen = Signal(int)
    paymentChosen = Signal(int)  # order id: Take payment through a gateway
    gatewayRefundChosen = Signal(str)  # a gateway payment's request id: refund it through that gateway

    def __init__(
        self, order: Order, history: Sequence[StatusEvent], tz: tzinfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(detail_title(order), parent)
        self.order = order
        self.tz = tz
        assert order.id is not None
        order_id = order.id
        self.resize(1100, 760)
        # Not self.scroll / self.result: those would hide QWidget.scroll() and QDialog.result().
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setWidgetResizable(True)
        kinetic(self.fields_scroll)
        self.content.addWidget(self.fields_scroll)
        self.result_label = named(QLabel(""), "detailResult")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.content.addWidget(self.result_label)
        self._action_buttons: list[QPushButton] = []
        self.refresh(order, history)

        # Second row, above the lifecycle actions: printing and undo.
        extra = QHBoxLayout()
        for kind, text in (("kitchen", t("Reprint ticket")), ("receipt", t("Print receipt"))):
            button = big_button(text, "#34495E")
            button.setObjectName(f"print-{kind}")
            button.clicked.connect(lambda _=False, k=kind: self.reprintChosen.emit(order_id, k))
            extra.addWidget(button)
        refund = big_button(t("Refund…"), "#34495E")
        refund.setObjectName("refund")
        refund.clicked.connect(lambda: self.refundChosen.emit(order_id))
        extra.addWidget(refund)
        undo = big_button(t("Undo"), "#5D6770")
        undo.setObjectName("undo")
        undo.clicked.connect(lambda: self._chosen_and_close(self.undoChosen, order_id))
        extra.addWidget(undo)
        extra.addStretch(1)
        self.body.insertLayout(self.body.count() - 1, extra)
        # Third row, shown by show_payments: Take payment, or a refund back through the gateway that took it.
        self.payments: list[Any] = []
        self.payment_row = QHBoxLayout()
        self.take_payment = big_button(t("Take payment"), GO)
        self.take_payment.setObjectName("take-payment")
        self.take_payment.clicked.connect(
            lambda: self.paymentChosen.emit(order_id)
        )  # the detail stays under it
        self.take_payment.hide()
        self.payment_row.addWidget(self.take_payment)
        self._refund_buttons: list[QPushButton] = []
        self.payment_row.addStretch(1)
        self.body.insertLayout(self.body.count() - 1, self.payment_row)

    def refresh(self, order: Order, history: Sequence[StatusEvent]) -> None:
        """Show the order as it is now: fields, history, and the actions its status allows."""
        self.order = order
        self.setWindowTitle(detail_title(order))
        self.heading.setText(detail_title(order))
        self.fields_scroll.setWidget(self._fields(order, history))
        for button in self._action_buttons:
            self.buttons.removeWidget(button)
            button.deleteLater()
        self._action_buttons = []
        assert order.id is not None
        order_id = order.id
        for action in allowed_actions(order.status):
            colour = ACTION_COLOURS.get(action.value, STOP if action is Action.CANCEL else "#1A66D6")
            button = big_button(t(ACTION_TEXT[action]), colour)
            button.setObjectName(f"action-{action.value}")
            button.clicked.connect(
                lambda _=False, a=action.value: self._chosen_and_close(self.actionChosen, order_id, a)
            )
            self.buttons.insertWidget(self.buttons.count() - 2, button)
            self._action_buttons.append(button)

    def show_payments(self, paid: Sequence[Any], *, can_take: bool) -> None:
        """The order's gateway payments (PaymentViews that are paid): one Refund through … button each; Take
        payment when the order is still to be paid at the counter."""
        self.payments = list(paid)
        self.take_payment.setVisible(can_take)
        for button in self._refund_buttons:
            self.payment_row.removeWidget(button)
            button.hide()  # gone at once, not when Qt deletes it: a tap must not reach a stale payment
            button.deleteLater()
        self._refund_buttons = []
        from posapp.ui.payment import gateway_label

        for view in paid:
            if view.refunded >= view.amount:
                continue  # refunded in full: nothing left to send back
            button = big_button(
                t("Refund through {gateway}…").format(gateway=gateway_label(view.gateway)), "#34495E"
            )
            button.setObjectName(f"gateway-refund-{view.request_id}")
            button.clicked.connect(lambda _=False, r=view.request_id: self.gatewayRefundChosen.emit(r))
            self.payment_row.insertWidget(self.payment_row.count() - 1, button)
            self._refund_buttons.append(button)

    def show_result(self, text: str, level: str = "info") -> None:
        """The answer to what was just tapped in this dialog, in this dialog."""
        show_result(self.result_label, text, level)

    def _chosen_and_close(self, signal: SignalInstance, *args: object) -> None:
        signal.emit(*args)
        self.accept()

    def _fields(self, order: Order, history: Sequence[StatusEvent]) -> QWidget:
        tz = self.tz
        inner = named(QWidget(), "dialogBody")
        form = QFormLayout(inner)
        form.setVerticalSpacing(8)
        c = order.customer
        rows: list[tuple[str, str]] = [
            (t("Platform order"), order.external_id),
            (t("Fulfillment"), t(FULFILLMENT_LABELS.get(order.fulfillment, order.fulfillment.value))),
            (t("Placed"), f"{order.placed_at.astimezone(tz):%Y-%m-%d %H:%M}"),
        ]
        if order.due_at:
            rows.append((t("Due"), f"{order.due_at.astimezone(tz):%Y-%m-%d %H:%M}"))
        if c:  # what the viewer may see (domain/privacy.order_for): a field not given is not a row
            given = ((t("Customer"), c.name), (t("Phone"), c.phone_masked), (t("Address"), c.address))
            rows += [(label, value) for label, value in given if value]
        if order.rider_status:
            rows.append((t("Rider"), order.rider_status))
        if order.notes:
            rows.append((t("Notes"), order.notes))
        for item in order.items:
            mods = "".join(f"\n    + {m.name}" for m in item.modifiers)
            note = f"\n    ! {item.note}" if item.note else ""
            rows.append((f"{item.quantity} ×", f"{item.name}  {money(order, item.line_total())}{mods}{note}"))
        tot = order.totals
        for label, value in [
            (t("Subtotal"), tot.subtotal),
            (t("Delivery fee"), tot.delivery_fee),
            (t("Packaging"), tot.packaging_fee),
            (t("Discount"), -tot.discount),
            (t("Tip"), tot.tip),
            (t("Tax"), tot.tax),
            (t("Total"), tot.total),
        ]:
            if value or label == t("Total"):
                rows.append((label, money(order, value)))
        if order.payment:
            rows.append(
                (
                    t("Payment"),
                    f"{t(order.payment.method)} · {t('paid') if order.payment.paid else t('unpaid')}",
                )
            )
        for label, shown in rows:
            text = QLabel(shown)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = QLabel(label)
            name.setStyleSheet("font-weight: 700;")
            form.addRow(name, text)
        history_label = QLabel(f"<b>{t('History')}</b>")
        form.addRow(history_label)
        for event in history:  # in words, as the audit log says them: "新订单 → 已接单 · 后厨"
            change = (
                f"{status_word(event.from_status) if event.from_status else '—'} → {status_word(event.to_status)}"
                if event.kind == "status"
                else action_text(event.kind)
            )
            reason = f" ({t(event.reason)})" if event.reason else ""
            line = QLabel(f"{change} · {who_text(event.by)}{reason}")
            line.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(QLabel(f"{event.at.astimezone(tz):%H:%M:%S}"), line)
        return inner


def detail_title(order: Order) -> str:
    """ "Meituan #1 · Delivery · Accepted": words, not the stored values."""
    status = STATUS_TEXT.get(order.status, order.status.value.title())
    fulfilment = FULFILLMENT_LABELS.get(order.fulfillment, order.fulfillment.value)
    return f"{order_label(order)} · {t(fulfilment)} · {t(status)}"


class ReasonDialog(TouchDialog):
    """Pick a reason with one tap (reject / cancel)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.reason: str | None = None
        grid = QGridLayout()
        for i, reason in enumerate(RejectReason):
            button = wrapping_button(t(REASON_TEXT[reason]), "#34495E", min_height=72)
            button.setObjectName(f"reason-{reason.value}")
            # The canonical (English) text is stored and sent; staff read it in their language.
            button.clicked.connect(lambda _=False, r=reason: self._choose(REASON_TEXT[r]))
            grid.addWidget(button, i // 2, i % 2)
        self.content.addLayout(grid)

    def _choose(self, reason: str) -> None:
        self.reason = reason
        self.accept()


class RecallDialog(TouchDialog):
    """Recently completed orders; a tap brings one back to the queue as ready."""

    recallChosen = Signal(int)

    def __init__(self, orders: Sequence[Order], tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(t("Recall a completed order"), parent)
        self.resize(700, 600)
        self.list = QListWidget()
        self.list.setStyleSheet("QListWidget::item { min-height: 64px; font-size: 22px; }")
        for order in orders:
            items = ", ".join(f"{i.quantity}×{i.name}" for i in order.items)
            item = QListWidgetItem(f"#{order.display_id}  {platform_label(order.platform)}  {items}")
            item.setData(Qt.ItemDataRole.UserRole, order.id)
            self.list.addItem(item)
        if not orders:
            self.content.addWidget(QLabel(t("No completed orders in the last hours")))
        self.list.itemClicked.connect(self._chosen)
        kinetic(self.list)  # a drag through the list recalls nothing
        self.content.addWidget(self.list)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.recallChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()


def show_result(label: QLabel, text: str, level: str = "info") -> None:
    """An answer shown in the dialog where it was asked for, coloured by how it went."""
    colour = BANNER_COLOURS.get(level, BANNER_COLOURS["info"])
    label.setStyleSheet(
        f"background: {colour}; color: {text_on(colour).name()}; padding: 10px; border-radius: 6px;"
        " font-weight: 700;"
    )
    label.setText(text)
    label.show()


class SoldOutDialog(TouchDialog):
    """Every known dish as a big toggle: red = sold out. Marking a dish sold out takes a second tap (it goes to
    every platform selling it); marking it available again takes one."""

    availabilityChanged = Signal(str, bool)
    ARM_MS = 4000

    def __init__(self, menu: Sequence[tuple[str, str | None, bool]], parent: QWidget | None = None) -> None:
        super().__init__(t("Sold out?"), parent)
        self.resize(900, 700)
        self.toggles_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        kinetic(scroll)  # a drag through the dishes scrolls them and marks none
        inner = named(QWidget(), "dialogBody")
        grid = QGridLayout(inner)
        self.toggles: dict[str, QPushButton] = {}
        self.armed: str | None = None
        self._disarm = QTimer(self, singleShot=True, interval=self.ARM_MS)
        self._disarm.timeout.connect(self._reset_armed)
        for i, (name, _category, available) in enumerate(menu):
            button = QPushButton()
            button.setCheckable(True)
            button.setChecked(not available)
            button.setMinimumHeight(72)
            self._paint(button, name)
            button.clicked.connect(lambda _c=False, n=name: self.tap(n))
            grid.addWidget(button, i // 3, i % 3)
            self.toggles[name] = button
        scroll.setWidget(inner)
        self.content.addWidget(scroll)
        # Each platform's answer to the latest sold out / back in stock, where the cook is looking.
        self.result_label = named(QLabel(""), "soldOutAnswers")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.content.addWidget(self.result_label)

    def show_result(self, text: str, level: str = "info") -> None:
        show_result(self.result_label, text, level)

    def tap(self, name: str) -> None:
        button = self.toggles[name]
        wants_sold_out = button.isChecked()  # the click has toggled it already
        if wants_sold_out and self.armed != name:
            button.setChecked(False)  # not yet: the first tap asks
            self._reset_armed()
            self.armed = name
            self._paint(button, name)
            self._disarm.start()
            return
        self._reset_armed()
        self._paint(button, name)
        self.availabilityChanged.emit(name, not wants_sold_out)

    def set_available(self, name: str, available: bool) -> None:
        """The store's answer (or an undo from the queue): repaint the dish."""
        button = self.toggles.get(name)
        if button is not None:
            button.setChecked(not available)
            self._paint(button, name)

    def _reset_armed(self) -> None:
        self._disarm.stop()
        armed, self.armed = self.armed, None
        if armed is not None and armed in self.toggles:
            self._paint(self.toggles[armed], armed)

    def _paint(self, button: QPushButton, name: str) -> None:
        sold_out = button.isChecked()
        if self.armed == name:
            state, colour = t("Tap again: sold out on every platform"), "#9A5B00"
        elif sold_out:
            state, colour = t("SOLD OUT"), STOP
        else:
            state, colour = t("available"), GO
        button.setText(escape_mnemonic(f"{name}\n{state}"))
        button.setStyleSheet(
            f"background: {colour}; color: {text_on(colour).name()}; font-size: 20px; font-weight: 700;"
        )


class ConfirmDialog(TouchDialog):
    """A store-wide change asks once: what will happen, a button that does it, and Cancel."""

    def __init__(self, title: str, text: str, confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("confirmText")
        self.content.addWidget(label)
        self.content.addStretch(1)
        self.close_button.setText(t("Cancel"))
        self.confirm_button = big_button(escape_mnemonic(confirm), STOP)
        self.confirm_button.setObjectName("confirm")
        self.confirm_button.clicked.connect(self.accept)
        self.buttons.insertWidget(self.buttons.count() - 1, self.confirm_button)
        self.resize(720, 360)


class SettingsDialog(TouchDialog):
    """Theme, font size, language, spoken announcements, kiosk mode and auto-accept per platform."""

    def __init__(
        self,
        *,
        platforms: Sequence[str],
        auto_accept: set[str],
        theme: str,
        scale: float,
        language: str,
        speak: bool,
        speak_available: bool,
        kiosk: bool,
        on_apply: Callable[[dict[str, object]], object],
        on_printers: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(t("Settings"), parent)
        form = QFormLayout()
        self.theme = QComboBox()
        self.theme.addItem(t("Dark"), "dark")
        self.theme.addItem(t("Light"), "light")
        self.theme.setCurrentIndex(0 if theme == "dark" else 1)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.8, 1.8)
        self.scale.setSingleStep(0.1)
        self.scale.setValue(scale)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(language) if language in LANGUAGES else 0)
        self.speak = QCheckBox(t("Announce new orders aloud"))
        self.speak.setChecked(speak)
        self.speak.setEnabled(speak_available)
        self.kiosk = QCheckBox(t("Full screen (kiosk)"))
        self.kiosk.setChecked(kiosk)
        for widget in (self.theme, self.scale, self.language):
            widget.setMinimumHeight(52)
        form.addRow(t("Theme"), self.theme)
        form.addRow(t("Text size"), stepper(self.scale))
        form.addRow(t("Language"), self.language)
        form.addRow("", self.speak)
        form.addRow("", self.kiosk)
        self.auto: dict[str, QCheckBox] = {}
        group = QButtonGroup(self)
        group.setExclusive(False)
        for name in platforms:
            box = QCheckBox(t("Auto-accept {platform}").format(platform=platform_label(name)))
            box.setChecked(name in auto_accept)
            group.addButton(box)
            form.addRow("", box)
            self.auto[name] = box
        # The list grows with every platform (and setting): it scrolls, Apply and Close stay in view.
        body = named(QWidget(), "dialogBody")
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        kinetic(scroll)
        scroll.setMinimumWidth(body.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 8)
        self.content.addWidget(scroll)
        self.resize(760, 720)  # fitted to the screen when shown
        if on_printers is not None:
            printers = big_button(t("Printers…"), "#34495E")
            printers.setObjectName("printers")

            def to_printers() -> None:
                self.reject()
                on_printers()

            printers.clicked.connect(to_printers)
            self.buttons.insertWidget(0, printers)
        apply = big_button(t("Apply"), GO)
        apply.setObjectName("apply")

        def apply_and_close() -> None:
            on_apply(self.values())
            self.accept()

        apply.clicked.connect(apply_and_close)
        self.buttons.insertWidget(self.buttons.count() - 1, apply)

    def values(self) -> dict[str, object]:
        return {
            "theme": self.theme.currentData(),
            "scale": round(self.scale.value(), 2),
            "language": self.language.currentData(),
            "speak": self.speak.isChecked(),
            "kiosk": self.kiosk.isChecked(),
            "auto_accept": {name for name, box in self.auto.items() if box.isChecked()},
        }
