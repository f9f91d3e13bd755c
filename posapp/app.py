"""Composition root: reads settings, builds services, wires signals, owns the qasync loop."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from posapp.config import Settings, default_data_dir
from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import SIM_PLATFORMS, Simulator
from posapp.errors import ConfigError, PosappError
from posapp.resources import CJK_FONT, resource
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.worker import JobWorker
from posapp.store.db import Database, open_database
from posapp.ui.bridge import QtBridge
from posapp.ui.card_delegate import Lateness
from posapp.ui.main_window import MainWindow
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
        self.window: MainWindow | None = None
        self.model: QueueModel | None = None
        self.bridge: QtBridge | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.closed = asyncio.Event()

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
                    f"No secret for {p.name} in the keyring: run 'posapp secret set {p.secret_ref}'."
                )
            connectors.append(
                registry.make(p.name, base_url=p.base_url, app_id=p.app_id, secret=secret or "")
            )
        return connectors

    async def start(self) -> MainWindow:
        QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
        self.db = await asyncio.to_thread(open_database, self.data_dir)
        log.info("database at %s", self.db.url)
        if self.options.demo:
            from posapp.services.auth import AuthService

            await AuthService(self.db).ensure_demo_manager()  # manager PIN 1234 (README: Manager)
        self.intake = IntakeService(self.db, self.hub, self.planner)
        self.orders = OrderService(self.db, self.hub, self.planner)
        for p in self.settings.platforms:
            if p.auto_accept:
                self.intake.auto_accept.add(p.name)

        self.model = QueueModel()
        palette = LIGHT if self.settings.theme == "light" else DARK
        self.window = MainWindow(
            self.model,
            palette=palette,
            scale=self.settings.font_scale,
            tz=self.settings.tz,
            store_name=self.settings.store_name,
        )
        self.window.delegate.lateness = Lateness(
            timedelta(minutes=self.settings.lateness_warn_minutes),
            timedelta(minutes=self.settings.lateness_late_minutes),
        )
        self.bridge = QtBridge(self.hub)
        self.bridge.orderChanged.connect(self.model.apply_change)
        self.bridge.notice.connect(self.window.on_notice)
        self.window.intent.connect(self._on_intent)
        self.window.closing.connect(self.closed.set)
        self.model.reset_orders(await self.orders.open_orders())

        connectors = await self._connectors()
        self.channels = ChannelService(self.intake, self.hub, connectors, poll_interval=1.0)
        register(self.planner, self.channels)
        pusher = JobWorker(
            self.db, self.hub, PUSH_KIND, self.channels.handle_push, name="platform push", batch_size=20
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
                if self.simulator is not None:
                    self.simulator.webhook_base = f"http://127.0.0.1:{bound}"
            except OSError as exc:
                self.window.show_message(f"Cannot listen for platform pushes on port {port}: {exc.strerror}")
        self.channels.start_polling()
        if self.simulator is not None:
            await self.simulator.emit(n=self.options.sim_prefill)
            self.simulator.start_ticking()
        self.window.resize(1280, 800)
        self.window.show()
        return self.window

    def _on_intent(self, order_id: int, action: str) -> None:
        task = asyncio.get_running_loop().create_task(self._apply(order_id, action))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _apply(self, order_id: int, action: str) -> None:
        try:
            await self.orders.apply(order_id, action, by="kitchen")
        except PosappError as exc:
            if self.window is not None:
                self.window.show_message(str(exc))
        except Exception:
            log.exception("action %s on order %s failed", action, order_id)
            if self.window is not None:
                self.window.show_message("Something went wrong; the order was not changed. See the log.")

    async def stop(self) -> None:
        for worker in self.workers:
            await worker.stop()
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
            window = await app.start()
        except PosappError as exc:
            print(f"posapp: {exc}", file=sys.stderr)
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
        if options.screenshot is not None:
            window.grab().save(str(options.screenshot))
        window.hide()
        await app.stop()
        return 0

    with loop:
        return loop.run_until_complete(main())
