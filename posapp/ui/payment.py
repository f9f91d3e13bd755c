"""Take payment at the counter: choose WeChat Pay, Alipay or a card reader, scan the customer's payment code (a USB
scanner is a keyboard to us) or show a QR, wait for the customer with a countdown and a big Cancel, and see the
gateway's answer: Paid (method and transaction id), Declined (the gateway's sentence), Cancelled, or Not confirmed.

The dialog decides nothing: the payment service (services/payments.py, run on the engine's loop) takes the
payment; the dialog shows the updates it sends and the state it ends in. Only ``paid`` is ever shown as paid.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import Money
from posapp.errors import PosappError
from posapp.payments.gateway import GatewayError, Method, PayState
from posapp.ui.i18n import t
from posapp.ui.refund import RefundDialog
from posapp.ui.sentences import say
from posapp.ui.theme import DARK, GO, STOP, Palette, order_label, text_on
from posapp.ui.widgets import TouchDialog, big_button, named

log = logging.getLogger(__name__)

# The gateways' names as the cashier knows them (t() entries).
GATEWAY_LABELS = {"wechat": "WeChat Pay", "alipay": "Alipay", "stripe": "Card"}
GATEWAY_COLOURS = {"wechat": "#07A35A", "alipay": "#1677FF", "stripe": "#5D4AB8"}  # white text reads on each
METHOD_LABELS = {
    Method.SCAN_CODE: "Scan the customer's code",
    Method.SHOW_QR: "Customer scans our QR",
    Method.CARD_READER: "Card reader",
}
PAYING = "#FFB300"

# A USB scanner types a payment code in a burst: a WeChat code is 18 digits, an Alipay one 16 to 24. Keys further
# apart than this start a new code, so a stray key press before the scan does not spoil it.
SCAN_GAP_S = 0.3
CODE_DIGITS = (10, 32)


class GatewayInfoLike(Protocol):
    """What the dialog reads of ``PaymentService.gateways()``'s GatewayInfo."""

    name: str
    label: str
    methods: Any  # a collection of Method
    test_mode: bool
    configured: bool


class PaymentViewLike(Protocol):
    """What the dialog reads of a PaymentView (services/payments.py)."""

    request_id: str
    gateway: str
    method: Any
    amount: Money
    state: PayState
    transaction_id: str | None
    message: str
    qr_url: str | None
    seconds_left: float | None
    refunded: Money


class ReaderViewLike(Protocol):
    """What the dialog reads of ``PaymentService.readers()``'s ReaderView."""

    id: str
    label: str
    message: str

    @property
    def state(self) -> str: ...  # "online", "busy", "offline", "unknown"

    @property
    def usable(self) -> bool: ...


# take(gateway, method, code, reader_id, on_update, stop) -> the final PaymentView: PaymentService.take bound to
# the order and amount, running on the engine's loop.
Take = Callable[..., Awaitable[Any]]
# readers(gateway) -> the gateway's card readers with their state (PaymentService.readers on the engine's loop).
Readers = Callable[[str], Awaitable[Sequence[Any]]]

# The colour of a card reader's button by its state (offline and busy ones are greyed, and cannot be tapped).
READER_COLOURS = {"online": GATEWAY_COLOURS["stripe"], "unknown": "#34495E"}


def reader_state(reader: ReaderViewLike) -> str:
    """A card reader's state as the cashier reads it."""
    state = reader.state
    if state == "online":
        return t("Ready", "card reader")
    if state == "busy":
        return t("Busy with another payment", "card reader")
    if state == "offline":
        return t("Offline", "card reader")
    return t("State unknown", "card reader")


def gateway_label(name: str) -> str:
    return t(GATEWAY_LABELS.get(name, name.title()))


def method_label(method: Method | str) -> str:
    return t(METHOD_LABELS.get(Method(method), str(method)))


PAID_WITH = {Method.SCAN_CODE: "payment code", Method.SHOW_QR: "QR code"}


