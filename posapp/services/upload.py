"""Head-office upload: every order change is an outbox row, sent in batches by one JobWorker.

The rows are planned by a change hook inside the transaction of the change (transactional outbox). The
worker sends them in id order over httpx (contract: docs/upload-api.yaml); a row of an order never
overtakes an earlier row of the same order (one lane per order). Accepted rows are done, rejected rows
are parked with the receiver's reason, a 5xx or timeout retries with full-jitter backoff, and a refused
token (401/403) halts the worker until the token is replaced.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from posapp.domain.order import Order
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub
from posapp.services.planner import ChangeFacts, JobPlanner, JobSpec
from posapp.services.worker import JobWorker, Outcome, WorkerHalted
from posapp.store.db import Database
from posapp.store.jobs import Job
from posapp.store.randomness import uuid4

if TYPE_CHECKING:
    from posapp.config import SyncSettings

log = logging.getLogger(__name__)

UPLOAD_KIND = "upload"
HQ_TARGET = "hq"
NOTICE_SOURCE = "upload"
TOKEN_REFUSED = "Head office refused the upload token — ask your manager to update it in Settings"
API_VERSION = "1"

# Reads the bearer token (from the keyring); blocking, so it is called off the event loop.
TokenSource = Callable[[], str | None]


class Uploader:
    """Plans upload rows and drains them to head office; ``start``/``stop`` own its asyncio tasks."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        *,
        endpoint: str,
        store_id: str,
        token_source: TokenSource,
        token_name: str = "hq-upload-token",
        enabled: bool = True,
        batch_size: int = 100,
        retention: timedelta = timedelta(days=7),
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        clock: Clock = utc_now,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        idle_poll: float = 1.0,
        maintenance_interval: float = 30.0,
        prune_interval: float = 3600.0,
    ) -> None:
        self.db = db
        self.endpoint = endpoint
        self.store_id = store_id
        self.token_source = token_source
        self.token_name = token_name
        self.clock = clock
        self.maintenance_interval = maintenance_interval
        # Short timeouts: a dead link is noticed in seconds; TLS verification stays on (httpx default).
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), verify=True
        )
        self._own_client = client is None
        self.worker = JobWorker(
            db,
            hub,
            UPLOAD_KIND,
            self.handle,
            name=NOTICE_SOURCE,
            clock=clock,
            batch_size=batch_size,
            base_delay=base_delay,
            max_delay=max_delay,
            idle_poll=idle_poll,
            batched=True,
            keep_done=retention,  # rows head office confirmed are deleted after the retention
            prune_interval=prune_interval,
        )
        self.worker.enabled = enabled
        self._token: str | None = None
        self._refused_token: str | None = None
        self._maintenance: asyncio.Task[None] | None = None
        self._warm: asyncio.Future[None] | None = None

    @classmethod
    def from_settings(
        cls, db: Database, hub: Hub, sync: SyncSettings, token_source: TokenSource, **overrides: Any
    ) -> Uploader:
        """An uploader for the ``[sync]`` settings; ``overrides`` tune timing (tests, benchmarks)."""
        options: dict[str, Any] = {
            "endpoint": sync.endpoint,
            "store_id": sync.store_id,
            "token_source": token_source,
            "token_name": sync.token_ref,
            "enabled": sync.enabled,
            "batch_size": sync.batch_size,
            "retention": timedelta(days=sync.retention_days),
            "timeout": sync.timeout_seconds,
        }
        options.update(overrides)
        return cls(db, hub, **options)

    # -- planning (inside the change's transaction) -----------------------------------------------
    def register(self, planner: JobPlanner) -> None:
        planner.add_change_hook(self.plan_upload)

    def plan_upload(self, order: Order, change: ChangeFacts) -> list[JobSpec]:
        """Change hook: one upload row carrying the whole order as it now is, and what changed."""
        if order.id is None:
            return []
        payload: dict[str, Any] = {
            "key": str(uuid4()),  # idempotency key: survives a re-created database, unlike an id
            "order_id": order.id,
            "order": order.to_canonical(),
            "change": change.to_json(),
        }
        return [(UPLOAD_KIND, HQ_TARGET, f"hq:{order.id}", payload)]

    # -- sending -------------------------------------------------------------------------------------
    def build_request(self, jobs: list[Job]) -> dict[str, Any]:
        """The POST body of docs/upload-api.yaml for ``jobs`` (already in id order)."""
        return {
            "version": API_VERSION,
            "store_id": self.store_id,
            "rows": [
                {
                    "key": job.payload["key"],
                    "sequence": job.id,
                    "order_id": job.payload["order_id"],
                    "order": job.payload["order"],
                    "change": job.payload["change"],
                }
                for job in jobs
            ],
        }

    async def _bearer(self) -> str:
        if self._token is None:
            try:
                token = await asyncio.to_thread(self.token_source)
            except Exception as exc:  # no keyring on this machine: a person has to act
                raise WorkerHalted(str(exc)) from exc
            if not token:
                raise WorkerHalted(
                    f"No head-office upload token in the keyring: ask your manager to set "
                    f"'{self.token_name}' in Settings"
                )
            self._token = token
        return self._token

    async def handle(self, jobs: list[Job]) -> Outcome:
        """JobWorker handler: POST one batch; map the receiver's answer row by row."""
        if self._warm is not None:
            await asyncio.gather(self._warm, return_exceptions=True)
            self._warm = None
        token = await self._bearer()
        body = json.dumps(self.build_request(jobs), ensure_ascii=False, separators=(",", ":")).encode()
        all_ids = [j.id for j in jobs]
        try:
            response = await self.client.post(
                self.endpoint,
                content=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"{self.store_id}:{jobs[0].payload['key']}",
                },
            )
        except httpx.TimeoutException:
            return _retry(all_ids, "Head office did not answer in time")
        except httpx.TransportError as exc:
            return _retry(all_ids, f"Head office unreachable ({type(exc).__name__})")
        code = response.status_code
        if code in (401, 403):
            self._refused_token, self._token = token, None
            raise WorkerHalted(TOKEN_REFUSED)
        if code != 200:
            text = response.text.strip().replace("\n", " ")[:200]
            if code in (408, 429) or code >= 500:
                return _retry(all_ids, f"Head office busy: HTTP {code}")
            return _retry(all_ids, f"Head office refused the batch: HTTP {code} {text}".strip())
        try:
            answer = response.json()
            accepted = {str(k) for k in answer.get("accepted", [])}
            rejected = {str(r["key"]): str(r.get("reason") or "rejected") for r in answer.get("rejected", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            return _retry(all_ids, "Head office sent an answer that is not the upload contract")
        outcome = Outcome()
        for job in jobs:
            key = job.payload["key"]
            if key in accepted:
                outcome.done.append(job.id)
            elif key in rejected:
                outcome.parked[job.id] = f"Head office rejected this change: {rejected[key]}"
            else:
                outcome.retry[job.id] = "Head office did not confirm this change"
        return outcome

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._warm is None:
            self._warm = asyncio.ensure_future(asyncio.to_thread(_load_transport))
        self.worker.start()
        if self._maintenance is None or self._maintenance.done():
            self._maintenance = asyncio.get_running_loop().create_task(
                self._maintain(), name="upload-maintenance"
            )

    async def stop(self) -> None:
        await self.worker.stop()
        if self._maintenance is not None:
            self._maintenance.cancel()
            await asyncio.gather(self._maintenance, return_exceptions=True)
            self._maintenance = None
        if self._own_client:
            await self.client.aclose()

    def kick(self) -> None:
        self.worker.kick()

    async def configure(self, sync: SyncSettings, token_source: TokenSource) -> None:
        """New ``[sync]`` settings while it runs (Shop setup, a config import): the next batch goes to the new
        address as the new store, with the token read again; queued rows stay queued and are sent there."""
        self.endpoint, self.store_id = sync.endpoint, sync.store_id
        self.token_source, self.token_name = token_source, sync.token_ref
        self.worker.batch_size = sync.batch_size
        self.worker.keep_done = timedelta(days=sync.retention_days)
        if self._own_client:
            timeout = sync.timeout_seconds
            self.client.timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._token = None
        await self.set_enabled(sync.enabled and sync.configured)
        if self.worker.halted is not None:  # halted on the old token or address: try the new ones
            self.resume()
        self.kick()

    async def set_enabled(self, enabled: bool) -> None:
        """Sync off: rows keep queueing, nothing is sent. Sync on: the backlog drains."""
        await self.worker.set_enabled(enabled)

    def resume(self) -> None:
        """After the manager replaced the token: read it again and send."""
        self._token = None
        self.worker.resume()

    async def prune_once(self) -> int:
        """Delete rows head office confirmed longer than the retention ago; orders stay."""
        return await self.worker.prune_once()

    async def _check_new_token(self) -> None:
        """While halted: resume as soon as the keyring holds a token other than the refused one."""
        try:
            token = await asyncio.to_thread(self.token_source)
        except Exception as exc:  # no keyring: the halt message already says so
            log.debug("token check: %s", exc)
            return
        if token and token != self._refused_token:
            log.info("a new upload token is in the keyring: resuming")
            self.resume()

    async def _maintain(self) -> None:
        """After a refused token, resume once the keyring has a new one (the worker prunes sent rows)."""
        while True:
            try:
                if self.worker.halted is not None:
                    await self._check_new_token()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("upload maintenance failed")
            await asyncio.sleep(self.maintenance_interval)


def _load_transport() -> None:
    """httpx loads its asyncio transport (anyio's backend) on the first request: tens of ms of imports
    that would stall the GUI loop mid-drain. Load it on a worker thread before the first batch."""
    try:
        importlib.import_module("anyio._backends._asyncio")
    except ImportError:  # another httpx transport: nothing to warm
        pass


def _retry(ids: list[int], error: str) -> Outcome:
    return Outcome(retry={i: error for i in ids})


def describe_state(
    data: dict[str, Any], tz: tzinfo, say: Callable[[str], str] = lambda text: text
) -> tuple[str, str]:
    """The status-strip sentence and level for an upload notice's data.

    "All synced", "412 changes waiting — offline since 14:02 · Head office unreachable (ConnectError)",
    "Sync off", or the manager's message when the token was refused. ``say`` puts each English sentence into
    the screen's language (the UI passes its translator; services have none).
    """
    if not data.get("enabled", True):
        return say("Sync off"), "info"
    error = data.get("last_error")
    if data.get("halted"):
        return f"✖ {say(str(error))}", "error"
    pending, parked = int(data.get("pending") or 0), int(data.get("parked") or 0)
    if not pending and not parked:
        return f"✓ {say('All synced')}", "ok"
    parts: list[str] = []
    if pending:
        text = say("1 change waiting") if pending == 1 else say("{n} changes waiting").format(n=pending)
        since = data.get("failing_since")
        if isinstance(since, datetime):
            text += say(" — offline since {time}").format(time=f"{since.astimezone(tz):%H:%M}")
        parts.append(text)
    if parked:
        parts.append(say("{n} refused by head office").format(n=parked))
    error = error or data.get("stored_error")
    if error:
        parts.append(say(str(error)))
    return " · ".join(parts), "warning"
