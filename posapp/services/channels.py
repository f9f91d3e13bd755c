"""Channels: runs the connectors — poll loops, the webhook listener, and platform pushes.

Every inbound body goes verify -> parse -> one transaction (order, or platform event) -> 2xx; a body
that does not parse is quarantined whole with its reason and answered so the platform stops resending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from posapp.connectors.base import Connector, Message, PushAction, WebhookReply
from posapp.domain.lifecycle import Action
from posapp.domain.order import Order
from posapp.domain.reasons import reason_code_for
from posapp.errors import (
    ConfigError,
    PayloadError,
    PlatformUnavailable,
    PushRejected,
    SignatureError,
    StorageError,
)
from posapp.lazy import httpx, web  # imported on first use: posapp/lazy.py
from posapp.services import health
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner, JobSpec
from posapp.services.worker import JobRejected, Outcome, WorkerHalted
from posapp.store.jobs import Job

# (gateway, headers, body) -> (status, body, content type): services/payments.py PaymentService.notice
PaymentCallback = Callable[[str, dict[str, str], bytes], Awaitable[tuple[int, bytes, str]]]
PAYMENT_NOTIFY_PATH = "/payments/{gateway}/notify"  # notify_url: https://HOST/payments/alipay/notify

log = logging.getLogger(__name__)

PUSH_KIND = "push"
_PUSHED_ACTIONS = {
    Action.ACCEPT: PushAction.ACCEPT,
    Action.REJECT: PushAction.REJECT,
    Action.READY: PushAction.READY,
    Action.CANCEL: PushAction.CANCEL,
}


class ChannelService:
    """Owns the connectors and their I/O; the UI sees only notices and order changes."""

    def __init__(
        self,
        intake: IntakeService,
        hub: Hub,
        connectors: Iterable[Connector],
        *,
        poll_interval: float = 2.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.intake = intake
        self.hub = hub
        self.connectors = {c.name: c for c in connectors}
        self.poll_interval = poll_interval
        self._client = client  # made on first use: its TLS context costs ~50 ms of start-up
        self.state: dict[str, str] = {name: "starting" for name in self.connectors}
        self._tasks: list[asyncio.Task[None]] = []
        self._counting: asyncio.Task[None] | None = None  # the quarantine count being published
        self._recount = False
        self._runner: web.AppRunner | None = None
        self.listen_port: int | None = None
        # What an accept push carries besides the order (busy mode's ready time: services/busy.py).
        self.accept_extras: Callable[[Order], dict[str, Any]] = lambda _order: {}
        # The payment gateways' notifications (PaymentService.callback), served on the same listener.
        self.payment_callback: PaymentCallback | None = None
        # A verified push that is no order's (Uber Eats' report webhooks: services/payout_fetch.py) is
        # offered here first; True when it was taken.
        self.report_sink: Callable[[Connector, bytes], Awaitable[bool]] | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The HTTP client for every platform call (polls, fetches, pushes)."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=3.0))
        return self._client

    # -- inbound ---------------------------------------------------------------------------------
    async def handle_body(
        self, connector: Connector, body: bytes, *, content_type: str | None = None, key: str | None = None
    ) -> list[int]:
        """Parse one verified body and store what it carries; returns the order ids it touched.

        Whatever goes wrong short of a database that cannot be written (``StorageError``, raised so the
        platform sends the body again), the body is quarantined whole and ``PayloadError`` raised: a signed
        payload either lands or is kept for a person, it never answers 500. ``key`` names the request
        (platform message id or signed-bytes digest) so a message delivered twice is applied once.
        """
        try:
            messages = connector.parse(body, content_type=content_type)
        except PayloadError as exc:
            await self._quarantine(connector, body, str(exc), content_type)
            raise
        except Exception as exc:  # a parser bug must not lose the payload either
            log.exception("%s parser crashed", connector.name)
            reason = f"parser error: {type(exc).__name__}: {exc}"
            await self._quarantine(connector, body, reason, content_type)
            raise PayloadError(
                f"{connector.display_name or connector.name} payload could not be read"
            ) from exc
        touched: list[int] = []
        for n, message in enumerate(messages):
            try:
                touched += await self._store(message, None if key is None else f"{key}:{n}")
            except StorageError:
                raise
            except Exception as exc:
                if not isinstance(exc, PayloadError):
                    log.exception("%s: storing a message failed", connector.name)
                landed = f" ({n} of {len(messages)} messages before it landed)" if n else ""
                reason = f"could not be stored{landed}: {type(exc).__name__}: {exc}"
                await self._quarantine(connector, body, reason, content_type)
                raise PayloadError(reason) from exc
        return touched

    async def _store(self, message: Message, key: str | None) -> list[int]:
        if isinstance(message, Order):
            return [(await self.intake.ingest(message)).order_id]
        change = await self.intake.apply_event(message, key=key)
        return [change.order.id] if change is not None and change.order.id is not None else []

    async def _quarantine(
        self, connector: Connector, body: bytes, reason: str, content_type: str | None
    ) -> None:
        await self.intake.quarantine(connector.name, body, reason, content_type=content_type)
        self._notice_quarantine()

    def _notice_quarantine(self) -> None:
        """Publish the quarantine count; a flood of bad pushes runs one count at a time, not one per push."""
        if self._counting is not None and not self._counting.done():
            self._recount = True
            return

        async def publish() -> None:
            while True:
                self._recount = False
                count = await self.intake.quarantine_count()
                self.hub.notice(
                    Notice("quarantine", f"{count} payloads quarantined", "warning", {"count": count})
                )
                if not self._recount:
                    return

        self._counting = asyncio.get_running_loop().create_task(publish())

    def _set_state(self, name: str, state: str) -> None:
        if self.state.get(name) != state:
            self.state[name] = state
            level = "info" if state == "online" else "warning"
            self.hub.notice(Notice(f"platform:{name}", state, level, {"platform": name, "state": state}))

    async def poll_once(self, connector: Connector) -> int:
        bodies = await connector.poll(self.client)
        count = 0
        for body in bodies:
            try:
                key = connector.message_key(headers={}, body=body, query={})
                count += len(
                    await self.handle_body(connector, body, content_type="application/json", key=key)
                )
            except PayloadError:
                continue  # quarantined; the next body is independent
        return count

    async def _poll_loop(self, connector: Connector) -> None:
        while True:
            try:
                await self.poll_once(connector)
                self._set_state(connector.name, "online")
            except asyncio.CancelledError:
                raise
            except httpx.HTTPError as exc:
                self._set_state(connector.name, f"offline: {type(exc).__name__}")
            except Exception as exc:
                log.exception("poll of %s failed", connector.name)
                self._set_state(connector.name, f"error: {exc}")
            await asyncio.sleep(self.poll_interval)

    async def _webhook(self, connector: Connector, request: web.Request) -> web.Response:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            # Not read, so not verified: nothing is stored, but the refusal is in the log and on screen.
            log.warning(
                "%s push refused from %s: body over %d bytes (Content-Length %s)",
                connector.name,
                request.remote,
                request.app._client_max_size,
                request.content_length,
            )
            self.hub.notice(Notice("listener", f"{connector.name}: a push over 2 MB was refused", "warning"))
            return _response(connector.reply_error(413, "body too large"))
        try:
            connector.verify(headers=request.headers, body=body, query=request.query)
        except SignatureError as exc:
            # Log the reason, never the secret or the body (it may carry personal data).
            log.warning("%s push refused from %s: %s", connector.name, request.remote, exc)
            return _response(connector.reply_error(401, "invalid signature"))
        except Exception:  # a bug in a check proves nothing: refuse, and keep the traceback for us
            log.exception("%s: verifying a push from %s failed", connector.name, request.remote)
            return _response(connector.reply_error(401, "invalid signature"))
        try:
            reply = await self.take_verified(
                connector,
                body,
                headers=request.headers,
                query=request.query,
                content_type=request.content_type,
            )
        except StorageError as exc:
            log.error("%s push not stored, the platform will resend it: %s", connector.name, exc)
            return _response(connector.reply_error(503, "storage unavailable, retry later"))
        return _response(reply)

    async def take_verified(
        self,
        connector: Connector,
        body: bytes,
        *,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        content_type: str | None,
    ) -> WebhookReply:
        """A push whose signature is proven (by the listener, or by the hub that relayed it): expanded, parsed
        and stored as one order or event; the answer the platform is owed. ``StorageError`` when nothing could
        be written (the platform, or the hub, sends it again)."""
        if self.report_sink is not None:
            try:
                if await self.report_sink(connector, body):
                    return connector.reply_ok()
            except PayloadError as exc:
                await self._quarantine(connector, body, str(exc), content_type)
                return connector.reply_ok()
            except (httpx.HTTPError, OSError) as exc:
                log.warning(
                    "%s: a report could not be downloaded: %s", connector.name, exc or type(exc).__name__
                )
                return connector.reply_error(503, "report download failed, retry later")
        try:
            bodies = await connector.expand(self.client, body)
        except PayloadError as exc:
            await self._quarantine(connector, body, str(exc), content_type)
            return connector.reply_ok()
        except (httpx.HTTPError, OSError, ConfigError) as exc:
            # The order could not be fetched: answer 5xx so the platform sends the notice again.
            log.warning("%s: fetching the pushed order failed: %s", connector.name, exc or type(exc).__name__)
            self._set_state(connector.name, f"error: {exc}" if isinstance(exc, ConfigError) else "offline")
            return connector.reply_error(503, "order fetch failed, retry later")
        except Exception as exc:
            log.exception("%s: expanding a push failed", connector.name)
            await self._quarantine(
                connector, body, f"expand error: {type(exc).__name__}: {exc}", content_type
            )
            return connector.reply_ok()
        key = connector.message_key(headers=headers, body=body, query=query)
        for n, one in enumerate(bodies):
            try:
                await self.handle_body(connector, one, content_type=content_type, key=f"{key}:{n}")
            except PayloadError:
                continue  # quarantined and committed: acknowledge so the platform does not resend it
        self._set_state(connector.name, "online")
        return connector.reply_ok()

    def make_listener_app(self) -> web.Application:
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_get(health.HEALTH_PATH, health.handler(self.intake.db, lambda: self.state))
        for connector in self.connectors.values():
            if connector.webhook_path:

                async def handler(request: web.Request, c: Connector = connector) -> web.Response:
                    return await self._webhook(c, request)

                app.router.add_post(connector.webhook_path, handler)
        if self.payment_callback is not None:
            app.router.add_post(PAYMENT_NOTIFY_PATH, self._payment_notice)
        return app

    async def _payment_notice(self, request: web.Request) -> web.Response:
        """A gateway's notification: PaymentService verifies its signature over the exact bytes and answers."""
        assert self.payment_callback is not None
        body = await request.read()
        gateway = request.match_info["gateway"]
        status, text, content_type = await self.payment_callback(gateway, dict(request.headers), body)
        return web.Response(status=status, body=text, content_type=content_type)

    async def start_listener(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Serve every connector's webhook path on one listener; returns the bound port."""
        self._runner, self.listen_port = await serve(self.make_listener_app(), host, port)
        log.info("webhook listener on %s:%s", host, self.listen_port)
        return self.listen_port

    def start_polling(self) -> None:
        loop = asyncio.get_running_loop()
        for connector in self.connectors.values():
            if type(connector).poll is not Connector.poll:
                self._tasks.append(
                    loop.create_task(self._poll_loop(connector), name=f"poll-{connector.name}")
                )

    async def replace(self, connectors: Iterable[Connector]) -> None:
        """New connectors from the settings screens: polling and the listener stop here, and the engine starts
        them again for the new set (``start_listener``, ``start_polling``). Push jobs wait in the database and
        find their platform by name, so nothing queued is lost."""
        polls = [t for t in self._tasks if t is not self._counting]
        for task in polls:
            task.cancel()
        await asyncio.gather(*polls, return_exceptions=True)
        self._tasks = [t for t in self._tasks if t not in polls]
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.connectors = {c.name: c for c in connectors}
        self.state = {name: "starting" for name in self.connectors}

    async def stop(self) -> None:
        if self._counting is not None:
            self._tasks.append(self._counting)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._client is not None:
            await self._client.aclose()

    # -- missed orders (issue 15) ------------------------------------------------------------------
    async def recover_missed(self, why: str = "") -> dict[str, int | None]:
        """Ask every platform whose API can list them for the orders it holds for us, and take them through
        the same intake (one already held stays one order). Per platform: how many orders were new to us, or
        ``None`` where its API cannot list orders; each answer goes to the status strip as a notice."""
        found: dict[str, int | None] = {}
        for connector in list(self.connectors.values()):
            found[connector.name] = await self._recover_from(connector, why)
        return found

    async def _recover_from(self, connector: Connector, why: str) -> int | None:
        label = connector.display_name or connector.name
        source, data = f"recovery:{connector.name}", {"platform": connector.name, "why": why}
        try:
            bodies = await connector.recover(self.client)
        except (
            httpx.HTTPError,
            OSError,
            PlatformUnavailable,
            PushRejected,
            ConfigError,
            PayloadError,
        ) as exc:
            log.warning("%s: asking for missed orders failed: %s", connector.name, exc)
            text = f"Could not ask {label} for missed orders: {exc or type(exc).__name__}"
            self.hub.notice(Notice(source, text, "warning", {**data, "count": None, "error": str(exc)}))
            return 0
        if bodies is None:
            return None
        created = 0
        for body in bodies:
            created += await self._recover_body(connector, body)
        if created:
            noun = "order" if created == 1 else "orders"
            text = f"Recovered {created} {noun} from {label}"
            self.hub.notice(Notice(source, text, "info", {**data, "count": created}))
            log.info("%s (%s)", text, why or "asked")
        return created

    async def _recover_body(self, connector: Connector, body: bytes) -> int:
        """One fetched body: its orders through intake (counting the ones new to us), its events applied;
        a body that does not read is quarantined like a push, and the others still land."""
        key = connector.message_key(headers={}, body=body, query={})
        try:
            messages = connector.parse(body, content_type="application/json")
        except Exception as exc:
            reason = (
                str(exc) if isinstance(exc, PayloadError) else f"parser error: {type(exc).__name__}: {exc}"
            )
            await self._quarantine(connector, body, f"recovered order: {reason}", "application/json")
            return 0
        created = 0
        for n, message in enumerate(messages):
            if isinstance(message, Order):
                created += (await self.intake.ingest(message)).created
            else:
                await self._store(message, f"{key}:{n}")
        return created

    # -- outbound --------------------------------------------------------------------------------
    def plan_pushes(self, order: Order, action: Action | None, by: str, reason: str | None) -> list[JobSpec]:
        """Planner hook: a store action on a platform order becomes a durable push job."""
        if action is None or by == order.platform:  # the platform told us; do not echo it back
            return []
        push = _PUSHED_ACTIONS.get(action)
        connector = self.connectors.get(order.platform)
        if push is None or connector is None:
            return []
        payload: dict[str, Any] = {
            "action": push.value,
            "external_id": order.external_id,
            "display_id": order.display_id,
            "reason": reason,
        }
        code = reason_code_for(reason)
        if code is not None:
            payload["reason_code"] = code.value
        if push is PushAction.ACCEPT:
            payload.update(self.accept_extras(order))
        return [(PUSH_KIND, order.platform, f"{order.platform}:{order.external_id}", payload)]

    async def handle_push(self, jobs: list[Job]) -> Outcome:
        """JobWorker handler: send each push; HTTP 4xx other than 408/429 parks, anything else retries."""
        outcome = Outcome()
        for job in jobs:
            connector = self.connectors.get(job.target)
            if connector is None:
                outcome.parked[job.id] = f"no connector for {job.target}"
                continue
            try:
                await connector.push(self.client, PushAction(job.payload["action"]), job.payload)
            except (JobRejected, PushRejected) as exc:
                outcome.parked[job.id] = str(exc)
            except PlatformUnavailable as exc:
                outcome.retry[job.id] = str(exc)
            except ConfigError as exc:  # wrong credentials: no retry helps until a person fixes them
                raise WorkerHalted(str(exc)) from exc
            except httpx.HTTPStatusError as exc:
                code = exc.response.status_code
                if 400 <= code < 500 and code not in (408, 429):
                    outcome.parked[job.id] = f"{connector.name} refused: HTTP {code}"
                else:
                    outcome.retry[job.id] = f"{connector.name}: HTTP {code}"
            except (httpx.HTTPError, OSError) as exc:
                outcome.retry[job.id] = f"{connector.name} unreachable: {type(exc).__name__}"
            else:
                outcome.done.append(job.id)
        return outcome


def register(planner: JobPlanner, channels: ChannelService) -> None:
    planner.add(channels.plan_pushes)


async def serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start ``app`` on ``host:port`` (0: a free port); the runner to stop it with, and the bound port.
    ``OSError`` when the port cannot be bound."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    server = site._server
    assert server is not None
    return runner, int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]


def _response(reply: WebhookReply) -> web.Response:
    return web.Response(status=reply.status, body=reply.body, content_type=reply.content_type.split(";")[0])
