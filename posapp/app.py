"""Composition root of the desktop app: the order engine (``posapp.engine``) and the counter's screens on one
qasync loop. Start-up: the engine opens (database, services, printing, reports), the window subscribes and
loads the open orders, then the engine serves (workers, listener, demo simulator)."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from posapp.config import Settings
from posapp.domain.kitchen import MenuIndex
from posapp.domain.money import Money
from posapp.domain.roles import Permission, Role
from posapp.engine import Engine, EngineOptions
from posapp.engine.feed import LocalFeed
from posapp.engine.thread import EngineProxy, EngineThread, share_the_gil_finely
from posapp.errors import PosappError
from posapp.instance import AlreadyRunning
from posapp.logs import tell
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.cash import CashOptions, CashService
from posapp.services.manual import ManualDraft
from posapp.services.payouts import PayoutService
from posapp.services.privacy import PrivacyService
from posapp.services.reports import ReportOptions
from posapp.shutdown import on_stop_signals
from posapp.ui.alerts import AlertController
from posapp.ui.branding import brand
from posapp.ui.bridge import QtBridge
from posapp.ui.controller import PrintHook, QueueController
from posapp.ui.i18n import install_language, t
from posapp.ui.launch import (
    FirstPaint,
    FirstWindow,
    add_fonts,
    make_window,
    quit_on_paint_line,
    window_key,
    window_prefs,
)
from posapp.ui.main_window import MainWindow
from posapp.ui.manager.section import KitchenScreens, ManagerSection
from posapp.ui.manual_order import ManualOrderDialog
from posapp.ui.payment import CounterPayments
from posapp.ui.printers import PrintersDialog
from posapp.ui.queue_model import QueueModel
from posapp.ui.setup.screens import SetupScreens
from posapp.ui.single_instance import InstanceServer, ask_running_to_show, bring_forward
from posapp.ui.theme import DARK, LIGHT, order_label

if TYPE_CHECKING:
    from posapp.connectors.simulator import Simulator
    from posapp.hq.receiver import Receiver
    from posapp.services.channels import ChannelService
    from posapp.services.intake import IntakeService
    from posapp.services.kitchen import KitchenService
    from posapp.services.orders import OrderService
    from posapp.services.printing import PrintService
    from posapp.services.reports import ReportService
    from posapp.store.db import Database
log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class AppOptions:
    data_dir: Path | None = None
    demo: bool = False
    quit_after: float | None = None
    screenshot: Path | None = None
    settings: Settings = field(default_factory=Settings)
    sim_rate_per_minute: float = 12.0
    sim_prefill: int = 8
    sim_platforms: tuple[str, ...] = ()  # demo: which simulated platforms (default: all)
    kiosk: bool = False
    language: str | None = None
    listen: bool = True
    demo_hub: bool = False  # --demo --hub: platforms push to a local hub that relays to the engine
    settings_pinned: bool = False  # --config FILE given: the settings stored by the screens do not replace it
    engine_thread: bool = True  # the engine on its own thread and loop (False: on the GUI's loop)
    started_at: float | None = None  # time.perf_counter() when the process began (the launch figure)
    quit_on_paint: bool = False  # print the launch figure once the queue is painted, then quit

    def engine_options(self) -> EngineOptions:
        return EngineOptions(
            data_dir=self.data_dir,
            demo=self.demo,
            settings=self.settings,
            sim_rate_per_minute=self.sim_rate_per_minute,
            sim_prefill=self.sim_prefill,
            sim_platforms=self.sim_platforms,
            listen=self.listen,
            demo_hub=self.demo_hub,
            settings_pinned=self.settings_pinned,
            own_loop=self.engine_thread,
        )


class PosApp:
    """The engine and the counter's screens, built from options; ``start`` and ``stop`` are the entry points."""

    def __init__(self, options: AppOptions, first: FirstWindow | None = None) -> None:
        self.options = options
        self._first = first  # painted before the engine loaded (posapp/ui/launch.py)
        self._adopt: FirstWindow | None = None
        self.settings = options.settings
        self.engine = Engine(options.engine_options())
        self.thread = EngineThread() if options.engine_thread else None
        self.hub = self.engine.hub
        self.window: MainWindow | None = None
        self.model: QueueModel | None = None
        self.bridge: QtBridge | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.closed = asyncio.Event()
        self.first_paint: FirstPaint | None = None
        self.controller: QueueController | None = None
        self._manager: ManagerSection | None = None
        self._painted_once = asyncio.Event()
        self.manual_dialog: ManualOrderDialog | None = None
        self.print_hook: PrintHook | None = None
        self._replacing = False
        self._language = "en"
        self.printers_dialog: PrintersDialog | None = None
        self.setup_screens: SetupScreens | None = None
        self._prefs: dict[str, object] = {}
        self.feed: LocalFeed | None = None
        self._menu: MenuIndex | None = None  # the catalogue's dish ids, for All day
        self._following: asyncio.Task[None] | None = None

    # The engine's parts, as the screens (and tests) reach them.
    @property
    def db(self) -> Database | None:
        return self.engine.db

    @property
    def data_dir(self) -> Path:
        return self.engine.data_dir

    def shared(self, service: T) -> T:
        """``service`` as the window uses it: its coroutines run on the engine's loop (see engine/thread.py),
        except a service that says they may run on any loop (``ANY_LOOP``: only the database thread and
        the hub): those the window awaits directly, a tap's answer one thread hop nearer."""
        if self.thread is None or getattr(service, "ANY_LOOP", False):
            return service
        return cast(T, EngineProxy(service, self.thread))

    async def on_engine(self, coro: Coroutine[Any, Any, T]) -> T:
        return await (coro if self.thread is None else self.thread.run(coro))

    @property
    def intake(self) -> IntakeService:
        return self.shared(self.engine.intake)

    @property
    def orders(self) -> OrderService:
        return self.shared(self.engine.orders)

    @property
    def kitchen(self) -> KitchenService:
        return self.shared(self.engine.kitchen)

    @property
    def channels(self) -> ChannelService | None:
        return self.engine.channels

    @property
    def printing(self) -> PrintService | None:
        return None if self.engine.printing is None else self.shared(self.engine.printing)

    @property
    def reports(self) -> ReportService | None:
        return None if self.engine.reports is None else self.shared(self.engine.reports)

    @property
    def simulator(self) -> Simulator | None:
        demo = self.engine.demo
        return None if demo is None or demo.simulator is None else self.shared(demo.simulator)

    @property
    def payments(self) -> CounterPayments | None:
        """The payment gateways' service as the counter calls it (on the engine's loop); None when absent."""
        service = getattr(self.engine, "payments", None)
        return None if service is None else CounterPayments(service, self.on_engine)

    @property
    def hq(self) -> Receiver | None:
        return self.engine.demo.hq if self.engine.demo is not None else None

    async def start(self) -> MainWindow:
        add_fonts()
        if self.thread is not None:
            self.thread.start()
        await self.on_engine(self.engine.open())
        self.settings = self.engine.settings  # the settings stored by the setup screens, when there are some
        prefs = window_prefs(
            self.settings,
            await self.kitchen.ui_prefs(),
            kiosk=self.options.kiosk,
            language=self.options.language,
        )
        self._language = install_language(prefs.get("language"))  # type: ignore[arg-type]
        prefs["language"] = self._language
        first, self._first = self._first, None
        assert self.channels is not None
        if first is not None and first.key == window_key(
            self.settings, prefs, list(self.channels.connectors)
        ):
            self._adopt = first  # the window painted before the engine loaded is the one wanted: keep it
            log.info("the first window is kept (painted before the engine loaded)")
        elif first is not None:
            log.info("the first window is replaced: the engine's settings differ from those it was made with")
            first.window.close()
            first.window.deleteLater()

        self.model = self._adopt.model if self._adopt is not None else QueueModel()
        self.bridge = QtBridge(self.hub)
        self.bridge.orderChanged.connect(self.model.apply_change)
        assert self.db is not None
        self.feed = LocalFeed(self.db, self.hub)
        snapshot = await self.feed.snapshot()
        self.alerts = AlertController(
            self.model,
            accept_alarm=timedelta(minutes=self.settings.accept_alarm_minutes),
            speak=bool(prefs["speak"]),
        )
        # The counter is a client of the engine's change feed like every other screen (docs/screen-api.md):
        # the snapshot, then every change after its cursor, in order, none twice — in-process, the short path.
        if self._adopt is None or self._adopt.cursor != snapshot.cursor:
            self.model.reset_orders(snapshot.orders)  # (a first window's orders are this snapshot's already)
        self._following = asyncio.get_running_loop().create_task(
            self.bridge.follow(self.feed.changes(snapshot.cursor))
        )
        printing = self.printing
        self.print_hook = (
            self._print if printing is not None and printing.configs else None
        )  # None: no printer

        self._prefs = prefs
        self._start_setup(prefs)
        window = self._build_ui(prefs)
        await self._until_painted()
        await self.on_engine(self.engine.serve())
        if (
            not self.options.demo
            and self.setup_screens is not None
            and await self.setup_screens.needs_setup()
        ):
            self.setup_screens.open_wizard()  # no store configured: the owner sets it up from the screens
        self._load_menu()
        # Start-up objects (Qt wrappers, SQLAlchemy mappers) leave the collector's view, so a full
        # collection during a busy upload stays short enough not to drop a frame. Only in the shop's own
        # process (engine/gcpace.py): a process that merely hosts apps, such as the test suite, keeps its own
        # collector policy.
        from posapp.engine import gcpace

        if gcpace.enabled():
            gc.freeze()
        return window

    def _build_ui(self, prefs: dict[str, object]) -> MainWindow:
        """Create (or re-create, after a language switch) the window and its controller."""
        assert self.model is not None and self.bridge is not None and self.channels is not None
        old = self.window
        platforms = list(self.channels.connectors)
        adopted, self._adopt = self._adopt, None
        window = (
            adopted.window
            if adopted is not None
            else make_window(self.model, self.settings, prefs, platforms)
        )
        self._count_down_auto_cancel(window)
        controller = QueueController(
            window,
            orders=self.orders,
            kitchen=self.kitchen,
            alerts=self.alerts,
            platforms=platforms,
            prefs=dict(prefs),
            print_hook=self.print_hook,
            open_printers=self.open_printers if self.printing is not None else None,
            refund_hook=self._refund if self.reports is not None else None,
            answers=None if self.engine.catalogue is None else self.shared(self.engine.catalogue).answers,
            payments=self.payments,
            gateway_refund_hook=self._gateway_refund if self.payments is not None else None,
        )
        window.new_order_button = window.add_tool(t("New order"), "#1E8E4E", self.open_manual_order)
        if self.reports is not None:
            window.manager_button = window.add_tool(t("Manager"), "#34495E", self._open_manager)
        window.setup_button = window.add_tool(t("Shop setup"), "#5D6770", self.open_settings)
        self.bridge.notice.connect(window.on_notice)
        self._add_busy_mode(window, controller)
        self.bridge.orderChanged.connect(controller.on_change)
        controller.settingsApplied.connect(self._settings_applied)
        window.closing.connect(self._window_closing)
        window.allDayOpened.connect(self._load_menu)
        window.set_menu(self._menu)
        printers_key = QShortcut(QKeySequence("Ctrl+P"), window)
        printers_key.activated.connect(self.open_printers)
        self.window, self.controller = window, controller
        if old is not None:
            self.bridge.notice.disconnect(old.on_notice)
            window.setGeometry(old.geometry())
            self._replacing = True
            old.close()
            old.deleteLater()
            self._replacing = False
        elif adopted is not None:
            window.set_status("engine", "")
            self.first_paint = adopted.paint
            if adopted.painted:
                self._painted_once.set()
                if self.options.quit_on_paint:
                    self.closed.set()  # its figure was printed at the paint
            else:
                adopted.paint.then = self._painted
        else:
            window.resize(1280, 800)
            # Before show(): the first paint comes while start-up still awaits the engine's serve().
            self.first_paint = FirstPaint(window.view.viewport(), self.options.started_at, self._painted)
        if prefs.get("kiosk"):
            window.showFullScreen()
        else:
            window.show()
        return window

    async def _until_painted(self, timeout: float = 1.0) -> None:
        """Let the queue paint before the engine starts serving: its listener, screen API and workers load
        aiohttp, httpx and the printers' code (a quarter of the start-up CPU), which would otherwise share
        the interpreter with the first paint. The offscreen platform (tests, screenshots) never paints on
        its own, and an empty queue shows its placeholder instead: no wait there."""
        if QGuiApplication.platformName() == "offscreen" or self._painted_once.is_set():
            return
        if self.model is None or self.model.rowCount() == 0:
            return  # no cards: the queue's view stays hidden behind "No open orders" and never paints
        try:
            await asyncio.wait_for(self._painted_once.wait(), timeout)
        except TimeoutError:
            log.info("no first paint within %.1f s: the engine serves anyway", timeout)

    @property
    def manager(self) -> ManagerSection | None:
        """The manager section, made when first wanted (not before the queue is on screen)."""
        if self._manager is None and self.reports is not None and self.db is not None:
            self._start_manager(self._prefs)
        return self._manager

    def _painted(self, seconds: float) -> None:
        self._painted_once.set()
        if self.options.quit_on_paint:  # a launch measurement or smoke run: the figure, then quit
            quit_on_paint_line(seconds)
            self.closed.set()

    def _open_manager(self) -> None:
        if self.manager is not None:
            self.manager.open()

    def _start_manager(self, prefs: dict[str, object]) -> None:
        """The PIN-protected manager section: reports, audit log, customers (the engine keeps them current) and
        the kitchen screens' pairing codes."""
        assert self.db is not None and self.reports is not None
        options = ReportOptions.from_settings(self.settings)
        printing = self.printing
        print_z = printing.print_text if printing is not None and printing.receipt_printers() else None
        kitchen_screens = None
        engine_api = self.engine.screens
        if engine_api is not None:
            api = self.shared(engine_api)
            host = "127.0.0.1" if self.options.demo else self.settings.screens_host  # as the engine serves it
            kitchen_screens = KitchenScreens(
                api.new_code, api.screens, api.revoke, lambda: (host, engine_api.port)
            )
        self._manager = ManagerSection(
            AuthService(self.db),
            self.reports,
            AuditService(self.db),
            self.shared(self.engine.customers),
            screens=kitchen_screens,
            cash=self._cash_service(),
            print_z=print_z,
            lock_after_ms=options.manager_lock_seconds * 1000,
            store_name=self.settings.store_name,
            payouts=PayoutService(self.db, self.reports),
            payout_fetch=self.shared(self.engine.payout_fetch)
            if self.engine.payout_fetch is not None
            else None,
            offers=self.shared(self.engine.offers) if self.engine.offers is not None else None,
            privacy=PrivacyService(self.db, AuthService(self.db)),
            palette=LIGHT if prefs.get("theme") == "light" else DARK,
            scale=float(prefs.get("scale", 1.0)),  # type: ignore[arg-type]
        )
        self._manager.setWindowTitle(f"posapp — {t('Manager')} — {self.settings.store_name}")
        self._manager.resize(1280, 900)
        self._manager.locked.connect(self._manager.hide)
        # While a manager is signed in, the detail view shows the customer as the platform gave them.
        self._manager.unlocked.connect(lambda _user: self._set_viewer(Role.MANAGER))
        self._manager.locked.connect(lambda: self._set_viewer(Role.CASHIER))

    def _set_viewer(self, role: Role) -> None:
        if self.controller is not None:
            self.controller.viewer = role

    def _cash_service(self) -> CashService | None:
        """The drawer's cash-up for the manager's Cash tab; Open drawer kicks through the engine's spooler."""
        reports = self.engine.reports
        if reports is None or self.db is None:
            return None
        printing = self.printing
        opener = printing.open_drawer if printing is not None else None  # no drawer printer: it says so
        return CashService(
            AuthService(self.db),
            reports.period,
            reports.today,
            CashOptions.from_settings(self.settings),
            open_drawer=opener,
        )

    async def _refund(self, order_id: int, pin: str, amount: int, reason: str) -> str:
        """A refund marked at the counter: the PIN must belong to someone allowed to refund."""
        assert self.reports is not None and self.db is not None
        user = await AuthService(self.db).sign_in(pin, need=Permission.REFUNDS)
        await self.reports.mark_refund(order_id, amount, reason=reason or "refund", by=user.actor)
        order = await self.orders.get(order_id)
        return t("Refund of {amount} recorded on {order} by {who}").format(
            amount=order.money(amount).format(), order=order_label(order), who=user.name
        )

    async def _gateway_refund(self, payment: Any, pin: str, amount: int, reason: str) -> Any:
        """A refund back through the gateway that took ``payment`` (its PaymentView): the PIN must belong to
        someone allowed to refund; the service audits who and why."""
        payments = self.payments
        assert payments is not None and self.db is not None
        user = await AuthService(self.db).sign_in(pin, need=Permission.REFUNDS)
        money = Money(amount, payment.amount.currency)
        return await payments.refund(payment.request_id, money, user=user.actor, reason=reason or "refund")

    async def _print(self, order_id: int, kind: str) -> None:
        """The detail view's Reprint ticket / Print receipt: queued, audited, marked REPRINT when it is one."""
        assert self.printing is not None
        if kind == "receipt":
            await self.printing.print_receipt(order_id, by="kitchen")
        else:
            await self.printing.reprint(order_id, kind, by="kitchen")

    def open_printers(self) -> PrintersDialog:
        """Settings → Printers: state of each printer, Test print with preview."""
        assert self.printing is not None and self.bridge is not None
        if self.printers_dialog is None:
            self.printers_dialog = PrintersDialog(self.printing, self.window)
            self.bridge.notice.connect(self.printers_dialog.on_notice)
        self.printers_dialog.show()
        return self.printers_dialog

    def _start_setup(self, prefs: dict[str, object]) -> None:
        """The first-run wizard, Settings behind the manager PIN, and the strip's backup line."""
        assert self.db is not None and self.bridge is not None
        self.setup_screens = SetupScreens(
            self.shared(self.engine.setup),
            AuthService(self.db),
            backups=None if self.engine.backups is None else self.shared(self.engine.backups),
            catalogue=None if self.engine.catalogue is None else self.shared(self.engine.catalogue),
            window=lambda: self.window,
            refresh=self._setup_changed,
            language=lambda: self._language,
            palette=LIGHT if prefs.get("theme") == "light" else DARK,
            scale=float(prefs.get("scale", 1.0)),  # type: ignore[arg-type]
        )
        self.bridge.notice.connect(self.setup_screens.on_notice)

    def open_settings(self) -> None:
        if self.setup_screens is not None:
            self.setup_screens.open_settings()

    def _setup_changed(self) -> None:
        """After the wizard or Settings: the window shows the new store name, platforms, printers, language."""
        self.settings = self.engine.settings
        printing = self.printing
        self.print_hook = self._print if printing is not None and printing.configs else None
        if self.settings.language:
            self._prefs["language"] = self.settings.language
        self._language = install_language(str(self._prefs.get("language") or "") or None)
        if self._manager is not None:  # made before: the new lock time and store name, signed-in user kept
            lock_seconds = ReportOptions.from_settings(self.settings).manager_lock_seconds
            self._manager.set_lock_after(lock_seconds * 1000)
            self._manager.configure_cash(CashOptions.from_settings(self.settings))
            self._manager.setWindowTitle(f"posapp — {t('Manager')} — {self.settings.store_name}")
        self._build_ui(self._prefs)

    def _count_down_auto_cancel(self, window: MainWindow) -> None:
        """Each platform's auto-cancel window: the NEW cards count it down, the accept alarm sounds near it."""
        from posapp.domain.autocancel import windows

        cancel = windows({p.name: p.auto_cancel_minutes for p in self.settings.platforms})
        window.delegate.set_auto_cancel(cancel)
        if self.alerts is not None:
            self.alerts.auto_cancel = cancel

    def _add_busy_mode(self, window: MainWindow, controller: QueueController) -> None:
        """The Busy button, its dialog and each order's "Needs 10 more min" (posapp/ui/busy.py)."""
        if self.engine.busy is None or self.bridge is None:
            return
        from posapp.ui.busy import BusyControl

        busy = BusyControl(
            window, self.shared(self.engine.busy), controller.spawn, user=lambda: controller.user
        )
        self.bridge.notice.connect(busy.on_notice)
        controller.detailOpened.connect(busy.add_to_detail)
        self.busy_control = busy
        busy.busy.publish()  # the state the engine restored, on the strip from the first paint

    def open_manual_order(self) -> ManualOrderDialog:
        """The counter's own order form (phone and walk-in); the order goes through normal intake."""
        assert self.window is not None
        manual = self.shared(self.engine.manual)

        async def place(draft: ManualDraft) -> object:
            result = await manual.create(draft, by="counter")
            if (
                pay_after and self.controller is not None
            ):  # "Take payment": the dialog for the order just placed
                self.controller.spawn(self.controller.take_payment(result.order_id))
            return result

        pay_after = False

        def submit(draft: ManualDraft) -> Awaitable[object]:
            nonlocal pay_after
            pay_after = dialog.pays_after_placing()
            return place(draft)

        dialog = ManualOrderDialog(
            self.engine.manual.quick_menu,
            self.settings.currency,
            submit,
            check_code=manual.check_code,  # an offer code's discount, shown before the order is placed
            palette=LIGHT if self.settings.theme == "light" else DARK,
            parent=self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        payments = self.payments
        if payments is not None:
            self._offer_payment(dialog, payments)
        dialog.resize(1280, 760)
        dialog.open()  # not exec(): no nested event loop under qasync
        self.manual_dialog = dialog
        return dialog

    def _offer_payment(self, dialog: ManualOrderDialog, payments: CounterPayments) -> None:
        """The form's "Take payment" choice appears once a configured gateway is known (read off the GUI)."""

        async def check() -> None:
            gateways = await payments.gateways()
            if isValid(dialog) and any(g.configured for g in gateways):
                dialog.offer_take_payment(True)

        task = asyncio.get_running_loop().create_task(check())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _load_menu(self) -> None:
        """Read the menu catalogue's dish ids for All day (in the background; the window shows them when read)."""
        catalogue = self.engine.catalogue
        if catalogue is None:
            return
        shared = self.shared(catalogue)

        async def load() -> None:
            self._menu = await shared.menu_index()
            if self.window is not None:
                self.window.set_menu(self._menu)

        task = asyncio.get_running_loop().create_task(load())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _window_closing(self) -> None:
        if not self._replacing:
            self.closed.set()

    def _settings_applied(self, prefs: dict[str, object]) -> None:
        assert self.window is not None
        language = install_language(str(prefs.get("language")))
        if language != self._language:
            self._language = language
            self._build_ui(prefs)
            return
        scale = float(prefs.get("scale", 1.0))  # type: ignore[arg-type]
        self.window.apply_theme(LIGHT if prefs.get("theme") == "light" else DARK, scale)
        if prefs.get("kiosk"):
            self.window.showFullScreen()
        else:
            self.window.showNormal()

    async def stop(self) -> None:
        await self.on_engine(self.engine.stop_upkeep())
        if self._manager is not None:
            self._manager.close()
        await self.on_engine(self.engine.stop_workers())
        if self.controller is not None:
            await self.controller.wait_idle()
        if self._following is not None:
            self._following.cancel()
            await asyncio.gather(self._following, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.on_engine(self.engine.close())
        if self.thread is not None:
            await asyncio.to_thread(self.thread.stop)


async def show_start_failure(
    sentence: str, language: str | None, *, close_after: float | None = None
) -> None:
    """A start from the desktop icon has no terminal to read: a start-up failure (the data key missing on a new
    machine, a full disk, a port taken) is also said in a window, in the screen's language, until closed (or
    ``close_after`` seconds, for scripted starts)."""
    from PySide6.QtWidgets import QMessageBox

    from posapp.ui.sentences import say

    install_language(language)
    box = QMessageBox(QMessageBox.Icon.Critical, "posapp", say(sentence))
    box.setInformativeText(t("posapp could not start. Nothing was changed; the log file has the details."))
    box.addButton(t("Close"), QMessageBox.ButtonRole.RejectRole)  # ours: Qt's own words are not shipped
    box.setStyleSheet(
        "QLabel { font-size: 20px; } QPushButton { font-size: 20px; min-height: 56px; min-width: 160px; }"
    )
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def closed(_result: int) -> None:
        if not done.done():
            done.set_result(None)

    box.finished.connect(closed)
    box.open()  # not exec(): no nested event loop under qasync
    if close_after is not None:
        QTimer.singleShot(int(close_after * 1000), box.close)
    await done


def run(options: AppOptions, first: FirstWindow | None = None) -> int:
    """Run the app until the window closes (or ``quit_after`` seconds); returns the exit code."""
    import qasync

    share_the_gil_finely()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    brand()
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    app = PosApp(options, first)

    async def main() -> int:
        try:
            await app.start()
        except AlreadyRunning as exc:  # one engine per data folder: show the running one's window instead
            shown = ask_running_to_show(exc.data_dir)
            tell("posapp", f"{exc} Its window was brought forward." if shown else exc)
            await app.stop()
            return 0 if shown else 1
        except PosappError as exc:
            tell("posapp", exc, why="start-up failed: ")
            await app.stop()
            if QGuiApplication.platformName() not in ("offscreen", "minimal"):
                await show_start_failure(str(exc), options.language, close_after=options.quit_after)
            return 1
        assert app.window is not None
        instance = InstanceServer(app.data_dir, qapp)
        instance.showRequested.connect(lambda: bring_forward(app.window))
        if options.quit_after is not None:
            QTimer.singleShot(int(options.quit_after * 1000), app.closed.set)
        on_stop_signals(app.closed.set)
        await app.closed.wait()
        window = app.window
        assert window is not None
        if options.screenshot is not None:
            window.grab().save(str(options.screenshot))
        window.hide()
        await app.stop()
        return 0

    with loop:
        return loop.run_until_complete(main())
