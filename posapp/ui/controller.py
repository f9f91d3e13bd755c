"""Turns the window's intents into service calls on the asyncio loop, and results back into the view.

Every call runs as a task; a refused action becomes a banner, never a traceback on screen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from posapp.domain.lifecycle import Action
from posapp.domain.privacy import order_for
from posapp.domain.roles import Role
from posapp.errors import PosappError
from posapp.payments.gateway import GatewayError, Method, PayState
from posapp.services.catalogue import PlatformAnswer
from posapp.services.hub import ChangeKind, OrderChange
from posapp.services.kitchen import KitchenService
from posapp.services.orders import OrderService
from posapp.ui.alerts import AlertController
from posapp.ui.answers import answer_text, answers_level, waiting
from posapp.ui.dialogs import (
    ConfirmDialog,
    OrderDetailDialog,
    ReasonDialog,
    RecallDialog,
    SettingsDialog,
    SoldOutDialog,
)
from posapp.ui.i18n import t
from posapp.ui.main_window import MainWindow
from posapp.ui.payment import GatewayRefundDialog, PaymentDialog, payment_key, refund_sentence
from posapp.ui.refund import RefundDialog
from posapp.ui.sentences import say
from posapp.ui.theme import order_label, platform_label

log = logging.getLogger(__name__)
BUMPS = {Action.START.value: "Cooking", Action.READY.value: "Ready", Action.COMPLETE.value: "Done"}

PrintHook = Callable[[int, str], Awaitable[None]]
# (order id, PIN, amount in minor units, reason) -> the sentence to show once the refund is recorded.
RefundHook = Callable[[int, str, int, str], Awaitable[str]]
# (the payment's PaymentView, PIN, amount in minor units, reason) -> the payment's view after the refund.
GatewayRefundHook = Callable[[Any, str, int, str], Awaitable[Any]]
OWN_CHANNELS = (
    "manual",
    "own",
)  # orders the counter takes the money for (platform orders are paid on the platform)


class QueueController(QObject):
    """The glue between one MainWindow and the services. ``busy`` counts tasks still running."""

    settingsApplied = Signal(dict)
    detailOpened = Signal(object)  # an order's detail dialog, for tools that add to it (busy mode's delay)

    def __init__(
        self,
        window: MainWindow,
        *,
        orders: OrderService,
        kitchen: KitchenService,
        alerts: AlertController,
        platforms: list[str],
        user: str = "kitchen",
        viewer: Role = Role.CASHIER,
        print_hook: PrintHook | None = None,
        prefs: dict[str, Any] | None = None,
        open_printers: Callable[[], object] | None = None,
        refund_hook: RefundHook | None = None,
        answers: Callable[[str], Awaitable[list[PlatformAnswer]]] | None = None,
        payments: Any = None,
        gateway_refund_hook: GatewayRefundHook | None = None,
    ) -> None:
        super().__init__(window)
        # the payment service (services/payments.py, on the engine's loop): Take payment, refunds through it
        self.payments = payments
        self.gateway_refund_hook = gateway_refund_hook
        self.payment_dialog: PaymentDialog | None = None
        # each platform's answer to a dish's latest 86 (the menu catalogue), when known
        self.answers = answers
        self._answering: asyncio.Task[Any] | None = None
        self.window = window
        self.orders = orders
        self.kitchen = kitchen
        self.alerts = alerts
        self.platforms = platforms
        self.user = user
        # Whose view of a customer the detail shows: the cashier's (masked phone), a manager's while the
        # manager section is signed in (app.py), the kitchen's on a kitchen PC.
        self.viewer = viewer
        self.print_hook = print_hook
        self.open_printers = open_printers
        self.refund_hook = refund_hook
        self.prefs: dict[str, Any] = {
            "theme": "dark",
            "scale": 1.0,
            "language": "en",
            "speak": False,
            "kiosk": False,
        }
        self.prefs.update(prefs or {})
        self.dialog: Any = None
        self.detail: OrderDetailDialog | None = None  # stays open under the refund dialog it opened
        self.tasks: set[asyncio.Task[Any]] = set()
        w = window
        w.intent.connect(self.apply)
        w.reasonNeeded.connect(self.ask_reason)
        w.detailRequested.connect(lambda order_id: self.spawn(self.open_detail(order_id)))
        w.undoRequested.connect(lambda order_id: self.spawn(self._undo(order_id)))
        w.acceptAllRequested.connect(lambda ids: self.spawn(self.orders.accept_all(list(ids), by=self.user)))
        w.recallRequested.connect(lambda: self.spawn(self.open_recall()))
        w.soldOutRequested.connect(lambda: self.spawn(self.open_sold_out()))
        w.pauseToggled.connect(self.toggle_pause)
        w.settingsRequested.connect(self.open_settings)
        alerts.bannerRequested.connect(w.show_message)
        alerts.alarmText.connect(w.set_alarm)
        alerts.alarmChanged.connect(lambda on: None if on else w.set_alarm(None))
        w.delegate.accept_alarm = alerts.accept_alarm  # a new order's card turns red when the alarm sounds

    # -- running work ----------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(self._guard(coro))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _guard(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        except PosappError as exc:
            self.window.show_message(say(str(exc)))
        except Exception:
            log.exception("UI action failed")
            self.window.show_message(t("Something went wrong; nothing was changed. See the log."))
        return None

    async def wait_idle(self) -> None:
        if self._answering is not None:
            self._answering.cancel()
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    # -- order actions ---------------------------------------------------------------------------
    def apply(self, order_id: int, action: str, reason: str | None = None) -> None:
        # The transaction is queued now, in the click's handler; the task only awaits its answer.
        # Like every screen's command, the tap names the version its card showed: an order changed meanwhile
        # (a station screen, the platform) is refused with a message, not moved on from a state nobody saw.
        version = self._shown_version(order_id)
        begin = getattr(self.orders, "begin", None)
        pending = (
            begin(order_id, action, by=self.user, reason=reason, version=version)
            if begin is not None
            else self.orders.apply(order_id, action, by=self.user, reason=reason, version=version)
        )
        self.spawn(self._apply(order_id, action, pending))

    def _shown_version(self, order_id: int) -> int | None:
        model = self.window.model
        row = model.row_of(order_id)
        return (model.order_at(row).version or None) if row >= 0 else None

    async def _apply(self, order_id: int, action: str, pending: Awaitable[OrderChange]) -> OrderChange:
        change = await pending
        self.window.model.apply_change(change)  # at once; the engine's notice of it is then a no-op
        if action in BUMPS:
            self.window.offer_undo(order_id, f"{order_label(change.order)} → {t(BUMPS[action])}")
        return change

    async def _undo(self, order_id: int) -> None:
        change = await self.orders.undo(order_id, by=self.user)
        self.window.show_message(
            t("Undone: {order} is {status} again").format(
                order=order_label(change.order), status=t(change.order.status.value)
            ),
            "info",
        )

    def ask_reason(self, order_id: int, action: str) -> None:
        row = self.window.model.row_of(order_id)
        if row >= 0:
            which = order_label(self.window.model.order_at(row))
            title = (
                t("Why reject {order}?") if action == Action.REJECT.value else t("Why cancel {order}?")
            ).format(order=which)
        else:
            title = (
                t("Why reject this order?") if action == Action.REJECT.value else t("Why cancel this order?")
            )
        dialog = ReasonDialog(title, self.window)
        dialog.accepted.connect(lambda: self.apply(order_id, action, dialog.reason))
        self._show(dialog)

    def on_change(self, change: OrderChange) -> None:
        """Every order change: alerts decide about sounds and banners."""
        self.alerts.on_change(change)
        detail = self.detail
        if detail is not None and detail.isVisible() and detail.order.id == change.order.id:
            self.spawn(self._refresh_detail(detail))
        if change.kind is ChangeKind.CREATED and self.dialog is None and self.prefs.get("kiosk"):
            self.window.raise_()

    # -- dialogs ---------------------------------------------------------------------------------
    def _show(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.finished.connect(lambda _r: self.window.tap_guard.hold())  # its last tap must not reach a card
        dialog.open()  # never exec(): a nested event loop would stall the asyncio tasks

    async def open_detail(self, order_id: int) -> None:
        order = order_for(await self.orders.get(order_id), self.viewer)
        history = await self.orders.history(order_id)
        dialog = OrderDetailDialog(order, history, self.window.tz, self.window)
        dialog.actionChosen.connect(self._detail_action)
        dialog.undoChosen.connect(lambda oid: self.spawn(self._undo(oid)))
        dialog.reprintChosen.connect(lambda oid, kind: self.spawn(self._print(oid, kind)))
        dialog.refundChosen.connect(lambda oid: self.open_refund(dialog.order))
        dialog.paymentChosen.connect(lambda oid: self.spawn(self.open_payment(dialog.order)))
        dialog.gatewayRefundChosen.connect(
            lambda request_id: self.open_gateway_refund(dialog.order, request_id)
        )
        dialog.finished.connect(lambda _r: setattr(self, "detail", None) if self.detail is dialog else None)
        self.detail = dialog
        self.detailOpened.emit(dialog)
        self._show(dialog)
        await self._show_payments(dialog)  # its payment buttons: once the engine answers, the dialog is up

    async def _refresh_detail(self, dialog: OrderDetailDialog) -> None:
        order_id = dialog.order.id
        assert order_id is not None
        order = order_for(await self.orders.get(order_id), self.viewer)
        history = await self.orders.history(order_id)
        if dialog.isVisible():
            dialog.refresh(order, history)
            await self._show_payments(dialog)

    async def _show_payments(self, dialog: OrderDetailDialog) -> None:
        """The detail's payment buttons: Take payment for an unpaid order of our own channels when a gateway is
        set up, Refund through the gateway for each payment a gateway took."""
        if self.payments is None:
            return
        order = dialog.order
        views = await self.payments.payments_for(payment_key(order))
        paid = [v for v in views if v.state is PayState.PAID]
        can_take = (
            order.platform in OWN_CHANNELS
            and not (order.payment is not None and order.payment.paid)
            and not paid
            and any(g.configured for g in await self.payments.gateways())
        )
        dialog.show_payments(paid, can_take=can_take)

    def _tell(self, order_id: int, text: str, level: str = "info") -> None:
        """Say it in the order's open detail dialog (where the cashier looks), else on the queue's banner."""
        detail = self.detail
        if detail is not None and detail.isVisible() and detail.order.id == order_id:
            detail.show_result(text, level)
        else:
            self.window.show_message(text, level)

    def _detail_action(self, order_id: int, action: str) -> None:
        if action in (Action.REJECT.value, Action.CANCEL.value):
            self.ask_reason(order_id, action)
        else:
            self.apply(order_id, action)

    async def _print(self, order_id: int, kind: str) -> None:
        if self.print_hook is None:
            self._tell(order_id, t("No printer is set up"), "warning")
            return
        try:
            await self.print_hook(order_id, kind)
        except PosappError as exc:
            self._tell(order_id, say(str(exc)), "error")
            return
        self._tell(order_id, t("Sent to the printer"), "info")

    def open_refund(self, order: Any) -> None:
        """Cashier or manager marks a refund: their PIN says who, the amount and reason go to the audit log."""
        if self.refund_hook is None:
            self._tell(order.id, t("Refunds are recorded in the manager section"), "warning")
            return
        dialog = RefundDialog(order, self.window)
        hook = self.refund_hook

        async def submit(pin: str, amount: int, reason: str) -> None:
            try:
                sentence = await hook(order.id, pin, amount, reason)
            except PosappError as exc:
                dialog.refused(say(str(exc)))
                return
            dialog.accept()
            self._tell(order.id, sentence, "info")
            if self.detail is not None and self.detail.order.id == order.id:
                await self._refresh_detail(self.detail)

        dialog.submitted.connect(lambda pin, amount, reason: self.spawn(submit(pin, amount, reason)))
        self._show(dialog)

    async def open_payment(self, order: Any) -> PaymentDialog | None:
        """Take payment for ``order`` through a gateway: the dialog runs the service's take on the engine's loop."""
        if self.payments is None:
            self._tell(
                order.id, t("No payment gateway is set up: a manager sets one up in Shop setup → Payments.")
            )
            return None
        payments = self.payments
        key = payment_key(order)
        amount = order.money(order.totals.total)
        gateways = await payments.gateways()

        def take(
            *,
            gateway: str,
            method: Method,
            code: str | None,
            on_update: Any,
            stop: Any,
            reader_id: str | None = None,
        ) -> Any:
            return payments.take(
                key, gateway, method, amount, code, reader_id=reader_id, on_update=on_update, stop=stop
            )

        try:
            from posapp.ui.camera_scan import counter_camera  # QtMultimedia only once a payment is taken

            camera = counter_camera()
        except ImportError:  # no QtMultimedia, or no libpulse for it (the bundle leaves that to the system)
            log.warning("no camera scanning: QtMultimedia cannot be loaded", exc_info=True)
            camera = None
        parent = self.detail if self.detail is not None and self.detail.isVisible() else self.window
        dialog = PaymentDialog(
            order_label(order),
            amount,
            gateways,
            take,
            readers=payments.readers,
            camera=camera,
            palette=self.window.palette_,
            parent=parent,
        )
        dialog.paymentFinished.connect(lambda view: self.spawn(self._paid(order.id, view)))
        dialog.printRequested.connect(lambda: self.spawn(self._print(order.id, "receipt")))
        self.payment_dialog = dialog
        dialog.finished.connect(
            lambda _r: setattr(self, "payment_dialog", None) if self.payment_dialog is dialog else None
        )
        self._show(dialog)
        return dialog

    async def take_payment(self, order_id: int) -> PaymentDialog | None:
        """Take payment for the order ``order_id`` (the manual order form's "Take payment", once placed)."""
        return await self.open_payment(await self.orders.get(order_id))

    async def _paid(self, order_id: int, view: Any) -> None:
        """A payment ended: a paid one prints its receipt (method and transaction id on it); the detail refreshes."""
        if view.state is PayState.PAID and self.print_hook is not None:
            try:
                await self.print_hook(order_id, "receipt")
            except PosappError as exc:
                self._tell(order_id, say(str(exc)), "error")
        if self.detail is not None and self.detail.order.id == order_id:
            await self._refresh_detail(self.detail)

    def open_gateway_refund(self, order: Any, request_id: str) -> None:
        """Refund a gateway payment back through that gateway: cashier's or manager's PIN, amount, reason."""
        if self.gateway_refund_hook is None:
            self._tell(order.id, t("Refunds are recorded in the manager section"), "warning")
            return
        hook = self.gateway_refund_hook
        detail = self.detail
        view = next(
            (p for p in (detail.payments if detail is not None else []) if p.request_id == request_id), None
        )
        if view is None:
            return
        dialog = GatewayRefundDialog(order, view, self.window)

        async def submit(pin: str, amount: int, reason: str) -> None:
            try:
                refund = await hook(view, pin, amount, reason)
            except (PosappError, GatewayError) as exc:
                dialog.refused(say(str(exc)))
                return
            if (
                refund.refunded <= view.refunded
            ):  # the gateway did not take the refund: say why, keep the dialog
                dialog.refused(t("The gateway has not confirmed the refund: see the order's history later."))
                return
            dialog.accept()
            self._tell(order.id, refund_sentence(refund, refund.refunded - view.refunded), "info")
            if self.detail is not None and self.detail.order.id == order.id:
                await self._refresh_detail(self.detail)

        dialog.submitted.connect(lambda pin, amount, reason: self.spawn(submit(pin, amount, reason)))
        self._show(dialog)

    async def open_recall(self) -> None:
        recent = await self.orders.recently_completed()
        dialog = RecallDialog(recent, self.window.tz, self.window)
        dialog.recallChosen.connect(lambda oid: self.apply(oid, Action.RECALL.value))
        self._show(dialog)

    async def open_sold_out(self) -> None:
        menu = await self.kitchen.menu()
        self.window.set_sold_out([name for name, _c, available in menu if not available])
        dialog = SoldOutDialog(menu, self.window)
        dialog.availabilityChanged.connect(
            lambda name, available: self.spawn(self.set_available(name, available, dialog))
        )
        self._show(dialog)

    async def set_available(self, name: str, available: bool, dialog: SoldOutDialog | None = None) -> None:
        """Sold out (or back) on every platform selling it; the queue shows it, the undo bar takes it back."""
        targets = await self.kitchen.set_available(name, available, by=self.user)
        if dialog is not None:
            dialog.set_available(name, available)
            if targets and self.answers is not None:
                self._follow(self._follow_answers(name, dialog), dialog)
        menu = await self.kitchen.menu()
        self.window.set_sold_out([n for n, _c, a in menu if not a])
        if not available:
            self.window.offer_undo_action(
                t("{dish} sold out").format(dish=name),
                lambda: self.spawn(self.set_available(name, True, dialog)),
            )

    def _follow(self, coro: Coroutine[Any, Any, None], dialog: SoldOutDialog) -> None:
        """Read the platforms' answers while the dialog is open: one follower at a time, none after it closes
        (and none holding up the app's stop, unlike an action's task)."""
        if self._answering is not None:
            self._answering.cancel()
        task = asyncio.get_running_loop().create_task(self._guard(coro))
        self._answering = task
        dialog.finished.connect(lambda _r: task.cancel())

    async def _follow_answers(
        self, name: str, dialog: SoldOutDialog, every: float = 1.0, most: int = 30
    ) -> None:
        """Show in the dialog what each platform answered to the dish's push, read again while one waits."""
        assert self.answers is not None
        for _ in range(most):
            answers = await self.answers(name)
            if not dialog.isVisible():
                return
            if answers:
                dialog.show_result(
                    f"{name}\n" + "\n".join(answer_text(a) for a in answers), answers_level(answers)
                )
            if answers and not waiting(answers):
                return
            await asyncio.sleep(every)

    def toggle_pause(self, paused: bool) -> None:
        """Resume at once; pausing stops every platform, so it asks first, then offers Undo."""
        if not paused:
            self.spawn(self.kitchen.set_paused(False, by=self.user))
            return
        names = ", ".join(platform_label(p) for p in self.platforms) or t("every platform")
        dialog = ConfirmDialog(
            t("Pause the store?"),
            t("No new orders will come from {platforms} until you tap Resume.").format(platforms=names),
            t("Pause all platforms"),
            self.window,
        )
        dialog.accepted.connect(lambda: self.spawn(self._pause()))
        self._show(dialog)

    async def _pause(self) -> None:
        await self.kitchen.set_paused(True, by=self.user)
        self.window.set_paused(True)
        self.window.offer_undo_action(
            t("Store paused"), lambda: self.spawn(self.kitchen.set_paused(False, by=self.user))
        )

    def open_settings(self) -> None:
        dialog = SettingsDialog(
            platforms=self.platforms,
            auto_accept=set(self.kitchen.intake.auto_accept),
            theme=str(self.prefs["theme"]),
            scale=float(self.prefs["scale"]),
            language=str(self.prefs["language"]),
            speak=bool(self.prefs["speak"]),
            speak_available=self.alerts.speaker.available,
            kiosk=bool(self.prefs["kiosk"]),
            on_apply=lambda values: self.spawn(self.apply_settings(values)),
            on_printers=self.open_printers,
            parent=self.window,
        )
        self._show(dialog)

    async def apply_settings(self, values: dict[str, Any]) -> None:
        wanted = set(values.pop("auto_accept", set()))
        for platform in self.platforms:
            if (platform in wanted) != (platform in self.kitchen.intake.auto_accept):
                await self.kitchen.set_auto_accept(platform, platform in wanted, by=self.user)
        self.prefs.update(values)
        self.alerts.speak = bool(self.prefs["speak"])
        await self.kitchen.save_ui_prefs(self.prefs, by=self.user)
        self.settingsApplied.emit(dict(self.prefs))
