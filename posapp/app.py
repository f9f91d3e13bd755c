"""Composition root: reads settings, builds services, wires signals, owns the qasync loop."""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import gc
import logging
import os
import secrets
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from posapp.config import PrinterSettings, Settings, default_data_dir
from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import SIM_PLATFORMS, Simulator
from posapp.domain.roles import Permission
from posapp.errors import ConfigError, PosappError
from posapp.logs import SHOWN
from posapp.resources import CJK_FONT, resource
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.customers import CustomerService
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.kitchen import KitchenService
from posapp.services.manual import ManualOrderService, quick_menu_from_settings
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.services.reports import ReportOptions, ReportService
from posapp.services.upload import TokenSource, Uploader
from posapp.services.worker import FINISHED_JOBS_KEPT, JobWorker
from posapp.store.db import Database, open_database
from posapp.ui.alerts import AlertController
from posapp.ui.bridge import QtBridge
from posapp.ui.card_delegate import Lateness
from posapp.ui.controller import PrintHook, QueueController
from posapp.ui.i18n import install_language, t
from posapp.ui.main_window import MainWindow
from posapp.ui.manager.section import ManagerSection
from posapp.ui.manual_order import ManualOrderDialog
from posapp.ui.printers import PrintersDialog
from posapp.ui.queue_model import QueueModel
from posapp.ui.theme import DARK, LIGHT
from posapp.vault import get_secret

log = logging.getLogger(__name__)


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


