"""The print spooler: routes accepted orders to station printers as durable jobs and prints them exactly once.

Print jobs are rows in the one ``jobs`` outbox (kind ``print``, lane = printer name), planned by a
JobPlanner hook inside the transaction of the accept or cancel that causes them. A :class:`PrintWorker`
(a JobWorker) renders each ticket in a worker thread and sends it with short timeouts; an offline
printer delays its tickets (backoff, retry, in order) and is shown as "Kitchen printer offline — 3 tickets
waiting". A job that may already have printed (a crash mid-send) prints again marked REPRINT.

Failover: a printer whose settings name a ``backup`` and that has been offline for ``failover_after``
seconds sends its waiting tickets to the backup, marked "BACKUP FROM <label>". The job stays one row in
its own lane, so each ticket goes to exactly one printer per attempt and waits (never dropped) while both
are down; the offline printer is tried again every ``probe_every`` seconds and takes its lane back as
soon as it answers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from posapp.config import PrinterSettings, Settings
from posapp.domain.cash import takes_cash
from posapp.domain.lifecycle import Action
from posapp.domain.offers import IssuedCode, Redemption
from posapp.domain.order import LineItem, Order
from posapp.errors import ConfigError, NotFoundError, PrinterOffline
from posapp.printing.document import Document, DocumentBuilder
from posapp.printing.drawer import drawer_pulse
from posapp.printing.escpos import Renderer
from posapp.printing.layouts import (
    DEFAULT_FOOTER,
    ReceiptOffer,
    TicketContext,
    cancellation_ticket,
    kitchen_ticket,
    printer_test_page,
    receipt,
)
from posapp.printing.profiles import PrinterProfile, get_profile
from posapp.printing.transports import SendInterrupted, Transport, open_transport
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, Notice
from posapp.services.planner import JobPlanner, JobSpec
from posapp.services.worker import FINISHED_JOBS_KEPT, JobWorker, Outcome
from posapp.store import audit, payments
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.store.jobs import Job
from posapp.store.stations import MenuRoute, menu_routes

log = logging.getLogger(__name__)

PRINT_KIND = "print"
RECOVERED = "recovered"  # payload flag JobWorker sets on a job that was inflight at a crash
COUNTER_ROLES = frozenset({"counter", "receipt"})
KINDS = ("kitchen", "receipt", "cancel")
DRAWER = "drawer"  # a print job's doc that carries no ticket, only the drawer's kick (ESC p)
# A kick that waited longer than this (the printer was unplugged) is not sent: a drawer that springs open
# minutes later, with nobody at the till, is worse than one that stays shut. The audit log keeps it.
DRAWER_EXPIRES = 120.0


@dataclass
class Printer:
    """A configured printer with its profile, renderer and transport built once."""

    settings: PrinterSettings
    profile: PrinterProfile
    renderer: Renderer
    transport: Transport
    # Tickets of two lanes (its own and a failed-over printer's) may go to one printer: one at a time.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def label(self) -> str:
        return self.settings.display

    @property
    def role(self) -> str:
        return self.settings.role

    @property
    def is_station(self) -> bool:
        return self.role not in COUNTER_ROLES


def build_printer(settings: PrinterSettings, *, timeout: float | None = None) -> Printer:
    """Profile, renderer and transport for one printer's settings; ``ConfigError`` on a bad setting."""
    profile = get_profile(settings.profile, width_mm=settings.width, encoding=settings.encoding)
    status = profile.status_query if settings.status_query is None else settings.status_query
    transport = open_transport(
        settings.uri,
        label=settings.display,
        timeout=timeout if timeout is not None else settings.timeout,
        status_query=status,
    )
    return Printer(settings, profile, Renderer(profile), transport)


@dataclass
class PrinterState:
    """What staff see for one printer: online or not, why, and how many tickets wait."""

    online: bool | None = None  # None until the first attempt
    error: str | None = None
    pending: int = 0
    parked: int = 0
    last_printed_at: datetime | None = None
    offline_since: datetime | None = None  # start of the current offline spell
    probe_at: datetime | None = None  # while failed over: when to try this printer itself again


