"""The hub as one aiohttp application: platform webhooks, the relay feed, uploads, pairing, the office page.

A hub process keeps nothing a second process lacks: every push, acknowledgement and link state is in the
database, so any number of processes run behind one load balancer on one PostgreSQL. A push stored by one
process wakes the feed of a counter linked to another by ``NOTIFY hub_push`` (PostgreSQL) or by a short poll
of the newest push ids (SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import Connection, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from posapp.connectors import registry
from posapp.connectors.base import Connector, WebhookReply
from posapp.errors import SignatureError
from posapp.hq.receiver import BATCH_PATH, read_batch, store_batch
from posapp.hub import db as hubdb
from posapp.hub import page, ratelimit, stores, webhooks
from posapp.hub import tables as t
from posapp.hub.dbpool import DbPool, Priority
from posapp.hub.feed import Feed
from posapp.hub.office import Office
from posapp.hub.sealing import Sealer

log = logging.getLogger(__name__)
T = TypeVar("T")

RELAY_PATH = "/v1/relay"
PAIR_PATH = "/v1/pair"
STORE_PATH = "/v1/store"
HEALTH_PATH = "/healthz"
UPLOAD_MAX = 16 * 1024 * 1024  # a batch of 1,000 rows, as hq-receiver takes
ENTRY_TTL = (
    30.0  # seconds a store's platform entry is cached: a new secret or store key reaches every process
)


@dataclass
class HubOptions:
    rate: float = 50.0  # pushes a second per store, for all processes together on PostgreSQL
    burst: float = 200.0
    pair_rate: float = 0.2  # pairing tries a second per client address, for all processes together
    pair_burst: float = 5.0
    pair_rate_all: float = 2.0  # pairing tries a second from every address together: the ceiling on guessing
    pair_burst_all: float = 10.0
    max_body: int = webhooks.MAX_BODY
    window: int = 100  # pushes in flight on one relay link
    resend_after: float = 30.0
    heartbeat: float = 5.0
    poll_interval: float = 0.2  # SQLite: how often other processes' pushes are looked for
    idle_check: float = 30.0  # a link re-reads its backlog this often without a wake-up (a lost NOTIFY)
    keep_acked: timedelta = timedelta(days=7)  # a push its counter acknowledged is deleted after this
    keep_refusals: timedelta = timedelta(days=30)
    time_zone: str = "UTC"  # the office page's "today" for a store without a time zone of its own
    db_threads: int = 8  # each at most one PostgreSQL connection
    db_priority: bool = (
        True  # pushes before link bookkeeping on the database threads (False: in arrival order)
    )
    waits_every: float = 10.0  # log the database queue's waits per kind this often (seconds)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # the office page's now


class HubServer:
    """Owns the database engine, a small pool of database threads (pushes first) and the aiohttp site."""

    def __init__(
        self, db_url: str, *, sealer: Sealer | None = None, options: HubOptions | None = None
    ) -> None:
        self.options = options or HubOptions()
        self.engine = hubdb.make_engine(db_url, pool_size=self.options.db_threads)
        self.postgres = self.engine.dialect.name == "postgresql"
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.sealer = sealer
        self._pool = DbPool(self.options.db_threads, prioritise=self.options.db_priority)
        self.feed = Feed(
            self.run,
            bookkeeping=partial(self.run, priority=Priority.BOOKKEEPING),
            window=self.options.window,
            resend_after=self.options.resend_after,
            idle_check=self.options.idle_check,
            heartbeat=self.options.heartbeat,
        )
        self.office = Office(
            self.run, self._open_sealer, default_zone=self.options.time_zone, clock=self.options.clock
        )
        self.limit = ratelimit.RateLimit(self.options.rate, self.options.burst)  # SQLite: one process
        o = self.options  # pairing on SQLite (one process): its buckets in memory
        self._pair_limit = ratelimit.RateLimit(o.pair_rate, o.pair_burst)
        self._pair_limit_all = ratelimit.RateLimit(o.pair_rate_all, o.pair_burst_all)
        self._entries: dict[tuple[str, str], tuple[float, tuple[stores.PlatformKey, Connector] | None]] = {}
        self._bare: dict[str, Connector] = {}
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._stop_listening = threading.Event()
        self._listener: threading.Thread | None = None
        self.port: int | None = None

    # -- database ------------------------------------------------------------------------------------
    def _tx(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.begin() as conn:
            return fn(conn)

    async def run(self, fn: Callable[[Connection], T], priority: Priority = Priority.NORMAL) -> T:
        """``fn(connection)`` in one transaction on a database thread, queued by ``priority``."""
        return await asyncio.wrap_future(self._pool.submit(partial(self._tx, fn), priority))

    async def push_run(self, fn: Callable[[Connection], T]) -> T:
        """``run`` for a platform's webhook: ahead of everything else waiting for a database thread."""
        return await self.run(fn, Priority.PUSH)

    async def run_session(self, fn: Callable[[Session], T]) -> T:
        def call() -> T:
            with self.sessions.begin() as session:
                return fn(session)

        return await asyncio.wrap_future(self._pool.submit(call))

    def db_waits(self) -> dict[str, dict[str, float]]:
        """How long database work of each kind waited for a thread since the last call (ms)."""
        return self._pool.take_waits()

    async def _log_waits(self) -> None:
        while True:
            await asyncio.sleep(self.options.waits_every)
            waits = {k: v for k, v in self.db_waits().items() if v["n"]}
            if waits:  # one JSON line: benchmarks/bench_hub.py reads it from the process's output
                log.info("db queue waits %s", json.dumps(waits, sort_keys=True))

    # -- the application -----------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=UPLOAD_MAX)  # webhooks hold themselves to max_body
        for platform in webhooks.PLATFORMS:
            path = registry.connector_class(platform).webhook_path
            assert path is not None

            async def hook(request: web.Request, p: str = platform) -> web.Response:
                return await self._webhook(p, request)

            app.router.add_post(path, hook)
        app.router.add_get(RELAY_PATH, self._relay)
        app.router.add_post(PAIR_PATH, self._pair)
        app.router.add_get(STORE_PATH, self._whoami)
        app.router.add_post(BATCH_PATH, self._batch)
        app.router.add_get(HEALTH_PATH, self._health)
        self.office.add_routes(app)  # /, /login, /logout: the only routes behind the office login
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        server = site._server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        self._tasks.append(asyncio.create_task(self.feed.keep_alive(), name="hub-keep-alive"))
        self._tasks.append(asyncio.create_task(self._prune_hourly(), name="hub-prune"))
        self._tasks.append(asyncio.create_task(self._log_waits(), name="hub-db-waits"))
        if self.postgres:
            self._start_listener(asyncio.get_running_loop())
        else:
            self._tasks.append(asyncio.create_task(self._poll_new_pushes(), name="hub-poll"))
        return self.port

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self._stop_listening.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def close(self) -> None:
        if self._listener is not None:
            self._listener.join(timeout=5)
        self._pool.shutdown()
        self.engine.dispose()

    async def prune(self) -> int:
        """Delete pushes acknowledged longer ago than ``keep_acked`` and old refusals; the number deleted.
        An unacknowledged push is never deleted: its counter has not got it yet."""
        now = datetime.now(UTC)
        acked_before, refused_before = now - self.options.keep_acked, now - self.options.keep_refusals

        def delete(c: Connection) -> int:
            gone = c.execute(t.pushes.delete().where(t.pushes.c.acked_at < acked_before)).rowcount
            # A text-keyed bucket untouched for an hour is full again anyway (pairing tries by address).
            c.execute(t.rate_keys.delete().where(t.rate_keys.c.at < time.time() - 3600))
            return gone + c.execute(t.refusals.delete().where(t.refusals.c.at < refused_before)).rowcount

        return await self.run(delete, Priority.BOOKKEEPING)

    async def _prune_hourly(self) -> None:
        while True:
            try:
                gone = await self.prune()
                if gone:
                    log.info("pruned %d old pushes and refusals", gone)
            except SQLAlchemyError as exc:
                log.warning("pruning failed: %s", exc)
            await asyncio.sleep(3600)

    # -- reaching the process a counter is linked to -------------------------------------------------
    def _start_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

        def listen() -> None:
            import psycopg

            while not self._stop_listening.is_set():
                try:
                    with psycopg.connect(conninfo, autocommit=True) as conn:
                        conn.execute(f"LISTEN {hubdb.NOTIFY_CHANNEL}")
                        loop.call_soon_threadsafe(self.feed.wake_all)  # anything missed while not listening
                        while not self._stop_listening.is_set():
                            for note in conn.notifies(timeout=0.5):
                                if note.payload.isdigit():
                                    loop.call_soon_threadsafe(self.feed.wake, int(note.payload))
                except Exception as exc:  # the database restarted: listen again, the feeds re-read
                    if self._stop_listening.is_set():
                        return
                    log.warning("LISTEN %s lost: %s", hubdb.NOTIFY_CHANNEL, exc)
                    self._stop_listening.wait(1.0)
                except BaseException:
                    return

        self._listener = threading.Thread(target=listen, name="hub-listen", daemon=True)
        self._listener.start()

    async def _poll_new_pushes(self) -> None:
        mark = await self.run(
            lambda c: c.execute(select(t.pushes.c.id).order_by(t.pushes.c.id.desc()).limit(1)).scalar() or 0
        )
        while True:
            await asyncio.sleep(self.options.poll_interval)
            if not self.feed.links:
                continue
            since = mark
            try:
                rows = await self.run(partial(_newer_pushes, since=since))
            except SQLAlchemyError as exc:
                log.warning("looking for new pushes failed: %s", exc)
                continue
            for row in rows:
                mark = max(mark, row.id)
                self.feed.wake(row.store_id)

    # -- platform webhooks ---------------------------------------------------------------------------
    def _bare_connector(self, platform: str) -> Connector:
        if platform not in self._bare:
            self._bare[platform] = registry.make(platform)
        return self._bare[platform]

    async def _entry(self, platform: str, key: str) -> tuple[stores.PlatformKey, Connector] | None:
        loop = asyncio.get_running_loop()
        cached = self._entries.get((platform, key))
        if cached is not None and loop.time() - cached[0] < ENTRY_TTL:
            return cached[1]
        found = await self.push_run(lambda c: stores.platform_key(c, platform, key))
        entry = None
        if found is not None:
            entry = (found, webhooks.make_connector(found, await self._open_sealer()))
        if len(self._entries) > 50_000:
            self._entries.clear()
        self._entries[(platform, key)] = (loop.time(), entry)
        return entry

    async def _open_sealer(self) -> Sealer:
        """The hub key, read from the vault on first use (``ConfigError`` if it is not there)."""
        if self.sealer is None:
            self.sealer = await asyncio.to_thread(Sealer.from_vault)
        return self.sealer

    async def _refuse(
        self,
        request: web.Request,
        platform: str,
        status: int,
        reason: str,
        *,
        store_key: str | None = None,
        store_id: int | None = None,
        retry_after: int | None = None,
    ) -> web.Response:
        # The reason and where from, never the body (personal data) and never a secret.
        log.warning("%s push refused from %s (store key %r): %s", platform, request.remote, store_key, reason)
        now = datetime.now(UTC)
        row = {
            "at": now,
            "platform": platform,
            "store_id": store_id,
            "store_key": (store_key or "")[:128] or None,
            "status": status,
            "reason": reason[:200],
            "remote": (request.remote or "")[:64],
        }
        with contextlib.suppress(SQLAlchemyError):
            await self.run(lambda c: c.execute(t.refusals.insert().values(**row)))
        response = _reply(self._bare_connector(platform).reply_error(status, reason))
        if retry_after is not None:  # RFC 9110 section 10.2.3: platforms back off this many seconds
            response.headers["Retry-After"] = str(retry_after)
        return response

    async def _webhook(self, platform: str, request: web.Request) -> web.Response:
        too_large = f"body over {self.options.max_body} bytes"
        if (request.content_length or 0) > self.options.max_body:
            return await self._refuse(request, platform, 413, too_large)  # not read, so never verified
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return await self._refuse(request, platform, 413, too_large)
        if len(body) > self.options.max_body:
            return await self._refuse(request, platform, 413, too_large)
        headers, query = request.headers, request.query
        if webhooks.url_check(platform, body, query):
            return _reply(self._bare_connector(platform).reply_ok())
        key = webhooks.STORE_KEYS[platform](headers, body, query)
        order_id = webhooks.ORDER_IDS[platform](headers, body, query)
        if key is None and order_id is not None:  # e.g. a cancellation naming only its order
            key = await self.push_run(lambda c: stores.store_key_of_order(c, platform, order_id))
        if key is None and webhooks.is_report(platform, body):  # Uber's report webhooks name no store
            return await self._report_webhook(platform, request, body)
        if key is None:
            return await self._refuse(request, platform, 400, "no store key in the push, nor a known order")
        entry = await self._entry(platform, key)
        if entry is None:
            return await self._refuse(request, platform, 401, "unknown store", store_key=key)
        found, connector = entry
        try:
            verdict = await self._take(found.store_id)
        except SQLAlchemyError as exc:
            log.error("%s push not taken, the rate limit cannot be read: %s", platform, exc)
            return _reply(connector.reply_error(503, "storage unavailable, retry later"))
        if not verdict.allowed:
            return await self._refuse(
                request,
                platform,
                429,
                "too many pushes, retry later",
                store_key=key,
                store_id=found.store_id,
                retry_after=verdict.retry_after,
            )
        try:
            connector.verify(headers=headers, body=body, query=query)
        except SignatureError as exc:
            return await self._refuse(
                request, platform, 401, str(exc), store_key=key, store_id=found.store_id
            )
        except Exception:  # a crash inside a check proves nothing
            log.exception("%s: verifying a push failed", platform)
            return await self._refuse(
                request, platform, 401, "signature check failed", store_key=key, store_id=found.store_id
            )
        return await self._keep(platform, request, connector, found.store_id, body, order_id)

    async def _report_webhook(self, platform: str, request: web.Request, body: bytes) -> web.Response:
        """An Uber Eats report webhook naming no store (webhooks.REPORT_EVENTS): kept for every store whose
        Uber Eats secret proves its ``X-Uber-Signature`` — the stores of the app that asked for the report —
        each store's copy read and relayed as any push. A counter imports only a report it asked for (its
        ``payouts.fetch.*`` request) and acknowledges the others. Proven by no store's secret: 401."""
        if len(body) > webhooks.MAX_REPORT_BODY:
            return await self._refuse(request, platform, 413, "report webhook over 64 kB")
        keys = await self.push_run(lambda c: stores.platform_keys(c, platform))
        proven: dict[str, bool] = {}  # a secret shared by many stores (one Uber app) is checked once
        entries: list[tuple[stores.PlatformKey, Connector]] = []
        for key in keys:
            entry = await self._entry(platform, key.store_key)
            if entry is None:
                continue
            secret = str(getattr(entry[1], "secret", "")) or key.store_key
            if secret not in proven:
                try:
                    entry[1].verify(headers=request.headers, body=body, query=request.query)
                    proven[secret] = True
                except SignatureError:
                    proven[secret] = False
                except Exception:  # a crash inside a check proves nothing
                    log.exception("%s: verifying a report webhook failed", platform)
                    proven[secret] = False
            if proven[secret]:
                entries.append(entry)
        if not entries:
            return await self._refuse(
                request, platform, 401, "report webhook: no store's secret matches its signature"
            )
        answer = None
        for found, connector in entries:
            answer = await self._keep(platform, request, connector, found.store_id, body, None)
            if answer.status >= 300:
                return answer  # not committed for this store: Uber sends it again (kept once for the others)
        assert answer is not None
        return answer

    async def _take(self, store_id: int) -> ratelimit.Verdict:
        """One push from the store's bucket: shared by every process on PostgreSQL, this process's on SQLite."""
        if not self.postgres:
            return self.limit.take(store_id)
        rate, burst = self.options.rate, self.options.burst
        return await self.push_run(lambda c: ratelimit.take_shared(c, store_id, rate, burst))

    async def _keep(
        self,
        platform: str,
        request: web.Request,
        connector: Connector,
        store_id: int,
        body: bytes,
        order_id: str | None,
    ) -> web.Response:
        headers, query = request.headers, request.query
        content_type = request.headers.get("Content-Type", "")
        problem = None
        try:  # the connector's own reading: a whole order, or a notice (Uber Eats) the counter expands
            connector.check_push(body, content_type=request.content_type)
        except Exception as exc:  # signed but unreadable: kept for a person, never relayed half-read
            problem = f"{type(exc).__name__}: {exc}"[:1000]
        now = datetime.now(UTC)
        try:
            if problem is not None:
                row = {
                    "at": now,
                    "platform": platform,
                    "store_id": store_id,
                    "reason": problem,
                    "content_type": content_type[:128],
                    "body": body,
                }
                await self.push_run(lambda c: c.execute(t.quarantine.insert().values(**row)))
                log.warning("%s push for store %d quarantined: %s", platform, store_id, problem)
                return _reply(connector.reply_ok())  # kept: the platform must not send it again
            push = {
                "store_id": store_id,
                "platform": platform,
                "message_key": connector.message_key(headers=headers, body=body, query=query)[:200],
                "received_at": now,
                "content_type": content_type[:128],
                "headers": json.dumps(webhooks.kept_headers(headers), ensure_ascii=False),
                "query": webhooks.encode_query(query),
                "body": body,
            }
            stored = await self.push_run(lambda c: self._insert_push(c, push, order_id))
        except SQLAlchemyError as exc:
            log.error("%s push not stored, the platform will resend it: %s", platform, exc)
            return _reply(connector.reply_error(503, "storage unavailable, retry later"))
        if stored:
            self.feed.wake(store_id)
        return _reply(connector.reply_ok())  # only now: the push is committed

    def _insert_push(self, conn: Connection, push: dict[str, Any], order_id: str | None) -> bool:
        """Insert once per (store, platform, message key); a resend is answered ok and stored nothing."""
        dialect = postgresql if self.postgres else sqlite
        stmt = (
            dialect.insert(t.pushes)
            .values(**push)
            .on_conflict_do_nothing(index_elements=["store_id", "platform", "message_key"])
            .returning(t.pushes.c.id)  # rowcount is no use here: psycopg answers -1 with RETURNING
        )
        stored = conn.execute(stmt).first() is not None
        if stored and order_id is not None:
            route = {"platform": push["platform"], "external_id": order_id, "store_id": push["store_id"]}
            conn.execute(dialect.insert(t.order_routes).values(**route).on_conflict_do_nothing())
        if stored and self.postgres:
            conn.execute(
                text("SELECT pg_notify(:channel, :store)"),
                {"channel": hubdb.NOTIFY_CHANNEL, "store": str(push["store_id"])},
            )
        return stored

    # -- stores --------------------------------------------------------------------------------------
    async def _store_of(
        self, request: web.Request, priority: Priority = Priority.NORMAL
    ) -> tuple[stores.Store, str] | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        store = await self.run(lambda c: stores.by_token(c, token), priority)
        return None if store is None else (store, token)

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        found = await self._store_of(request, Priority.BOOKKEEPING)  # a link coming up waits behind pushes
        if found is None:
            return _error(401, "unauthorised", "missing, wrong or revoked store token")
        raw = request.query.get("after", "0")
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            return _error(400, "bad_request", "after must be a push id (a whole number)")
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return _error(400, "bad_request", "the relay feed is a WebSocket: send Upgrade: websocket")
        store, token = found
        return await self.feed.serve(request, store, token, int(raw))

    async def _pair_take(self, address: str) -> ratelimit.Verdict:
        """One pairing try from ``address``'s bucket, then from the bucket of all addresses: shared by every
        process on PostgreSQL. An address over its own limit takes nothing from the others' ceiling."""
        o = self.options
        if not self.postgres:
            verdict = self._pair_limit.take(address)
            return self._pair_limit_all.take("*") if verdict.allowed else verdict

        def take(c: Connection) -> ratelimit.Verdict:
            verdict = ratelimit.take_shared_key(c, f"pair:{address}", o.pair_rate, o.pair_burst)
            if not verdict.allowed:
                return verdict
            return ratelimit.take_shared_key(c, "pair:*", o.pair_rate_all, o.pair_burst_all)

        return await self.run(take)

    async def _pair(self, request: web.Request) -> web.Response:
        address = client_address(request)
        try:
            verdict = await self._pair_take(address)
        except SQLAlchemyError as exc:
            log.error("pairing not tried, the rate limit cannot be read: %s", exc)
            return _error(503, "busy", "the hub's database is not answering; try again shortly")
        if not verdict.allowed:
            log.warning("pairing refused from %s: too many tries", address)
            response = _error(429, "too_many", "too many pairing attempts, wait and try again")
            response.headers["Retry-After"] = str(verdict.retry_after)  # RFC 9110 section 10.2.3
            return response
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "bad_request", "the body is not JSON")
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str) or not 1 <= len(code) <= 32:
            return _error(400, "bad_request", "code must be the pairing code as text")
        now = datetime.now(UTC)
        issued = await self.run(lambda c: stores.pair(c, code, now))
        if issued is None:
            log.warning("pairing refused from %s", address)
            return _error(403, "bad_code", "this pairing code is wrong, used or expired")
        log.info("store %s paired from %s", issued.store, address)
        return web.json_response({"store": issued.store, "token": issued.token})

    async def _whoami(self, request: web.Request) -> web.Response:
        found = await self._store_of(request)
        if found is None:
            return _error(401, "unauthorised", "missing, wrong or revoked store token")
        store = found[0]
        backlog, platforms = await self.run(
            lambda c: (page.backlog_of(c, store.id), stores.platforms_of(c, store.id))
        )
        return web.json_response(
            {
                "store": store.name,
                "backlog": backlog,
                "platforms": [{"platform": p, "store_key": k} for p, k in platforms],
            }
        )

    async def _batch(self, request: web.Request) -> web.Response:
        found = await self._store_of(request)
        if found is None:
            return _error(401, "unauthorised", "missing or wrong bearer token")
        batch = read_batch(await request.read())
        if isinstance(batch, web.Response):
            return batch
        store_id, rows = batch
        if store_id != found[0].name:  # a store writes only its own uploads
            return _error(403, "forbidden", "this token uploads for another store")
        try:
            accepted, rejected = await self.run_session(lambda s: store_batch(s, store_id, rows))
        except SQLAlchemyError as exc:
            log.warning("batch not stored: %s", exc)
            return _error(503, "busy", "the batch could not be stored; send it again")
        return web.json_response({"accepted": accepted, "rejected": rejected})

    async def _health(self, request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(self.run(lambda c: c.execute(text("SELECT 1")).scalar()), 2.0)
        except (SQLAlchemyError, TimeoutError):
            return web.json_response({"status": "error", "database": "error"}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})


def client_address(request: web.Request) -> str:
    """Who is asking: the peer's address, or behind a reverse proxy on this machine (a loopback peer) the
    proxy's ``X-Real-IP``, which the proxy sets itself (README: ``proxy_set_header X-Real-IP $remote_addr``)."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Real-IP", "").strip()
    if forwarded and _loopback(peer):
        return forwarded[:64]
    return peer[:64] or "unknown"


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _newer_pushes(conn: Connection, since: int) -> list[Any]:
    return list(
        conn.execute(
            select(t.pushes.c.id, t.pushes.c.store_id).where(t.pushes.c.id > since).order_by(t.pushes.c.id)
        )
    )


def _reply(reply: WebhookReply) -> web.Response:
    return web.Response(status=reply.status, body=reply.body, content_type=reply.content_type.split(";")[0])


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)