def paid_with(view: PaymentViewLike) -> str:
    """ "WeChat Pay (payment code)": the gateway and how the customer paid."""
    how = PAID_WITH.get(Method(view.method))
    return f"{gateway_label(view.gateway)} ({t(how)})" if how else gateway_label(view.gateway)


class CrossThreadStop(asyncio.Event):
    """The cashier's Cancel: set on the GUI's loop, waited on by the payment on the engine's loop.

    ``asyncio.Event.set`` may only run on the loop that waits; this one hands it to that loop when the waiter
    is on another thread."""

    _waiter_loop: asyncio.AbstractEventLoop | None = None

    async def wait(self) -> bool:  # type: ignore[override]
        self._waiter_loop = asyncio.get_running_loop()
        return await super().wait()

    def set(self) -> None:
        loop = self._waiter_loop
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if loop is None or loop is here or loop.is_closed():
            super().set()
        else:
            loop.call_soon_threadsafe(super().set)


class _Relay(QObject):
    """Carries the service's updates from the engine's thread to the dialog (a queued signal across threads)."""

    update = Signal(object)


class QrCode(QWidget):
    """``text`` drawn as a QR code, black on white with its quiet zone, as large as the widget allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentQr")
        self.matrix: list[list[bool]] = []
        self.text = ""
        self.setMinimumSize(QSize(300, 300))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_text(self, text: str | None) -> None:
        if (text or "") == self.text:
            return
        self.text = text or ""
        self.matrix = []
        if self.text:
            import qrcode
            import qrcode.constants

            code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
            code.add_data(self.text)
            code.make(fit=True)
            self.matrix = code.get_matrix()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.matrix:
            return
        painter = QPainter(self)
        side = min(self.width(), self.height())
        cells = len(self.matrix)
        cell = side // cells
        size = cell * cells
        left, top = (self.width() - size) // 2, (self.height() - size) // 2
        painter.fillRect(left, top, size, size, QColor("#FFFFFF"))
        black = QColor("#000000")
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(QRectF(left + x * cell, top + y * cell, cell, cell), black)
        painter.end()


def _style(p: Palette) -> str:
    return f"""
    QDialog {{ background: {p.window}; color: {p.text}; }}
    QWidget {{ font-size: 22px; color: {p.text}; }}
    QLabel#title {{ font-size: 28px; font-weight: 700; }}
    QLabel#payAmount {{ font-size: 40px; font-weight: 800; }}
    QLabel#payPrompt {{ font-size: 30px; font-weight: 800; }}
    QLabel#payHint {{ font-size: 22px; color: {p.muted}; }}
    QLabel#payCountdown {{ font-size: 64px; font-weight: 800; color: {p.warn}; }}
    QLabel#payError {{ font-size: 22px; font-weight: 700; color: #FFFFFF; background: {STOP};
                       padding: 8px; border-radius: 6px; }}
    QLabel#payTest {{ font-size: 18px; font-weight: 800; color: #000000; background: {PAYING};
                      padding: 4px 10px; border-radius: 6px; }}
    QLabel#payState {{ font-size: 48px; font-weight: 800; padding: 12px; border-radius: 10px; }}
    QLabel#payDetail {{ font-size: 26px; }}
    QPushButton {{ min-height: 64px; }}
    QPushButton:disabled {{ color: #D0D4D8; background: #4A5158; }}
    """


class PaymentDialog(TouchDialog):
    """Take one payment for one order. ``paymentFinished(view)`` when the service answers with a final state.

    ``take(gateway=, method=, code=, on_update=, stop=)`` is the service call (bound to the order and the amount);
    ``gateways`` what ``PaymentService.gateways()`` answered (only configured ones are offered)."""

    paymentFinished = Signal(object)  # the final PaymentView
    printRequested = Signal()

    def __init__(
        self,
        order_label: str,
        amount: Money,
        gateways: Sequence[GatewayInfoLike],
        take: Take,
        *,
        readers: Readers | None = None,
        camera: Any = None,
        palette: Palette = DARK,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(t("Take payment — {order}").format(order=order_label), parent)
        self.setObjectName("paymentDialog")
        self.setStyleSheet(_style(palette))
        self.palette_ = palette
        self.amount = amount
        self.take = take
        self.list_readers = readers  # None: the card reader is the gateway's default, not asked about
        # ui/camera_scan.CameraScanner, or None (no camera button): reads the code as the USB scanner does
        self.camera = camera
        if camera is not None:
            camera.setParent(self)
            camera.codeFound.connect(self._camera_code)
            camera.problem.connect(self._camera_problem)
        self.clock = clock
        self.gateways = [g for g in gateways if g.configured]
        self.choice: tuple[str, Method] | None = None
        self.reader: Any = None  # the chosen card reader (a ReaderView)
        self.readers: list[Any] = []
        self.reader_task: asyncio.Task[Any] | None = None
        self.view: Any = None  # the latest PaymentView
        self.final: Any = None
        self.task: asyncio.Task[Any] | None = None
        self.stop: CrossThreadStop | None = None
        self._keys = ""
        self._last_key = 0.0
        self._deadline: float | None = None
        self._relay = _Relay(self)
        self._relay.update.connect(self.show_update, Qt.ConnectionType.QueuedConnection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        top = QHBoxLayout()
        self.amount_label = named(QLabel(amount.format()), "payAmount")
        top.addWidget(self.amount_label)
        top.addStretch(1)
        self.test_badge = named(QLabel(t("TEST MODE — no real money")), "payTest")
        self.test_badge.hide()
        top.addWidget(self.test_badge)
        self.content.addLayout(top)
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages, 1)
        self.choose_page = self._choose_page()
        self.scan_page = self._scan_page()
        self.reader_page = self._reader_page()
        self.wait_page = self._wait_page()
        self.result_page = self._result_page()
        for page in (self.choose_page, self.scan_page, self.reader_page, self.wait_page, self.result_page):
            self.pages.addWidget(page)

        self.back_button = big_button(t("Back"), "#5D6770")
        self.back_button.setObjectName("payBack")
        self.back_button.clicked.connect(self.show_choices)
        self.buttons.insertWidget(0, self.back_button)
        self.retry_button = big_button(t("Try again"), "#1A66D6")
        self.retry_button.setObjectName("payRetry")
        self.retry_button.clicked.connect(self.show_choices)
        self.buttons.insertWidget(1, self.retry_button)
        self.print_button = big_button(t("Print receipt"), "#34495E")
        self.print_button.setObjectName("payPrint")
        self.print_button.clicked.connect(self.printRequested.emit)
        self.buttons.insertWidget(1, self.print_button)
        for button in self.findChildren(QPushButton):
            button.setFocusPolicy(
                Qt.FocusPolicy.NoFocus
            )  # the scanner's keys come to the dialog, not a button
        self._tick = QTimer(self, interval=250)
        self._tick.timeout.connect(self._count_down)
        self.resize(1000, 700)
        self.show_choices()

    # -- pages ---------------------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(named(QLabel(t("How does the customer pay?")), "payPrompt"))
        grid = QGridLayout()
        grid.setSpacing(12)
        self.method_buttons: dict[tuple[str, Method], QPushButton] = {}
        order = (Method.SCAN_CODE, Method.SHOW_QR, Method.CARD_READER)
        cells = [(g, m) for g in self.gateways for m in order if m in set(g.methods)]
        for i, (gateway, method) in enumerate(cells):
            colour = GATEWAY_COLOURS.get(gateway.name, "#34495E")
            text = gateway_label(gateway.name)
            if method is not Method.CARD_READER or gateway.name not in ("stripe",):
                text = f"{text}\n{method_label(method)}"
            button = QPushButton(text)
            button.setObjectName(f"pay-{gateway.name}-{method.value}")
            button.setMinimumHeight(110)
            button.setStyleSheet(
                f"background: {colour}; color: {text_on(colour).name()}; font-size: 24px; font-weight: 800;"
                " border-radius: 10px;"
            )
            button.clicked.connect(lambda _=False, g=gateway.name, m=method: self.choose(g, m))
            grid.addWidget(button, i // 2, i % 2)
            self.method_buttons[(gateway.name, method)] = button
        layout.addLayout(grid)
        if not cells:
            none = QLabel(t("No payment gateway is set up: a manager sets one up in Shop setup → Payments."))
            none.setWordWrap(True)
            layout.addWidget(none)
        layout.addStretch(1)
        return page

    def _scan_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.scan_prompt = named(QLabel(t("Scan the customer's payment code")), "payPrompt")
        self.scan_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scan_prompt.setWordWrap(True)
        layout.addWidget(self.scan_prompt)
        self.scan_hint = named(
            QLabel(t("Point the scanner at the code on the customer's phone (WeChat or Alipay → Pay).")),
            "payHint",
        )
        self.scan_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scan_hint.setWordWrap(True)
        layout.addWidget(self.scan_hint)
        self.scan_error = named(QLabel(""), "payError")
        self.scan_error.setWordWrap(True)
        self.scan_error.hide()
        layout.addWidget(self.scan_error)
        self.camera_button = big_button(t("Use the camera"), "#34495E", min_height=72)
        self.camera_button.setObjectName("payCamera")
        self.camera_button.clicked.connect(self.start_camera)
        self.camera_button.hide()
        layout.addWidget(self.camera_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _reader_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.reader_prompt = named(QLabel(t("Which card reader?")), "payPrompt")
        self.reader_prompt.setWordWrap(True)
        layout.addWidget(self.reader_prompt)
        self.reader_hint = named(QLabel(""), "payHint")
        self.reader_hint.setWordWrap(True)
        layout.addWidget(self.reader_hint)
        self.reader_grid = QGridLayout()
        self.reader_grid.setSpacing(12)
        layout.addLayout(self.reader_grid)
        self.reader_buttons: dict[str, QPushButton] = {}
        layout.addStretch(1)
        self.readers_again = big_button(t("Check the readers again"), "#1A66D6")
        self.readers_again.setObjectName("payReadersAgain")
        self.readers_again.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.readers_again.clicked.connect(self._ask_readers)
        layout.addWidget(self.readers_again, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _wait_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        self.qr = QrCode()
        self.qr.hide()
        row.addWidget(self.qr, 1)
        column = QVBoxLayout()
        column.addStretch(1)
        self.wait_prompt = named(QLabel(t("Waiting for the customer to confirm…")), "payPrompt")
        self.wait_detail = named(QLabel(""), "payHint")
        self.countdown = named(QLabel(""), "payCountdown")
        for label in (self.wait_prompt, self.wait_detail, self.countdown):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label)
        column.addSpacing(16)
        # The big Cancel, under the countdown where the cashier is looking.
        self.cancel_button = big_button(t("Cancel payment"), STOP, min_height=96)
        self.cancel_button.setObjectName("payCancel")
        self.cancel_button.setStyleSheet(
            self.cancel_button.styleSheet() + " font-size: 28px; padding: 0 40px;"
        )
        self.cancel_button.clicked.connect(self.cancel)
        column.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        row.addLayout(column, 1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.state_label = named(QLabel(""), "payState")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.result_detail = named(QLabel(""), "payDetail")
        self.result_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_detail.setWordWrap(True)
        self.result_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_detail)
        layout.addStretch(2)
        return page

    def _buttons_for(self, stage: str) -> None:
        self.back_button.setVisible(stage in ("scan", "reader") and len(self.method_buttons) > 1)
        self.cancel_button.setVisible(stage == "wait")
        self.close_button.setVisible(stage in ("choose", "scan", "reader", "result"))
        final = self.final
        self.retry_button.setVisible(stage == "result" and self._may_retry())
        self.print_button.setVisible(stage == "result" and final is not None and final.state is PayState.PAID)
        self.close_button.setText(t("Done") if stage == "result" else t("Close"))

    def _may_retry(self) -> bool:
        final = self.final
        return final is None or final.state in (PayState.FAILED, PayState.CANCELLED)

    @property
    def stage(self) -> str:
        pages = (self.choose_page, self.scan_page, self.reader_page, self.wait_page, self.result_page)
        index = pages.index(self.pages.currentWidget()) if self.pages.currentWidget() in pages else -1
        return ("choose", "scan", "reader", "wait", "result")[index] if index >= 0 else ""

    # -- choosing --------------------------------------------------------------------------------------
    def show_choices(self) -> None:
        self.stop_camera()
        self.choice = None
        self.reader = None
        self.final = None
        self.view = None
        self._keys = ""
        self.test_badge.hide()
        self.pages.setCurrentWidget(self.choose_page)
        self._buttons_for("choose")
        if len(self.method_buttons) == 1:  # one way to pay: no choice to make
            (gateway, method), _button = next(iter(self.method_buttons.items()))
            self.choose(gateway, method)

    def choose(self, gateway: str, method: Method) -> None:
        self.choice = (gateway, method)
        info = next((g for g in self.gateways if g.name == gateway), None)
        self.test_badge.setVisible(bool(info is not None and info.test_mode))
        if method is Method.SCAN_CODE:
            self._keys = ""
            self.scan_error.hide()
            self.scan_prompt.setText(t("Scan the customer's payment code"))
            self.camera_button.setVisible(self.camera is not None)
            self.camera_button.setEnabled(True)
            self.camera_button.setText(t("Use the camera"))
            self.pages.setCurrentWidget(self.scan_page)
            self._buttons_for("scan")
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.activateWindow()
        elif method is Method.CARD_READER and self.list_readers is not None:
            self._ask_readers()
        else:
            self.start(None)

    # -- the camera ----------------------------------------------------------------------------------
    def start_camera(self) -> None:
        """The camera reads the customer's code (decoded off the GUI thread); the USB scanner still works."""
        if self.camera is None or self.stage != "scan":
            return
        if self.camera.start():
            self.camera_button.setEnabled(False)
            self.camera_button.setText(t("Hold the code up to the camera…"))

    def stop_camera(self) -> None:
        if self.camera is not None and self.camera.running:
            self.camera.stop()
        self.camera_button.setEnabled(True)
        self.camera_button.setText(t("Use the camera"))

    def _camera_code(self, code: str) -> None:
        if self.stage == "scan":
            self.stop_camera()
            self.code_scanned(code)

    def _camera_problem(self, sentence: str) -> None:
        self.stop_camera()
        if self.stage == "scan":
            self.scan_error.setText(say(sentence))
            self.scan_error.show()

    # -- the card reader -----------------------------------------------------------------------------
    def _ask_readers(self) -> None:
        """Ask the gateway for its readers' state (off the GUI thread); the reader page says so meanwhile."""
        assert self.choice is not None and self.list_readers is not None
        gateway = self.choice[0]
        self.reader = None
        self.reader_hint.setText(t("Checking the card readers…"))
        self.readers_again.setEnabled(False)
        self.pages.setCurrentWidget(self.reader_page)
        self._buttons_for("reader")
        self.reader_task = asyncio.get_running_loop().create_task(self._load_readers(gateway))

    async def _load_readers(self, gateway: str) -> None:
        assert self.list_readers is not None
        try:
            readers = list(await self.list_readers(gateway))
            problem = ""
        except (PosappError, GatewayError) as exc:
            readers, problem = [], say(str(exc))
        except Exception:
            log.exception("listing the card readers failed")
            readers, problem = [], t("The card readers could not be listed. See the log.")
        if asyncio.current_task() is not self.reader_task or self.stage != "reader":
            return  # the cashier went back meanwhile
        self.show_readers(readers, problem)

    def show_readers(self, readers: Sequence[ReaderViewLike], problem: str = "") -> None:
        """The readers with their state: one ready reader takes the amount at once; with more, the cashier
        taps one. Offline and busy readers are shown but cannot be tapped."""
        self.readers = list(readers)
        self.readers_again.setEnabled(True)
        usable = [r for r in self.readers if r.usable]
        if len(self.readers) == 1 and usable and not problem:
            self.choose_reader(usable[0])
            return
        while self.reader_grid.count():
            item = self.reader_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.reader_buttons = {}
        for i, reader in enumerate(self.readers):
            state = reader.state
            colour = READER_COLOURS.get(state, "#5D6770")
            button = QPushButton(f"{reader.label}\n{reader_state(reader)}")
            button.setObjectName(f"reader-{reader.id}")
            button.setMinimumHeight(110)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setEnabled(reader.usable)
            button.setStyleSheet(
                f"QPushButton {{ background: {colour}; color: {text_on(colour).name()}; font-size: 24px;"
                " font-weight: 800; border-radius: 10px; }"
                " QPushButton:disabled { background: #3A4047; color: #C8CDD2; }"
            )
            button.clicked.connect(lambda _=False, r=reader: self.choose_reader(r))
            self.reader_grid.addWidget(button, i // 2, i % 2)
            self.reader_buttons[reader.id] = button
        if problem:
            hint = problem
        elif not self.readers:
            hint = t("No card reader is set up: a manager adds one in Shop setup → Payments.")
        elif any(r.state == "unknown" and r.message for r in self.readers):
            hint = say(next(r.message for r in self.readers if r.state == "unknown" and r.message))
        elif not usable:
            hint = t("No card reader can take a payment now: check the readers' power and network.")
        else:
            hint = t("Tap the reader the customer pays on.")
        self.reader_prompt.setText(t("Which card reader?") if len(self.readers) > 1 else t("Card reader"))
        self.reader_hint.setText(hint)

    def choose_reader(self, reader: ReaderViewLike) -> None:
        if not reader.usable or self.choice is None:
            return
        self.reader = reader
        self.start(None)

    # -- the scanner ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if self.stage != "scan":
            if event.key() == Qt.Key.Key_Escape and self.stage == "wait":
                return  # Escape never walks away from a payment in flight: Cancel asks the gateway
            super().keyPressEvent(event)
            return
        now = self.clock()
        if now - self._last_key > SCAN_GAP_S:
            self._keys = ""  # a new burst: what came before was a stray key, not this code
        self._last_key = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.code_scanned(self._keys)
            self._keys = ""
            return
        if event.key() == Qt.Key.Key_Escape:
            self.show_choices()
            return
        text = event.text()
        if text and text.isprintable():
            self._keys += text
        event.accept()

    def code_scanned(self, code: str) -> None:
        """A scanner's burst ended with Enter: a payment code starts the payment, anything else says so."""
        code = code.strip()
        low, high = CODE_DIGITS
        if not (code.isdigit() and code.isascii() and low <= len(code) <= high):
            self.scan_error.setText(
                t(
                    "That was not a payment code. Ask the customer to open WeChat or Alipay → Pay, then scan again."
                )
            )
            self.scan_error.show()
            return
        self.scan_error.hide()
        self.start(code)

    # -- paying ---------------------------------------------------------------------------------------
    def start(self, code: str | None) -> None:
        assert self.choice is not None
        self.stop_camera()
        gateway, method = self.choice
        self.final = None
        self.view = None
        self._deadline = None
        self.qr.set_text(None)
        self.qr.setVisible(method is Method.SHOW_QR)
        if method is Method.CARD_READER:
            self.wait_prompt.setText(t("Waiting for the card on the reader…"))
        elif method is Method.SHOW_QR:
            self.wait_prompt.setText(t("Preparing the QR code…"))
        else:
            self.wait_prompt.setText(t("Waiting for the customer to confirm…"))
        self.wait_detail.setText(" · ".join(self._who(gateway)))
        self.countdown.setText("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(t("Cancel payment"))
        self.pages.setCurrentWidget(self.wait_page)
        self._buttons_for("wait")
        self.stop = CrossThreadStop()
        relay = self._relay

        def on_update(view: Any) -> None:  # on the engine's thread: hand it to the GUI's
            relay.update.emit(view)

        reader_id = self.reader.id if method is Method.CARD_READER and self.reader is not None else None
        self.task = asyncio.get_running_loop().create_task(
            self._take(gateway, method, code, reader_id, on_update, self.stop)
        )

    def _who(self, gateway: str) -> list[str]:
        """The gateway, and the card reader with the state it had when chosen."""
        who = [gateway_label(gateway)]
        if self.reader is not None and self.choice is not None and self.choice[1] is Method.CARD_READER:
            who.append(f"{self.reader.label} ({reader_state(self.reader)})")
        return who

    async def _take(
        self,
        gateway: str,
        method: Method,
        code: str | None,
        reader_id: str | None,
        on_update: Callable[[Any], None],
        stop: CrossThreadStop,
    ) -> None:
        try:
            view = await self.take(
                gateway=gateway, method=method, code=code, reader_id=reader_id, on_update=on_update, stop=stop
            )
            if asyncio.current_task() is not self.task:
                return  # an earlier attempt's late answer: the screen shows the current one
        except (PosappError, GatewayError) as exc:
            self.show_problem(say(str(exc)))
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("taking a payment failed")
            self.show_problem(t("The payment could not be started. See the log."))
            return
        self.show_final(view)

    def cancel(self) -> None:
        """The cashier's Cancel: ask the gateway to cancel; the answer (cancelled, or paid after all) shows."""
        if self.stop is not None:
            self.stop.set()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(t("Cancelling…"))

    def show_update(self, view: Any) -> None:
        """An update from the service while it waits (pending, QR drawn, reader state, seconds left)."""
        if self.final is not None or self.stage != "wait":
            return
        self.view = view
        if view.qr_url:
            self.qr.set_text(view.qr_url)
            self.qr.show()
            self.wait_prompt.setText(
                t("Ask the customer to scan this code with {app}").format(app=gateway_label(view.gateway))
            )
        elif Method(view.method) is Method.CARD_READER:
            self.wait_prompt.setText(t("Waiting for the card on the reader…"))
        elif view.state is PayState.PENDING:
            self.wait_prompt.setText(t("Waiting for the customer to confirm…"))
        detail = self._who(view.gateway)
        if view.state is PayState.UNKNOWN:
            detail.append(t("No clear answer yet — asking the gateway again"))
        elif view.message:
            detail.append(say(view.message))
        self.wait_detail.setText(" · ".join(detail))
        if view.seconds_left is not None:
            self._deadline = self.clock() + float(view.seconds_left)
            self._count_down()
            if not self._tick.isActive():
                self._tick.start()

    def _count_down(self) -> None:
        if self._deadline is None or self.stage != "wait":
            self._tick.stop()
            return
        left = max(0, math.ceil(self._deadline - self.clock()))
        self.countdown.setText(t("{n} s").format(n=left))

    def show_final(self, view: Any) -> None:
        self._tick.stop()
        self.final = view
        self.view = view
        self.stop = None
        state = PayState(view.state)
        if state is PayState.PAID:
            head, colour = t("Paid", "payment"), GO
            lines = [
                f"{view.amount.format()} · {paid_with(view)}",
                t("Transaction {id}").format(id=view.transaction_id or "—"),
            ]
        elif state is PayState.FAILED:
            head, colour = t("Declined"), STOP
            lines = [say(view.message) if view.message else t("The gateway declined the payment.")]
        elif state is PayState.CANCELLED:
            head, colour = t("Cancelled"), "#5D6770"
            lines = [t("No money was taken.")]
            if view.message:
                lines.append(say(view.message))
        else:
            head, colour = t("Not confirmed"), PAYING
            lines = [t("Do not hand over the order; posapp keeps asking the gateway.")]
            if view.message:
                lines.append(say(view.message))
        self.state_label.setText(head)
        self.state_label.setStyleSheet(f"background: {colour}; color: {text_on(colour).name()};")
        self.result_detail.setText("\n".join(lines))
        self.pages.setCurrentWidget(self.result_page)
        self._buttons_for("result")
        self.paymentFinished.emit(view)

    def show_problem(self, text: str) -> None:
        """The service refused before any gateway answer (not set up, the order is already paid, ...)."""
        self._tick.stop()
        self.stop = None
        self.final = None
        self.state_label.setText(t("Not taken"))
        self.state_label.setStyleSheet(f"background: {STOP}; color: #FFFFFF;")
        self.result_detail.setText(text)
        self.pages.setCurrentWidget(self.result_page)
        self._buttons_for("result")

    # -- closing ----------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.stage == "wait":
            return  # a payment in flight is never walked away from: Cancel asks the gateway first
        super().reject()

    def done(self, result: int) -> None:
        if self.stage == "wait" and self.task is not None and not self.task.done():
            return
        self._tick.stop()
        if self.camera is not None:
            self.camera.close()
        super().done(result)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.stage == "scan":
            self.setFocus(Qt.FocusReason.OtherFocusReason)


def payment_key(order: Any) -> str:
    """The order as the payment service names it: ``<platform>:<external_id>``."""
    return f"{order.platform}:{order.external_id}"


def refund_sentence(view: PaymentViewLike, amount: Money) -> str:
    """What the detail view says after a refund through the gateway."""
    return t("{amount} refunded through {gateway} ({refunded} of {paid} refunded in all)").format(
        amount=amount.format(),
        gateway=gateway_label(view.gateway),
        refunded=view.refunded.format(),
        paid=view.amount.format(),
    )


class GatewayRefundDialog(RefundDialog):
    """The counter's refund dialog for a payment a gateway took: up to what is left of it, back the same way."""

    def __init__(self, order: Any, view: PaymentViewLike, parent: QWidget | None = None) -> None:
        super().__init__(order, parent)
        self.view = view
        title = t("Refund through {gateway} — {order}").format(
            gateway=gateway_label(view.gateway), order=order_label(order)
        )
        self.setWindowTitle(title)
        self.heading.setText(title)
        left = (view.amount - view.refunded).decimal()
        self.amount.setRange(0, float(left))
        self.amount.setValue(float(left))
        self.result_label.setText(
            t("Paid {amount} · {method} · transaction {id}").format(
                amount=view.amount.format(), method=paid_with(view), id=view.transaction_id or "—"
            )
        )


class CounterPayments:
    """The payment service as the counter's screens call it: every call runs on the engine's loop (``run``),
    ``gateways()`` too, since it builds the gateways and reads the keyring."""

    def __init__(self, service: Any, run: Callable[[Any], Awaitable[Any]]) -> None:
        self._service = service
        self._run = run

    async def gateways(self) -> list[Any]:
        async def read() -> list[Any]:
            return list(self._service.gateways())

        return list(await self._run(read()))

    async def take(self, *args: Any, **kwargs: Any) -> Any:
        return await self._run(self._service.take(*args, **kwargs))

    async def readers(self, gateway: str) -> list[Any]:
        """The gateway's card readers with their state (``PaymentService.readers``), asked on the engine's loop."""
        return list(await self._run(self._service.readers(gateway)))

    async def cancel(self, request_id: str) -> Any:
        return await self._run(self._service.cancel(request_id))

    async def refund(self, request_id: str, amount: Money, *, user: str, reason: str) -> Any:
        return await self._run(self._service.refund(request_id, amount, user=user, reason=reason))

    async def payments_for(self, order_key: str) -> list[Any]:
        return list(await self._run(self._service.payments_for(order_key)))