@dataclass
class Router:
    """Menu categories (and menu_items.station) route items to stations; stations map to printers."""

    routes: dict[str, str] = field(default_factory=dict)  # category -> station
    default_station: str = "kitchen"
    by_sku: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    category_of: dict[str, str] = field(default_factory=dict)

    def load_menu(self, menu: Sequence[MenuRoute]) -> None:
        self.by_sku = {m.sku: m.station for m in menu if m.sku and m.station}
        self.by_name = {m.name: m.station for m in menu if m.station}
        self.category_of = {m.name: m.category for m in menu if m.category}

    def station(self, item: LineItem) -> str:
        if item.sku and item.sku in self.by_sku:
            return self.by_sku[item.sku]
        if item.name in self.by_name:
            return self.by_name[item.name]
        category = item.category or self.category_of.get(item.name)
        if category:
            routes = {k.casefold(): v for k, v in self.routes.items()}
            hit = routes.get(category.casefold())
            if hit:
                return hit
        return self.default_station


class ReceiptOffers(Protocol):
    """What the spooler asks services/offers.py about a receipt (inside a database call)."""

    def for_receipt(self, session: Session, order: Order) -> IssuedCode | None: ...
    def issued_code(self, session: Session, order_id: int) -> IssuedCode | None: ...
    def redeemed_on(self, session: Session, order_id: int) -> Redemption | None: ...


