"""The order engine: database, intake, connectors and listener, workers, upload and day close — no Qt.

Start-up reads as a list, in two phases so a screen can subscribe between them and miss nothing:

``open()``
    1. the database (migrations applied), the demo manager in demo mode;
    2. the order services (intake, order commands, manual orders, auto-accept);
    3. the head-office upload;
    4. the connectors, the channels (listener and polling, not started yet) and the kitchen settings;
    5. printing (routes, spooler), reports (day close, personal-data purge, started here) and payments;

``serve()``
    6. the job workers (print, platform push);
    7. the webhook listener (a port that cannot be bound ends start-up with one sentence) and polling;
    8. the payments' recovery (each payment a crash or a dead network left unanswered is asked about again,
       then every minute), the quarantine count, and in demo mode the simulator's first orders and its ticking.

``stop()`` undoes them in reverse. The engine runs headless (``posapp engine``) or inside the desktop app.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posapp.config import PlatformSettings, Settings, SyncSettings, default_data_dir, settings_from_document
from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.engine import gcpace
from posapp.engine.gcpace import GcPacer
from posapp.engine.screen_api import ScreenApi
from posapp.errors import ConfigError, PosappError
from posapp.instance import InstanceLock
from posapp.services.auth import AuthService
from posapp.services.backup import BackupPlan, BackupService
from posapp.services.catalogue import CatalogueService
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.customers import CustomerService
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.kitchen import KitchenService
from posapp.services.manual import ManualOrderService, quick_menu_from_settings
from posapp.services.offers import OfferService
from posapp.services.orders import OrderService
from posapp.services.payments import PaymentService, gateway_settings
from posapp.services.payout_fetch import PayoutFetch
from posapp.services.payouts import PayoutService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.services.reports import ReportOptions, ReportService
from posapp.services.setup import SetupService, load_document
from posapp.services.upload import TokenSource, Uploader
from posapp.services.worker import FINISHED_JOBS_KEPT, JobWorker
from posapp.store.db import Database, open_database
from posapp.store.sealing import demo_folder_keys, ephemeral_keys
from posapp.vault import get_secret

if TYPE_CHECKING:  # the simulator is imported only in demo mode
    from posapp.engine.demo import Demo
    from posapp.services.busy import BusyService
    from posapp.services.recovery import MissedOrders
    from posapp.services.relay import RelayClient

log = logging.getLogger(__name__)

# After a kick, the print, push and upload workers wait this long before they claim: the screen that caused the change
# gets the CPU first (the engine thread and the GUI share one interpreter). Measured: tap -> repainted median
# 76-93 ms without it, 46-61 ms with it (benchmarks/bench_queue.py); a ticket 30 ms later is not noticed.
SETTLE = 0.03
SETTINGS_LOOK_S = 2.0  # how often the engine looks for settings another program stored (config import)


@dataclass
class EngineOptions:
    data_dir: Path | None = None
    demo: bool = False
    settings: Settings = field(default_factory=Settings)
    sim_rate_per_minute: float = 12.0
    sim_prefill: int = 8
    sim_platforms: tuple[str, ...] = ()  # demo: which simulated platforms (default: all)
    listen: bool = True
    demo_hub: bool = False  # demo: the platforms push to a local hub, which relays to this engine
    settings_pinned: bool = False  # True: --config FILE given, the stored settings do not replace it
    # True where the engine's loop is its own (a thread of its own in the app, ``posapp engine``): intake's
    # group transactions may then run on it, not on the database thread (Database.write_inline_on). Never
    # for an engine on a GUI's loop, which would wait for them.
    own_loop: bool = False


class Engine:
    """Everything that takes, stores, prints and pushes orders; screens only read it and send it commands."""

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.settings = options.settings
        self.hub = Hub()
        self.planner = JobPlanner()
        self.db: Database | None = None
        self.demo: Demo | None = None
        self.channels: ChannelService | None = None
        self.printing: PrintService | None = None
        self.reports: ReportService | None = None
        self.workers: list[JobWorker] = []
        self.gc_pacer = GcPacer()  # short full collections while serving (engine/gcpace.py)
        self.uploader: Uploader | None = None
        self.screens: ScreenApi | None = None
        self.catalogue: CatalogueService | None = None  # the menu catalogue: Settings → Menu
        self.relay: RelayClient | None = None  # the hub's relay feed, when paired with head office
        self.missed: MissedOrders | None = None  # asks the platforms for orders missed while we were down
        self.busy: BusyService | None = None  # busy mode: extra prep minutes for the platforms
        self.payments: PaymentService | None = None  # payment gateways at the counter ([payments])
        self.offers: OfferService | None = None  # bounce-back offers: own-channel receipts and codes
        self._screens_at: tuple[str, int] | None = None  # the screen API's address as the settings give it
        self._upkeep: list[asyncio.Task[object]] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._lock: InstanceLock | None = None
        self.backups: BackupService | None = None
        self.payout_fetch: PayoutFetch | None = None  # statements fetched by API (Uber Eats reports)

    @property
    def data_dir(self) -> Path:
        if self.options.data_dir is not None:
            return self.options.data_dir
        if self.options.demo:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="posapp-demo-")
            return Path(self._tmp.name)
        return default_data_dir()

    # -- phase one: everything built, nothing taking orders yet ------------------------------------
    async def open(self) -> None:
        self._lock = InstanceLock.acquire(self.data_dir)  # one engine per data folder: AlreadyRunning
        # A demo never touches the shop's keyring: in a throwaway folder it seals under a throwaway key, in a
        # folder of its own (--demo --data-dir) under a key kept there (its orders are made up).
        keys = None
        if self.options.demo:
            given = self.options.data_dir
            keys = ephemeral_keys() if given is None else demo_folder_keys(given)
        self.db = await asyncio.to_thread(lambda: open_database(self.data_dir, keys=keys))
        log.info("database at %s", self.db.url)
        if self.options.own_loop:
            self.db.write_inline_on(asyncio.get_running_loop())
        await self._stored_settings(self.db)
        if self.options.demo:
            from posapp.engine.demo import Demo

            self.demo = Demo(self)
            await AuthService(self.db).ensure_demo_manager()  # manager PIN 1234 (README: Manager)
        self._build_order_services(self.db)
        await self._start_upload(self.db)
        connectors = await self._connectors()
        self.channels = ChannelService(self.intake, self.hub, connectors, poll_interval=1.0)
        register(self.planner, self.channels)
        channels = self.channels
        self.kitchen = KitchenService(
            self.db, self.hub, self.intake, platforms=lambda: list(channels.connectors)
        )
        await self.kitchen.load()
        await self._start_busy(self.db, channels)
        await self._start_printing(self.db)
        self.catalogue = self._catalogue(self.kitchen, channels)
        self._start_reports(self.db)
        assert self.reports is not None
        # Statements fetched by API: the platform's report webhook comes to this listener (payout_fetch.py).
        self.payout_fetch = PayoutFetch(PayoutService(self.db, self.reports), client=lambda: channels.client)
        self.payout_fetch.connectors = lambda: channels.connectors
        channels.report_sink = self.payout_fetch.take_notice
        self._build_payments(self.db)
        router = self.printing.router if self.printing is not None else None
        self.screens = ScreenApi(
            self.db,
            self.hub,
            self.orders,
            station=router.station if router is not None else None,
            store_name=lambda: self.settings.store_name,
        )
        self.setup = SetupService(
            self.db,
            current=lambda: self.settings,
            apply=self.reconfigure,
            listen_port=lambda: channels.listen_port,
            data_dir=self.data_dir,
        )

    async def _stored_settings(self, db: Database) -> None:
        """The settings the setup screens keep in the database win over a config file found by default;
        ``--config FILE`` (a scripted roll-out) wins over both."""
        if self.options.settings_pinned:
            return
        doc = await db.run(load_document)
        if doc is not None:
            self.settings = self.options.settings = settings_from_document(doc, source="the stored settings")

    def _build_order_services(self, db: Database) -> None:
        self.intake = IntakeService(db, self.hub, self.planner)
        self.offers = OfferService(db)
        self.intake.offers = self.offers  # a code on a counter or website order is used at intake
        self.orders = OrderService(db, self.hub, self.planner)
        self.manual = ManualOrderService(
            self.intake,
            currency=self.settings.currency,
            tz=self.settings.tz,
            day_starts_at=ReportOptions.from_settings(self.settings).cutoff,  # M-numbers restart with the day
            quick_menu=quick_menu_from_settings(self.settings.raw, self.settings.currency),
        )
        # Staff typed it at the counter: it goes straight to the kitchen.
        self.intake.auto_accept.add("manual")
        for p in self.settings.platforms:
            if p.auto_accept:
                self.intake.auto_accept.add(p.name)

    async def _connectors(self) -> list[Connector]:
        """Demo: one connector per simulated platform with the simulator's demo credentials.
        Otherwise: the platforms in the settings, each secret read by name (systemd credentials, keyring)."""
        if self.demo is not None:
            return await self.demo.connectors()
        return [connector_for(p) for p in self.settings.platforms if p.enabled]

    async def _start_upload(self, db: Database) -> None:
        """Head-office upload; the demo sends to a local reference receiver on a loopback port."""
        sync = self.settings.sync
        token_source = upload_token(sync)
        if self.demo is not None:
            sync, token_source = await self.demo.head_office(sync)
        if sync.configured:
            self._upload(db, sync, token_source)

    def _upload(self, db: Database, sync: SyncSettings, token_source: TokenSource) -> None:
        uploader = Uploader.from_settings(db, self.hub, sync, token_source)
        uploader.worker.settle = SETTLE
        uploader.register(self.planner)
        self.hub.on_order(lambda _change: uploader.kick())
        uploader.start()
        self.uploader = uploader

    async def _resync(self, settings: Settings) -> None:
        """New [sync] settings: the running uploader takes them, or one starts when sync was not set up
        before. The demo keeps its own head office."""
        if self.demo is not None or self.db is None:
            return
        if self.uploader is not None:
            await self.uploader.configure(settings.sync, upload_token(settings.sync))
        elif settings.sync.configured:
            self._upload(self.db, settings.sync, upload_token(settings.sync))

    def _catalogue(self, kitchen: KitchenService, channels: ChannelService) -> CatalogueService:
        """The menu catalogue's use cases; a dish edited or imported re-reads the print routes."""
        assert self.db is not None
        printing = self.printing
        return CatalogueService(
            self.db,
            kitchen,
            connectors=lambda: channels.connectors,
            client=lambda: channels.client,
            reload_routes=printing.load_routes if printing is not None else None,
        )

    def _build_payments(self, db: Database) -> None:
        """Payment gateways ([payments] in the settings; keys in the keyring as payments.<gateway>.<key>).
        Gateways are built on first use; the recovery of unresolved payments starts with ``serve``."""
        self.payments = PaymentService(
            db,
            self.hub,
            self.planner,
            gateways=gateway_settings(self.settings.raw),
            store_name=lambda: self.settings.store_name,
        )

    async def _start_printing(self, db: Database) -> None:
        """The spooler hooks accept/cancel (same transaction) and drains print jobs off the GUI thread."""
        settings = self.demo.printer_settings() if self.demo is not None else self.settings
        self.printing = PrintService.from_settings(db, self.hub, settings)
        self.printing.register(self.planner)
        self.printing.offers = self.offers  # own-channel receipts carry the chosen segments' offer
        await self.printing.load_routes()
        printer_worker = self.printing.make_worker(settle=SETTLE)
        self.workers.append(printer_worker)
        self.hub.on_order(lambda _change: printer_worker.kick())

    def _start_reports(self, db: Database) -> None:
        """Reports and customers, and their upkeep: day close and the purge of expired personal data."""
        options = ReportOptions.from_settings(self.settings)
        self.reports = ReportService(db, options)
        self.customers = CustomerService(db, retention_days=options.retention_days)
        loop = asyncio.get_running_loop()
        self.backups = BackupService(
            db,
            self.hub,
            self.data_dir,
            BackupPlan.from_document(self.settings.raw.get("backup", {})),
            tz=self.settings.tz,
        )
        self._upkeep = [
            loop.create_task(self._close_business_days(self.reports)),
            loop.create_task(self.customers.purge()),
            loop.create_task(self.backups.nightly()),
        ]
        if not self.options.settings_pinned and self.demo is None:
            self._upkeep.append(loop.create_task(self._follow_stored_settings(db)))

    async def _follow_stored_settings(self, db: Database, every: float = SETTINGS_LOOK_S) -> None:
        """Settings stored by another process (``posapp config import`` while the app runs) are applied
        live, as a save from the Settings screens is: the stored document is read every few seconds and
        applied when it differs from the one in use. A document that does not apply (its platform's secret
        missing) is logged and tried again when it changes."""
        tried: dict[str, Any] | None = self.settings.raw
        while True:
            await asyncio.sleep(every)
            try:
                doc = await db.run(load_document, background=True)
            except PosappError as exc:
                log.warning("stored settings not read: %s", exc)
                continue
            if doc is None or doc == tried or doc == self.settings.raw:
                continue
            tried = doc
            try:
                settings = settings_from_document(doc, source="the stored settings")
                await self.reconfigure(settings)
            except PosappError as exc:
                log.error("stored settings changed but were not applied: %s", exc)
                continue
            log.info("stored settings changed by another program: applied")

    async def _close_business_days(self, reports: ReportService) -> None:
        """Day close: summarise each business day just after its cut-off (and at start-up), and re-check
        hourly for closed days whose orders changed later, so range reports only add up summaries. Once a
        business day, the payout fetch requests closed over 60 days ago are dropped (services/payout_fetch)."""
        pruned_for: date | None = None
        while True:
            try:
                await reports.close_days()
            except PosappError as exc:  # a full disk must not end the loop; the next round tries again
                log.warning("business days not summarised: %s", exc)
            if self.payout_fetch is not None and pruned_for != reports.today():
                try:
                    await self.payout_fetch.prune()
                    pruned_for = reports.today()
                except PosappError as exc:
                    log.warning("payout fetch requests not pruned: %s", exc)
            until_close = (reports.next_close() - reports.clock()).total_seconds()
            await asyncio.sleep(min(3600.0, max(until_close, 0.0) + 60.0))

    # -- phase two: take orders --------------------------------------------------------------------
    async def serve(self) -> None:
        assert self.db is not None and self.channels is not None
        pusher = JobWorker(
            self.db,
            self.hub,
            PUSH_KIND,
            self.channels.handle_push,
            name="platform push",
            batch_size=20,
            keep_done=FINISHED_JOBS_KEPT,
            settle=SETTLE,
        )
        self.workers.append(pusher)
        self.hub.on_order(lambda _change: pusher.kick())
        for worker in self.workers:
            worker.start()
        if gcpace.enabled():
            self.hub.on_order(lambda _change: self.gc_pacer.changed())
            self.gc_pacer.start()
        await self._listen(self.channels)
        await self._serve_screens()
        self.channels.start_polling()
        await self._start_relay(self.channels)
        if self.payments is not None:  # payments a crash or a dead network left unanswered: asked again
            self.payments.start_recovery()
        self._recover_missed(self.channels)
        quarantined = await self.intake.quarantine_count()
        if quarantined:
            self.hub.notice(
                Notice("quarantine", f"{quarantined} payloads quarantined", "warning", {"count": quarantined})
            )
        if self.demo is not None:
            await self.demo.run()

    async def _start_relay(self, channels: ChannelService) -> None:
        """The hub's relay feed when this counter is paired with head office (``[hub] url`` or pairing)."""
        from posapp.services.relay import relay_for

        demo_hub = await self.demo.hub() if self.demo is not None and self.options.demo_hub else None
        assert self.db is not None
        self.relay = await relay_for(self.db, self.settings, channels, self.hub, self.uploader, demo=demo_hub)

    async def _start_busy(self, db: Database, channels: ChannelService) -> None:
        """Busy mode (services/busy.py): restored as it was left; every accept push asks it for a ready time."""
        from posapp.services.busy import BusyService

        self.busy = BusyService(db, self.hub, lambda: channels.connectors)
        await self.busy.load()
        channels.accept_extras = self.busy.accept_extras

    def _recover_missed(self, channels: ChannelService) -> None:
        """Orders the platforms kept while this counter was off: asked for now, in the background, and again
        whenever the head-office link comes back after an outage (posapp/services/recovery.py)."""
        from posapp.services.recovery import MissedOrders

        self.missed = MissedOrders(channels)
        self.hub.on_notice(self.missed.watch)
        self.missed.start("start-up")

    async def _listen(self, channels: ChannelService) -> None:
        payments = self.payments
        if payments is not None and payments.takes_notices:
            channels.payment_callback = payments.notice
        platforms = any(c.webhook_path for c in channels.connectors.values())
        if not self.options.listen or not (platforms or channels.payment_callback is not None):
            return
        host = "127.0.0.1" if self.options.demo else self.settings.listen_host
        port = 0 if self.options.demo else self.settings.listen_port
        try:
            bound = await channels.start_listener(host, port)
        except OSError as exc:  # platforms could not reach us: refuse to run half-deaf
            raise listen_error(host, port, exc) from exc
        if self.demo is not None:
            self.demo.listening_on(bound)

    async def _serve_screens(self) -> None:
        assert self.screens is not None
        host = "127.0.0.1" if self.options.demo else self.settings.screens_host
        port = 0 if self.options.demo else self.settings.screens_port
        try:
            await self.screens.start(host, port)
        except OSError as exc:
            raise screens_error(host, port, exc) from exc
        self._screens_at = (host, port)

    async def _move_screens(self, settings: Settings) -> None:
        """The screen API to the address Shop setup gave it; on an error the old address keeps serving."""
        at = (settings.screens_host, settings.screens_port)
        if self.screens is None or self.screens.port is None or self.options.demo or at == self._screens_at:
            return
        try:
            await self.screens.move(*at)
        except OSError as exc:
            raise screens_error(*at, exc) from exc
        self._screens_at = at

    # -- settings changed in the screens -------------------------------------------------------------
    async def reconfigure(self, settings: Settings) -> None:
        """Apply new settings without a restart, on the engine's loop: connectors (listener and polling),
        auto-accept, printers and routes, the backup plan. Queued print and push jobs are rows in the
        database addressed by printer or platform name: they survive and go to the rebuilt ones."""
        old_port = self.channels.listen_port if self.channels is not None else None
        # Read before anything changes: a mistake here (ConfigError) leaves the engine as it was.
        report_options = ReportOptions.from_settings(settings)
        quick_menu = quick_menu_from_settings(settings.raw, settings.currency)
        self.settings = self.options.settings = settings
        connectors = await self._connectors() if self.demo is None else None  # ConfigError: nothing changed
        self.intake.auto_accept = {"manual", *(p.name for p in settings.platforms if p.auto_accept)}
        if self.channels is not None and connectors is not None:
            await self.channels.replace(connectors)
            if self.options.listen and any(c.webhook_path for c in connectors):
                host, port = settings.listen_host, settings.listen_port
                port = old_port if old_port and port in (0, old_port) else port
                try:
                    await self.channels.start_listener(host, port)
                except OSError as exc:
                    raise listen_error(host, port, exc) from exc
            self.channels.start_polling()
            for worker in self.workers:
                if worker.kind == PUSH_KIND and worker.halted:
                    worker.resume()  # halted on the old credentials
        if self.printing is not None:
            self.printing.reconfigure(self.demo.printer_settings() if self.demo is not None else settings)
            await self.printing.publish_states()
        if self.backups is not None:
            self.backups.configure(BackupPlan.from_document(settings.raw.get("backup", {})))
        if self.payments is not None:
            self.payments.configure(gateway_settings(settings.raw))
        # Currency, time zone, business-day cut-off, report options and the quick menu: the next report,
        # manual order and purge use them; the day close finds the new cut-off within the hour.
        if self.reports is not None:
            self.reports.options = report_options
            self.customers.retention_days = report_options.retention_days
        self.manual.configure(
            currency=settings.currency,
            tz=settings.tz,
            day_starts_at=report_options.cutoff,
            quick_menu=quick_menu,
        )
        await self._move_screens(settings)
        await self._resync(settings)
        log.info(
            "settings applied: %d platforms, %d printers", len(settings.platforms), len(settings.printers)
        )

    # -- stop ----------------------------------------------------------------------------------------
    async def stop_upkeep(self) -> None:
        self.gc_pacer.stop()
        if self.payments is not None:
            await self.payments.stop()
        if self.missed is not None:
            await self.missed.stop()
        if self.busy is not None:
            self.busy.stop()
        for task in self._upkeep:
            task.cancel()  # each cached week commits on its own: stopping half-way loses nothing
        await asyncio.gather(*self._upkeep, return_exceptions=True)
        self._upkeep = []

    async def stop_workers(self) -> None:
        for worker in self.workers:
            await worker.stop()

    async def close(self) -> None:
        """The rest of ``stop``, after the screens have finished their last commands."""
        if self.relay is not None:
            await self.relay.stop()
        if self.uploader is not None:
            await self.uploader.stop()
        if self.demo is not None:
            await self.demo.stop_head_office()
        if self.screens is not None:
            await self.screens.stop()
        if self.channels is not None:
            await self.channels.stop()
        if self.demo is not None:
            await self.demo.stop()
        if self.db is not None:
            await asyncio.to_thread(self.db.close)
            self.db = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    async def stop(self) -> None:
        await self.stop_upkeep()
        await self.stop_workers()
        await self.close()


def connector_for(p: PlatformSettings) -> Connector:
    """The connector of one platform in the settings, its secret read by name (systemd credentials, keyring);
    also ``posapp payouts fetch``'s, which asks the platform for a report outside the engine."""
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
    return connector


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


def upload_token(sync: SyncSettings) -> TokenSource:
    """The head-office token, read by name from systemd credentials or the keyring when a batch goes."""
    token_ref = sync.token_ref
    return lambda: get_secret(token_ref)


def screens_error(host: str, port: int, exc: OSError) -> ConfigError:
    """The one sentence when the kitchen screens' port cannot be bound (at start or from Shop setup)."""
    reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
    return ConfigError(
        f"cannot serve the kitchen screens on {host}:{port}: {reason} — change [screens] port in "
        "config.toml or stop the program that holds it."
    )