class PosApp:
    """Everything one counter runs, built from options; ``start`` and ``stop`` are the only entry points."""

    def __init__(self, options: AppOptions) -> None:
        self.options = options
        self.settings = options.settings
        self.hub = Hub()
        self.planner = JobPlanner()
        self.db: Database | None = None
        self.simulator: Simulator | None = None
        self.channels: ChannelService | None = None
        self.workers: list[JobWorker] = []
        self.uploader: Uploader | None = None
        self.hq: object | None = None  # demo only: the local reference receiver (posapp.hq.receiver)
        self.window: MainWindow | None = None
        self.model: QueueModel | None = None
        self.bridge: QtBridge | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.closed = asyncio.Event()
        self.controller: QueueController | None = None
        self.manager: ManagerSection | None = None
        self.reports: ReportService | None = None
        self._upkeep: list[asyncio.Task[object]] = []
        self.manual_dialog: ManualOrderDialog | None = None
        self.print_hook: PrintHook | None = None
        self._replacing = False
        self._language = "en"
        self.printing: PrintService | None = None
        self.printers_dialog: PrintersDialog | None = None

    @property
    def data_dir(self) -> Path:
        if self.options.data_dir is not None:
            return self.options.data_dir
        if self.options.demo:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="posapp-demo-")
            return Path(self._tmp.name)
        return default_data_dir()

    async def _connectors(self) -> list[Connector]:
        """Demo: one connector per simulated platform with the simulator's demo credentials.
        Otherwise: the platforms in the settings, each secret read from the keyring by name."""
        if self.options.demo:
            self.simulator = Simulator(
                platforms=self.options.sim_platforms or tuple(SIM_PLATFORMS),
                rate_per_minute=self.options.sim_rate_per_minute,
            )
            await self.simulator.start()
            return [
                registry.make(
                    name, base_url=self.simulator.url_for(name), app_id=plat.app_id, secret=plat.secret
                )
                for name, plat in self.simulator.platforms.items()
            ]
        connectors: list[Connector] = []
        for p in self.settings.platforms:
            if not p.enabled:
                continue
            secret = get_secret(p.secret_ref) if p.secret_ref else None
            if p.secret_ref and secret is None:
                raise ConfigError(
                    f"No secret for {p.name}: put it in the keyring with 'posapp secret set {p.secret_ref}' "
                    f"or, for a service, in the systemd credential {p.secret_ref}."
                )
            connector = registry.make(p.name, base_url=p.base_url, app_id=p.app_id, secret=secret or "")
            for key, value in p.options.items():  # e.g. Meituan poi_code / callback_url, Ele.me shop_id
                if isinstance(getattr(connector, key, None), str):
                    setattr(connector, key, str(value))
            connector.configure(p.options, get_secret)
            connectors.append(connector)
        return connectors

    async def start(self) -> MainWindow:
        QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
        self.db = await asyncio.to_thread(open_database, self.data_dir)
        log.info("database at %s", self.db.url)
        if self.options.demo:
            await AuthService(self.db).ensure_demo_manager()  # manager PIN 1234 (README: Manager)
        self.intake = IntakeService(self.db, self.hub, self.planner)
        self.orders = OrderService(self.db, self.hub, self.planner)
        self.manual = ManualOrderService(
            self.intake,
            currency=self.settings.currency,
            tz=self.settings.tz,
            quick_menu=quick_menu_from_settings(self.settings.raw, self.settings.currency),
        )
        # Staff typed it at the counter: it goes straight to the kitchen.
        self.intake.auto_accept.add("manual")
        for p in self.settings.platforms:
            if p.auto_accept:
                self.intake.auto_accept.add(p.name)
        await self._start_upload()

        connectors = await self._connectors()
        self.channels = ChannelService(self.intake, self.hub, connectors, poll_interval=1.0)
        register(self.planner, self.channels)
        channels = self.channels
        self.kitchen = KitchenService(
            self.db, self.hub, self.intake, platforms=lambda: list(channels.connectors)
        )
        await self.kitchen.load()
        prefs: dict[str, object] = {
            "theme": self.settings.theme,
            "scale": self.settings.font_scale,
            "language": self.settings.language,
            "speak": False,
            "kiosk": self.options.kiosk,
        }
        prefs.update(await self.kitchen.ui_prefs())
        if self.options.kiosk:
            prefs["kiosk"] = True
        if self.options.language:
            prefs["language"] = self.options.language
        self._language = install_language(prefs.get("language"))  # type: ignore[arg-type]
        prefs["language"] = self._language

        self.model = QueueModel()
        self.bridge = QtBridge(self.hub)
        self.bridge.orderChanged.connect(self.model.apply_change)
        self.alerts = AlertController(
            self.model,
            accept_alarm=timedelta(minutes=self.settings.accept_alarm_minutes),
            speak=bool(prefs["speak"]),
        )
        self.model.reset_orders(await self.orders.open_orders())
        # Printing: the spooler hooks accept/cancel (same transaction) and drains print jobs off the GUI thread.
        settings = self.settings
        if self.options.demo and not settings.printers:
            # The demo prints to files in its data dir, so tickets and receipts can be inspected without hardware.
            out = self.data_dir / "printed"
            out.mkdir(exist_ok=True)
            settings = dataclasses.replace(
                settings,
                printers=(
                    PrinterSettings(
                        "kitchen", f"file:{out / 'kitchen.bin'}", role="kitchen", encoding="gb18030"
                    ),
                    PrinterSettings(
                        "counter", f"file:{out / 'counter.bin'}", role="counter", encoding="gb18030"
                    ),
                ),
            )
        self.printing = PrintService.from_settings(self.db, self.hub, settings)
        self.printing.register(self.planner)
        await self.printing.load_routes()
        printer_worker = self.printing.make_worker()
        self.workers.append(printer_worker)
        self.hub.on_order(lambda _change: printer_worker.kick())
        self.print_hook = self._print if self.printing.configs else None  # None: "No printer is set up"

        self._start_manager(prefs)
        window = self._build_ui(prefs)

        pusher = JobWorker(
            self.db,
            self.hub,
            PUSH_KIND,
            self.channels.handle_push,
            name="platform push",
            batch_size=20,
            keep_done=FINISHED_JOBS_KEPT,
        )
        self.workers.append(pusher)
        self.hub.on_order(lambda _change: pusher.kick())
        for worker in self.workers:
            worker.start()
        if self.options.listen and any(c.webhook_path for c in connectors):
            host = "127.0.0.1" if self.options.demo else self.settings.listen_host
            port = 0 if self.options.demo else self.settings.listen_port
            try:
                bound = await self.channels.start_listener(host, port)
            except OSError as exc:  # platforms could not reach us: refuse to run half-deaf
                raise listen_error(host, port, exc) from exc
            if self.simulator is not None:
                self.simulator.webhook_base = f"http://127.0.0.1:{bound}"
        self.channels.start_polling()
        quarantined = await self.intake.quarantine_count()
        if quarantined:
            self.hub.notice(
                Notice("quarantine", f"{quarantined} payloads quarantined", "warning", {"count": quarantined})
            )
        if self.simulator is not None:
            await self.simulator.emit(n=self.options.sim_prefill)
            self.simulator.start_ticking()
        # Start-up objects (Qt wrappers, SQLAlchemy mappers) leave the collector's view, so a full
        # collection during a busy upload stays short enough not to drop a frame.
        gc.freeze()
        return window

    def _build_ui(self, prefs: dict[str, object]) -> MainWindow:
        """Create (or re-create, after a language switch) the window and its controller."""
        assert self.model is not None and self.bridge is not None and self.channels is not None
        old = self.window
        palette = LIGHT if prefs.get("theme") == "light" else DARK
        scale = float(prefs.get("scale", 1.0))  # type: ignore[arg-type]
        platforms = list(self.channels.connectors)
        window = MainWindow(
            self.model,
            palette=palette,
            scale=scale,
            tz=self.settings.tz,
            store_name=self.settings.store_name,
            platforms=platforms,
        )
        window.delegate.lateness = Lateness(
            timedelta(minutes=self.settings.lateness_warn_minutes),
            timedelta(minutes=self.settings.lateness_late_minutes),
        )
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
        )
        window.new_order_button = window.add_tool(t("New order"), "#1E8E4E", self.open_manual_order)
        if self.manager is not None:
            window.manager_button = window.add_tool(t("Manager"), "#34495E", self.manager.open)
        self.bridge.notice.connect(window.on_notice)
        self.bridge.orderChanged.connect(controller.on_change)
        controller.settingsApplied.connect(self._settings_applied)
        window.closing.connect(self._window_closing)
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
        else:
            window.resize(1280, 800)
        if prefs.get("kiosk"):
            window.showFullScreen()
        else:
            window.show()
        return window

    def _start_manager(self, prefs: dict[str, object]) -> None:
        """The PIN-protected manager section (reports, audit log, customers) and its background upkeep."""
        assert self.db is not None
        options = ReportOptions.from_settings(self.settings)
        self.reports = ReportService(self.db, options)
        self.customers = CustomerService(self.db, retention_days=options.retention_days)
        printing = self.printing
        print_z = printing.print_text if printing is not None and printing.receipt_printers() else None
        self.manager = ManagerSection(
            AuthService(self.db),
            self.reports,
            AuditService(self.db),
            self.customers,
            print_z=print_z,
            lock_after_ms=options.manager_lock_seconds * 1000,
            store_name=self.settings.store_name,
            palette=LIGHT if prefs.get("theme") == "light" else DARK,
            scale=float(prefs.get("scale", 1.0)),  # type: ignore[arg-type]
        )
        self.manager.setWindowTitle(f"posapp — {t('Manager')} — {self.settings.store_name}")
        self.manager.resize(1280, 900)
        self.manager.locked.connect(self.manager.hide)
        loop = asyncio.get_running_loop()
        # Summarise closed business days and purge expired personal data, off the GUI thread.
        self._upkeep = [
            loop.create_task(self._close_business_days()),
            loop.create_task(self.customers.purge()),
        ]

    async def _refund(self, order_id: int, pin: str, amount: int, reason: str) -> str:
        """A refund marked at the counter: the PIN must belong to someone allowed to refund."""
        assert self.reports is not None and self.db is not None
        user = await AuthService(self.db).sign_in(pin, need=Permission.REFUNDS)
        await self.reports.mark_refund(order_id, amount, reason=reason or "refund", by=user.actor)
        order = await self.orders.get(order_id)
        return t("Refund of {amount} recorded on #{number} by {who}").format(
            amount=order.money(amount).format(), number=order.display_id, who=user.name
        )

    async def _close_business_days(self) -> None:
        """Day close: summarise each business day just after its cut-off (and at start-up), and re-check
        hourly for closed days whose orders changed later, so range reports only add up summaries."""
        assert self.reports is not None
        while True:
            try:
                await self.reports.close_days()
            except PosappError as exc:  # a full disk must not end the loop; the next round tries again
                log.warning("business days not summarised: %s", exc)
            until_close = (self.reports.next_close() - self.reports.clock()).total_seconds()
            await asyncio.sleep(min(3600.0, max(until_close, 0.0) + 60.0))

    async def _start_upload(self) -> None:
        """Head-office upload; the demo sends to a local reference receiver on a loopback port."""
        assert self.db is not None
        sync = self.settings.sync
        token_ref = sync.token_ref
        token_source: TokenSource = lambda: get_secret(token_ref)  # noqa: E731
        if self.options.demo:
            from posapp.hq.receiver import Receiver

            token = secrets.token_urlsafe(24)
            url = f"sqlite:///{self.data_dir / 'hq-demo.db'}"
            hq = await asyncio.to_thread(Receiver, url, token)
            await hq.start("127.0.0.1", 0)
            self.hq = hq
            store_id = sync.store_id or "demo-store"
            sync = dataclasses.replace(sync, enabled=True, endpoint=hq.url, store_id=store_id)
            token_source = lambda: token  # noqa: E731
        if not sync.configured:
            return
        uploader = Uploader.from_settings(self.db, self.hub, sync, token_source)
        uploader.register(self.planner)
        self.hub.on_order(lambda _change: uploader.kick())
        uploader.start()
        self.uploader = uploader

    def _on_intent(self, order_id: int, action: str) -> None:
        task = asyncio.get_running_loop().create_task(self._apply(order_id, action))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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

    def open_manual_order(self) -> ManualOrderDialog:
        """The counter's own order form (phone and walk-in); the order goes through normal intake."""
        assert self.window is not None
        dialog = ManualOrderDialog(
            self.manual.quick_menu,
            self.settings.currency,
            lambda draft: self.manual.create(draft, by="counter"),
            palette=LIGHT if self.settings.theme == "light" else DARK,
            parent=self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resize(1280, 760)
        dialog.open()  # not exec(): no nested event loop under qasync
        self.manual_dialog = dialog
        return dialog

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
        for task in self._upkeep:
            task.cancel()  # each cached week commits on its own: stopping half-way loses nothing
        await asyncio.gather(*self._upkeep, return_exceptions=True)
        if self.manager is not None:
            self.manager.close()
        for worker in self.workers:
            await worker.stop()
        if self.controller is not None:
            await self.controller.wait_idle()
        if self.uploader is not None:
            await self.uploader.stop()
        if self.hq is not None:
            from posapp.hq.receiver import Receiver

            assert isinstance(self.hq, Receiver)
            await self.hq.stop()
            await asyncio.to_thread(self.hq.close)
            self.hq = None
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self.channels is not None:
            await self.channels.stop()
        if self.simulator is not None:
            await self.simulator.stop()
        if self.db is not None:
            await asyncio.to_thread(self.db.close)
            self.db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def listen_error(host: str, port: int, exc: OSError) -> ConfigError:
    """The one sentence an operator needs when the webhook port cannot be bound."""
    if exc.errno == errno.EADDRINUSE:
        why = (
            "address already in use — another posapp or program holds the port; "
            "change [listener] port in config.toml or stop it."
        )
    elif exc.errno == errno.EACCES:
        why = "permission denied — ports below 1024 need privileges; change [listener] port in config.toml."
    else:
        reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
        why = f"{reason} — check [listener] host and port in config.toml."
    return ConfigError(f"cannot listen for platform pushes on {host}:{port}: {why}")


def run(options: AppOptions) -> int:
    """Run the app until the window closes (or ``quit_after`` seconds); returns the exit code."""
    import qasync

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setApplicationName("posapp")
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    app = PosApp(options)

    async def main() -> int:
        try:
            await app.start()
        except PosappError as exc:
            print(f"posapp: {exc}", file=sys.stderr)
            log.error("start-up failed: %s", exc, extra=SHOWN)
            await app.stop()
            return 1
        if options.quit_after is not None:
            QTimer.singleShot(int(options.quit_after * 1000), app.closed.set)
        if hasattr(signal, "SIGTERM"):
            try:
                loop.add_signal_handler(signal.SIGTERM, app.closed.set)
                loop.add_signal_handler(signal.SIGINT, app.closed.set)
            except (NotImplementedError, RuntimeError):
                pass
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