class PrintService:
    """Plans, renders and sends tickets; the UI and CLI ask it for reprints, receipts, test pages, previews."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        printers: Sequence[PrinterSettings],
        *,
        context: TicketContext | None = None,
        routes: dict[str, str] | None = None,
        default_station: str = "kitchen",
        clock: Clock = utc_now,
        probe_every: float = 15.0,
    ) -> None:
        self.db = db
        self.hub = hub
        self.clock = clock
        self.probe_every = probe_every  # failed over: seconds between tries of the offline printer itself
        self._timers: set[asyncio.Task[None]] = set()  # failover wake-ups under way (kept from the GC)
        self.context = context or TicketContext()
        self.printers: dict[str, Printer] = {}
        self.configs: dict[str, PrinterSettings] = {}  # every enabled printer, working or misconfigured
        self.errors: dict[str, str] = {}  # printers whose settings are wrong: name -> sentence
        for p in printers:
            if not p.enabled:
                continue
            self.configs[p.name] = p
            try:
                self.printers[p.name] = build_printer(p)
            except ConfigError as exc:
                log.error("printer %s: %s", p.name, exc)
                self.errors[p.name] = f"{p.display}: {exc}"
        self.router = Router(dict(routes or {}), default_station)
        self.states: dict[str, PrinterState] = {name: PrinterState() for name in self.printers}
        self.worker: PrintWorker | None = None
        self.drawer_expires = DRAWER_EXPIRES  # seconds a drawer kick may wait for its printer
        self.offers: ReceiptOffers | None = None  # bounce-back offers on receipts (services/offers.py)

    @classmethod
    def from_settings(
        cls, db: Database, hub: Hub, settings: Settings, *, clock: Clock = utc_now
    ) -> PrintService:
        store = settings.raw.get("store", {})
        printing = settings.raw.get("printing", {})
        ctx = TicketContext(
            store_name=settings.store_name,
            address=str(store.get("address", "")),
            phone=str(store.get("phone", "")),
            footer=str(printing.get("footer", DEFAULT_FOOTER)),
            tz=settings.tz,
        )
        return cls(
            db,
            hub,
            settings.printers,
            context=ctx,
            routes=settings.print_routes,
            default_station=settings.default_station,
            clock=clock,
        )

    def reconfigure(self, settings: Settings) -> None:
        """New printers, routes and ticket header from the settings screens, applied on the engine's loop.
        Queued tickets are rows in the jobs table (lane = printer name): they stay, and print on the printer
        of that name as it is now set up; the worker is the same one."""
        fresh = PrintService.from_settings(self.db, self.hub, settings, clock=self.clock)
        fresh.probe_every = self.probe_every
        self.context = fresh.context
        self.printers, self.configs, self.errors = fresh.printers, fresh.configs, fresh.errors
        self.router.routes = fresh.router.routes
        self.router.default_station = fresh.router.default_station
        self.states = {name: self.states.get(name) or PrinterState() for name in self.printers}
        self.kick()

    # -- wiring ----------------------------------------------------------------------------------
    def register(self, planner: JobPlanner) -> None:
        planner.add(self.plan)

    def make_worker(self, **kwargs: Any) -> PrintWorker:
        self.worker = PrintWorker(self, **kwargs)
        return self.worker

    async def load_routes(self) -> None:
        """Read the menu's stations (menu_items) for routing; call at start and after menu edits."""
        self.router.load_menu(await self.db.run(menu_routes))

    def kick(self) -> None:
        if self.worker is not None:
            self.worker.kick()

    # -- routing and planning (inside the caller's transaction) ---------------------------------
    def station_printers(self) -> list[Printer]:
        return [p for p in self.printers.values() if p.is_station]

    def receipt_printers(self) -> list[Printer]:
        return [p for p in self.printers.values() if not p.is_station]

    def route(self, order: Order) -> dict[str, list[int]]:
        """printer name -> indices of the order's items it prints; unrouted stations go to the default.

        Misconfigured printers are routed too: their tickets wait (retrying) until the settings are fixed.
        """
        stations = [c for c in self.configs.values() if c.role not in COUNTER_ROLES]
        by_role: dict[str, list[str]] = {}
        for c in stations:
            by_role.setdefault(c.role, []).append(c.name)
        fallback = by_role.get(self.router.default_station) or [c.name for c in stations[:1]]
        out: dict[str, list[int]] = {}
        for index, item in enumerate(order.items):
            for name in by_role.get(self.router.station(item)) or fallback:
                out.setdefault(name, []).append(index)
        return out

    def plan(self, order: Order, action: Action | None, by: str, reason: str | None) -> list[JobSpec]:
        """JobPlanner hook: accept prints the kitchen tickets, a cancellation prints a cancellation ticket;
        a new counter order paid in cash opens the cash drawer."""
        if action is None:
            return self.plan_drawer(order, by)
        if action is Action.ACCEPT:
            doc = "kitchen"
        elif action is Action.CANCEL:
            doc = (
                "cancel"  # printed only where a kitchen ticket for the order went before (checked when sent)
            )
        else:
            return []
        return [
            (PRINT_KIND, name, name, self._payload(doc, name, items, by=by, reason=reason))
            for name, items in self.route(order).items()
        ]

    # -- the cash drawer ----------------------------------------------------------------------------
    def drawer_printers(self) -> list[str]:
        """Printers whose drawer port holds a cash drawer (``drawer = true``), working or misconfigured."""
        return [name for name, c in self.configs.items() if c.drawer]

    def plan_drawer(self, order: Order, by: str) -> list[JobSpec]:
        """The drawer opens when cash is taken (a counter order paid in cash), never for anything else."""
        if not takes_cash(order):
            return []
        payload = {"doc": DRAWER, "by": by, "reason": "cash sale"}
        return [(PRINT_KIND, name, name, dict(payload)) for name in self.drawer_printers()]

    async def open_drawer(self, by: str, reason: str) -> int:
        """ "Open drawer" without a sale (the caller checked the manager PIN): an audit row and one kick per
        drawer printer, queued like a ticket, so an unplugged printer says so and the kick waits. Returns how
        many drawers were told to open."""
        names = self.drawer_printers()
        if not names:
            raise NotFoundError("No printer with a cash drawer is set up: tick Cash drawer under Printers.")
        now = self.clock()

        def work(session: Session) -> None:
            for name in names:
                payload = {"doc": DRAWER, "by": by, "reason": reason}
                jobstore.enqueue(session, PRINT_KIND, name, payload, now=now, lane=name)
            audit.record(session, "open_drawer", by=by, at=now, detail=reason)

        await self.db.run(work)
        log.info("drawer opened by %s on %s: %s", by, ", ".join(names), reason)
        self.kick()
        await self.publish_states()
        return len(names)

    async def _kick_drawer(self, job: Job, printer: Printer) -> tuple[str, str]:
        """Send the pulse to the drawer's own printer: no failover (the drawer hangs on this one); a kick
        older than ``drawer_expires`` is dropped with an audit row instead of opening the drawer late."""
        waited = (self.clock() - job.created_at).total_seconds()
        if waited > self.drawer_expires:
            reason = job.payload.get("reason") or ""
            detail = f"not opened: {printer.label} was offline for {int(waited)} s ({reason})"
            now = self.clock()
            await self.db.run(
                lambda s: audit.record(
                    s, "drawer_skipped", by="printing", at=now, order_id=job.order_id, detail=detail
                ),
                background=True,
            )
            log.warning(
                "cash drawer on %s: kick of job %s dropped after %.0f s", printer.name, job.id, waited
            )
            return "done", ""
        data = drawer_pulse()

        def send() -> None:
            with printer.lock:
                printer.transport.send(data)

        try:
            await asyncio.to_thread(send)
        except PrinterOffline as exc:
            self._mark(printer.name, online=False, error=str(exc))
            return "retry", str(exc)
        self._mark(printer.name, online=True)
        log.info("cash drawer on %s opened (job %s, %s)", printer.name, job.id, job.payload.get("reason"))
        return "done", ""

    def _payload(
        self,
        doc: str,
        printer: str,
        items: list[int] | None,
        *,
        by: str,
        reason: str | None = None,
        reprint: bool = False,
    ) -> dict[str, Any]:
        return {
            "doc": doc,
            "station": self.configs[printer].role,
            "items": items,
            "reprint": reprint,
            "reason": reason,
            "by": by,
        }

    # -- on demand -------------------------------------------------------------------------------
    async def reprint(self, order_id: int, kind: str = "kitchen", *, by: str = "staff") -> list[int]:
        """Queue the order's ticket again, marked REPRINT, with an audit row; returns the job ids."""
        if kind not in KINDS:
            raise ConfigError(f"cannot reprint {kind!r}: use one of {', '.join(KINDS)}")
        now = self.clock()

        def work(session: Session) -> list[int]:
            order = repo.get_order(session, order_id)
            if kind == "receipt":
                targets = {self._receipt_printer().name: None}
            else:
                targets = dict(self.route(order))  # type: ignore[arg-type]
                if not targets:
                    raise NotFoundError(
                        "No kitchen printer is set up: add one under [printers] in the settings."
                    )
            ids = [
                jobstore.enqueue(
                    session,
                    PRINT_KIND,
                    name,
                    self._payload(kind, name, items, by=by, reprint=True, reason=order.status_reason),
                    now=now,
                    lane=name,
                    order_id=order_id,
                )
                for name, items in targets.items()
            ]
            detail = f"{kind} to {', '.join(targets)}"
            audit.record(session, "reprint", by=by, at=now, order_id=order_id, detail=detail)
            repo.add_event(session, order_id, "reprint", now=now, by=by, reason=detail)
            return ids

        ids = await self.db.run(work)
        log.info("order %s: %s reprint queued by %s (jobs %s)", order_id, kind, by, ids)
        self.kick()
        await self.publish_states()
        return ids

    async def print_receipt(self, order_id: int, *, by: str = "staff") -> int:
        """Queue a customer receipt on the counter printer (durable, in order with its other tickets)."""
        now = self.clock()
        printer = self._receipt_printer()

        def work(session: Session) -> int:
            repo.get_order(session, order_id)
            return jobstore.enqueue(
                session,
                PRINT_KIND,
                printer.name,
                self._payload("receipt", printer.name, None, by=by),
                now=now,
                lane=printer.name,
                order_id=order_id,
            )

        job_id = await self.db.run(work)
        self.kick()
        await self.publish_states()
        return job_id

    def _receipt_printer(self) -> Printer:
        printers = self.receipt_printers()
        broken = [n for n, c in self.configs.items() if c.role in COUNTER_ROLES and n in self.errors]
        if not printers and broken:
            raise ConfigError(self.errors[broken[0]])
        if not printers:
            raise NotFoundError(
                'No receipt printer is set up: add one with role = "counter" under [printers].'
            )
        return printers[0]

    def printer(self, name: str) -> Printer:
        try:
            return self.printers[name]
        except KeyError:
            if name in self.errors:
                raise ConfigError(self.errors[name]) from None
            raise NotFoundError(f"No printer named {name!r} in the settings.") from None

    def test_document(self, name: str) -> Document:
        printer = self.printer(name)
        ctx = self._ctx()
        return printer_test_page(printer.label, ctx, uri=printer.settings.uri, profile=printer.profile.name)

    def preview_test(self, name: str) -> Any:
        """The test page as a PIL image, exactly as the printer will lay it out."""
        from posapp.printing.preview import render_preview

        return render_preview(self.test_document(name), self.printer(name).profile)

    async def preview(self, order_id: int, kind: str, name: str | None = None) -> Any:
        """An order's ticket as a PIL image for ``name`` (default: the first printer that prints it)."""
        from posapp.printing.preview import render_preview

        order = await self.db.run(lambda s: payments.with_gateway(s, repo.get_order(s, order_id)))
        printer = self.printer(name) if name else self._default_printer(kind)
        offer = await self._receipt_offer(kind, order, issue=False)
        doc = self._document(kind, order, printer, {"doc": kind, "station": printer.role}, offer)
        return await asyncio.to_thread(render_preview, doc, printer.profile)

    def _default_printer(self, kind: str) -> Printer:
        if kind == "receipt":
            return self._receipt_printer()
        stations = self.station_printers()
        if not stations:
            raise NotFoundError("No kitchen printer is set up: add one under [printers] in the settings.")
        return stations[0]

    async def test_print(self, name: str) -> None:
        """Send the test page now (not queued): the dialog shows success or the printer's sentence."""
        printer = self.printer(name)
        data = printer.renderer.render(self.test_document(name))
        try:
            await asyncio.to_thread(printer.transport.send, data)
        except PrinterOffline as exc:
            self._mark(name, online=False, error=str(exc))
            await self.publish_states()
            raise
        self._mark(name, online=True)
        await self.retry_now(name)

    async def print_text(self, lines: Sequence[str], *, kind: str = "z-report") -> None:
        """Print plain lines (the Z-report) on the counter printer now; PrinterOffline says why not."""
        printer = self._receipt_printer()
        builder = DocumentBuilder(kind)
        for line in lines:
            builder.text(line)
        data = printer.renderer.render(builder.feed(3).cut().build())
        try:
            await asyncio.to_thread(printer.transport.send, data)
        except PrinterOffline as exc:
            self._mark(printer.name, online=False, error=str(exc))
            await self.publish_states()
            raise

    async def retry_now(self, name: str) -> int:
        """The printer works again (a test page printed): its waiting tickets go now, not after backoff."""
        now = self.clock()
        count = await self.db.run(lambda s: jobstore.retry_now(s, PRINT_KIND, name, now=now))
        self.kick()
        await self.publish_states()
        return count

    # -- the worker's handler --------------------------------------------------------------------
    async def handle(self, jobs: list[Job]) -> Outcome:
        """JobWorker handler: each lane's head is sent concurrently (one slow printer delays only itself)."""
        outcome = Outcome()
        results = await asyncio.gather(*(self._handle_one(job) for job in jobs))
        for job, (status, detail) in zip(jobs, results, strict=True):
            if status == "done":
                outcome.done.append(job.id)
            elif status == "parked":
                outcome.parked[job.id] = detail
            else:
                outcome.retry[job.id] = detail
        return outcome

    async def _handle_one(self, job: Job) -> tuple[str, str]:
        printer = self.printers.get(job.target)
        if printer is None:
            if job.target in self.errors:  # fixable in the settings: keep the ticket waiting, say why
                return "retry", self.errors[job.target]
            return "parked", f"no printer named {job.target!r} in the settings"
        if job.payload.get("doc") == DRAWER:
            return await self._kick_drawer(job, printer)
        if job.order_id is None:
            return "parked", "print job without an order"
        try:
            order, earlier = await self.db.run(lambda s: self._load(s, job), background=True)
        except NotFoundError as exc:
            return "parked", str(exc)
        payload = job.payload
        if payload.get("doc") == "cancel" and not earlier:
            log.info(
                "job %s: order %s never reached %s; no cancellation ticket",
                job.id,
                job.order_id,
                printer.name,
            )
            return "done", ""
        if payload.get(RECOVERED):
            payload = {**payload, "reprint": True}
        offer = await self._receipt_offer(str(payload.get("doc")), order)
        backup = self.failover_target(printer)
        if backup is None or self._probe_due(printer):
            status, detail, cut = await self._send(job, printer, order, payload, offer)
            backup = None if status != "retry" or cut else self.failover_target(printer)
            if backup is None:
                return status, detail
            self.states[printer.name].probe_at = self.clock() + timedelta(seconds=self.probe_every)
        backup_payload = {**payload, "backup_from": printer.label}
        status, detail, _cut = await self._send(job, backup, order, backup_payload, offer)
        return status, detail

    async def _receipt_offer(self, kind: str, order: Order, *, issue: bool = True) -> ReceiptOffer | None:
        """A receipt's offer lines: the code the order used, and the bounce-back code it hands out (issued
        the first time the receipt prints, the same one on every reprint; a preview issues none)."""
        offers = self.offers
        if kind != "receipt" or offers is None or order.id is None:
            return None
        order_id = order.id

        def work(session: Session) -> ReceiptOffer:
            issued = offers.for_receipt(session, order) if issue else offers.issued_code(session, order_id)
            return ReceiptOffer(offers.redeemed_on(session, order_id), issued)

        try:
            return await self.db.run(work, background=True)
        except Exception:  # a receipt without its offer lines beats no receipt at the till
            log.exception("order %s: the receipt's offer could not be read; printed without it", order_id)
            return None

    def failover_target(self, printer: Printer) -> Printer | None:
        """The backup that prints ``printer``'s tickets now: set up, not itself, and ``printer`` offline for
        at least its ``failover_after`` seconds; None while the printer itself should be used."""
        name = printer.settings.backup
        backup = self.printers.get(name) if name else None
        state = self.states.get(printer.name)
        if backup is None or backup is printer or state is None or state.offline_since is None:
            return None
        offline_for = (self.clock() - state.offline_since).total_seconds()
        return backup if offline_for >= printer.settings.failover_after else None

    def _probe_due(self, printer: Printer) -> bool:
        """Failed over: whether to try the printer itself first (it may be back) on this attempt."""
        state = self.states[printer.name]
        return state.probe_at is None or self.clock() >= state.probe_at

    async def _send(
        self,
        job: Job,
        printer: Printer,
        order: Order,
        payload: dict[str, Any],
        offer: ReceiptOffer | None = None,
    ) -> tuple[str, str, bool]:
        """One attempt on one printer: ("done", ""), ("retry", why) or ("parked", why), and whether the
        send was cut off mid-ticket (then no failover in this attempt: the part on paper names it)."""
        try:
            await asyncio.to_thread(self._render_and_send, printer, order, payload, offer)
        except SendInterrupted as exc:
            # Part of the ticket may be on paper: the next attempt says REPRINT, never silently twice.
            await self.db.run(lambda s: jobstore.update_payload(s, job.id, reprint=True), background=True)
            self._mark(printer.name, online=False, error=str(exc))
            return "retry", str(exc), True
        except PrinterOffline as exc:
            self._mark(printer.name, online=False, error=str(exc))
            return "retry", str(exc), False
        except Exception as exc:  # a layout or render bug: keep the job visible instead of looping on it
            log.exception("job %s for %s could not be rendered", job.id, printer.name)
            return "parked", f"could not render the ticket: {type(exc).__name__}: {exc}", False
        self._mark(printer.name, online=True)
        if printer.name != job.target:  # the record says which printer the ticket came out of
            name = printer.name
            await self.db.run(lambda s: jobstore.update_payload(s, job.id, printed_on=name), background=True)
        log.info("printed %s for order %s on %s", payload.get("doc"), job.order_id, printer.name)
        return "done", "", False

    def _load(self, session: Session, job: Job) -> tuple[Order, bool]:
        assert job.order_id is not None
        order = payments.with_gateway(session, repo.get_order(session, job.order_id))
        earlier = any(
            j.id < job.id and j.payload.get("doc") == "kitchen"
            for j in jobstore.jobs_for(session, PRINT_KIND, order_id=job.order_id, target=job.target)
        )
        return order, earlier

    def _render_and_send(
        self, printer: Printer, order: Order, payload: dict[str, Any], offer: ReceiptOffer | None = None
    ) -> None:
        """Runs in a worker thread: lay out, render, send; returns only once the bytes are written."""
        doc = self._document(str(payload.get("doc", "kitchen")), order, printer, payload, offer)
        data = printer.renderer.render(doc)
        with printer.lock:
            printer.transport.send(data)

    def _ctx(self) -> TicketContext:
        c = self.context
        return TicketContext(
            c.store_name, c.address, c.phone, c.footer, c.tz, self.clock(), c.platform_labels
        )

    def _document(
        self,
        kind: str,
        order: Order,
        printer: Printer,
        payload: dict[str, Any],
        offer: ReceiptOffer | None = None,
    ) -> Document:
        ctx = self._ctx()
        reprint = bool(payload.get("reprint"))
        backup_from = payload.get("backup_from")
        indices = payload.get("items")
        items = None if indices is None else [order.items[i] for i in indices if 0 <= i < len(order.items)]
        if kind == "kitchen":
            return kitchen_ticket(
                order,
                ctx,
                items=items,
                station=payload.get("station"),
                reprint=reprint,
                backup_from=backup_from,
            )
        if kind == "cancel":
            return cancellation_ticket(
                order,
                ctx,
                items=items,
                reason=payload.get("reason"),
                reprint=reprint,
                backup_from=backup_from,
            )
        if kind == "receipt":
            return receipt(order, ctx, reprint=reprint, offer=offer)
        raise ValueError(f"unknown ticket kind {kind!r}")

    # -- state for staff -------------------------------------------------------------------------
    def _mark(self, name: str, *, online: bool, error: str | None = None) -> None:
        state = self.states.setdefault(name, PrinterState())
        state.online = online
        state.error = error
        if online:
            state.last_printed_at = self.clock()
            state.offline_since = state.probe_at = None
        elif state.offline_since is None:
            state.offline_since = self.clock()
            self._wake_at_failover(name)

    async def _retry_quietly(self, name: str) -> None:
        try:
            await self.retry_now(name)
        except Exception:  # the engine stopped meanwhile (database closed): the next start retries anyway
            log.warning("printer %s: waking its tickets for the backup failed", name, exc_info=True)

    def _wake_at_failover(self, name: str) -> None:
        """A printer with a backup just went offline: its waiting tickets fall due again the moment the
        backup may take them, not at the end of a backoff (up to 30 s) that began before."""
        printer = self.printers.get(name)
        if printer is None or not printer.settings.backup:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # marked outside the engine's loop (a test page from a thread): no timer
            return
        since = self.states[name].offline_since

        def due() -> None:
            state = self.states.get(name)
            if state is not None and state.offline_since == since:  # still the same offline spell
                task = loop.create_task(self._retry_quietly(name))
                self._timers.add(task)
                task.add_done_callback(self._timers.discard)

        loop.call_later(printer.settings.failover_after + 0.05, due)

    async def publish_states(self) -> None:
        """One Notice per printer: source ``printer:<name>``, text staff can read at a glance."""
        self.show_states(await self.db.run(self.printer_counts, background=True))

    def printer_counts(self, session: Session) -> dict[str, tuple[int, int]]:
        """(waiting, failed) tickets of each printer."""
        out = {}
        for name in self.configs:
            st = jobstore.queue_state(session, PRINT_KIND, name)
            out[name] = (st.pending, st.parked)
        return out

    def show_states(self, counts: dict[str, tuple[int, int]]) -> None:
        for name, (pending, parked) in counts.items():
            state = self.states.setdefault(name, PrinterState())
            state.pending, state.parked = pending, parked
            if name in self.printers:
                self.hub.notice(self.notice_for(name))
            else:
                waiting = f" — {pending} ticket{'s' if pending != 1 else ''} waiting" if pending else ""
                self.hub.notice(
                    Notice(
                        f"printer:{name}",
                        self.errors.get(name, name) + waiting,
                        "error",
                        {
                            "printer": name,
                            "state": "misconfigured",
                            "waiting": pending,
                            "error": self.errors.get(name),
                        },
                    )
                )

    def notice_for(self, name: str) -> Notice:
        printer = self.printers[name]
        state = self.states.get(name, PrinterState())
        waiting = f"{state.pending} ticket{'s' if state.pending != 1 else ''} waiting"
        failed = f" — {state.parked} failed" if state.parked else ""
        backup = self.failover_target(printer)
        if state.online is False and backup is not None:
            text = f"{printer.label} offline — {waiting}{failed} — printing on {backup.label}"
            level, word = "error", "offline"
        elif state.online is False:
            text, level, word = f"{printer.label} offline — {waiting}{failed}", "error", "offline"
        elif state.pending:
            text, level, word = f"{printer.label} printing — {waiting}{failed}", "info", "printing"
        else:
            text, level, word = (
                f"{printer.label} ready{failed}",
                "warning" if state.parked else "info",
                "ready",
            )
        return Notice(
            f"printer:{name}",
            text,
            level,
            {
                "printer": name,
                "label": printer.label,
                "state": word,
                "online": state.online,
                "waiting": state.pending,
                "parked": state.parked,
                "error": state.error,
                "role": printer.role,
                "uri": printer.settings.uri,
                "backup": backup.name if backup is not None else None,
                "backup_label": backup.label if backup is not None else None,
            },
        )


class PrintWorker(JobWorker):
    """The JobWorker for print jobs: flags recovered jobs for REPRINT and publishes per-printer state."""

    def __init__(self, service: PrintService, **kwargs: Any) -> None:
        kwargs.setdefault("name", "printing")
        kwargs.setdefault("batch_size", max(4, len(service.printers)))
        kwargs.setdefault("base_delay", 2.0)
        kwargs.setdefault("max_delay", 30.0)
        kwargs.setdefault("keep_done", FINISHED_JOBS_KEPT)
        super().__init__(
            service.db, service.hub, PRINT_KIND, service.handle, recover_mark=RECOVERED, **kwargs
        )
        self.service = service

    def read_state(self, session: Session) -> dict[str, tuple[int, int]]:
        return self.service.printer_counts(session)  # per printer, not the kind's one state

    def show_state(self, st: dict[str, tuple[int, int]]) -> None:
        self.service.show_states(st)


def cli_print(
    *,
    settings: Settings,
    data_dir: Any,
    order_id: int | None,
    kind: str,
    to: str | None,
    test: bool = False,
    reprint: bool = False,
    width: int | None = None,
    encoding: str | None = None,
    profile: str | None = None,
    timeout: float | None = None,
    preview: Any = None,
) -> str:
    """``posapp print``: render one ticket and send it now; returns what happened, raises PosappError."""
    from posapp.printing.preview import render_preview
    from posapp.printing.transports import is_uri
    from posapp.store import offers as offer_store
    from posapp.store.db import open_database

    if to is None and preview is None:
        raise ConfigError(
            "say where to print: --to tcp://host:9100, file:PATH, usb:VID:PID, serial:DEV, cups:NAME"
        )
    role = "counter" if kind == "receipt" else "kitchen"
    if to is None or is_uri(to):
        base = PrinterSettings("cli", to or "file:/dev/null", role=role, label="Printer")
    else:
        found = {p.name: p for p in settings.printers}
        if to not in found:
            known = ", ".join(found) or "none configured"
            raise NotFoundError(f"no printer named {to!r} in the settings (printers: {known})")
        base = found[to]
    chosen = PrinterSettings(
        base.name,
        base.uri,
        role=base.role,
        width=width or base.width,
        encoding=encoding or base.encoding,
        profile=profile or base.profile,
        label=base.label,
        timeout=timeout or base.timeout,
        status_query=base.status_query,
    )
    printer = build_printer(chosen)
    store = settings.raw.get("store", {})
    ctx = TicketContext(
        store_name=settings.store_name,
        address=str(store.get("address", "")),
        phone=str(store.get("phone", "")),
        footer=str(settings.raw.get("printing", {}).get("footer", DEFAULT_FOOTER)),
        tz=settings.tz,
        printed_at=utc_now(),
    )
    if test:
        doc = printer_test_page(printer.label, ctx, uri=chosen.uri, profile=printer.profile.name)
        what = "test page"
    else:
        if order_id is None:
            raise ConfigError("give an ORDER_ID, or --test for a test page")
        db = open_database(data_dir)
        try:
            order = db.call(lambda s: payments.with_gateway(s, repo.get_order(s, order_id)))
            # The offer lines the receipt printed before (a code used, a code handed out); none is issued here.
            offer = db.call(
                lambda s: ReceiptOffer(
                    offer_store.redemption_on_order(s, order_id), offer_store.code_of_order(s, order_id)
                )
            )
        finally:
            db.close()
        if kind == "kitchen":
            doc = kitchen_ticket(order, ctx, station=printer.role, reprint=reprint)
        elif kind == "cancel":
            doc = cancellation_ticket(order, ctx, reason=order.status_reason, reprint=reprint)
        else:
            doc = receipt(order, ctx, reprint=reprint, offer=offer)
        what = f"{kind} ticket for order {order_id}"
    if preview is not None:
        render_preview(doc, printer.profile).save(str(preview))
    if to is None:
        return f"Preview of the {what} saved to {preview}"
    data = printer.renderer.render(doc)
    printer.transport.send(data)
    return f"Printed the {what} to {chosen.uri} ({len(data)} bytes)"
