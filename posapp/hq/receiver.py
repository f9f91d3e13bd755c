"""The reference head-office receiver (aiohttp): POST /v1/batches stores each change once, in order.

Implements docs/upload-api.yaml. A batch is applied in one database transaction, row by row in the
order sent; a row already stored (same store and idempotency key) is answered "accepted" again and
only counted. Failure injection (random 503s, answers that hang past the client's timeout, a fixed
delay) lets tests and drills exercise the counter's retries on the real wire.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from posapp.hq.models import HqBatch, HqChange, HqOrder, create_engine

log = logging.getLogger(__name__)

BATCH_PATH = "/v1/batches"
MAX_ROWS = 1000
STATUSES = {"new", "accepted", "preparing", "ready", "completed", "rejected", "cancelled"}

# Extra rule for drills and tests: returns a reason to reject the row, or None.
RejectRule = Callable[[dict[str, Any]], str | None]


@dataclass
class Faults:
    """Injected failures: ``fail_rate`` answers 503 before storing; ``timeout_rate`` stores and then hangs
    ``hang`` seconds (the client times out and resends); ``delay`` waits after storing, every time."""

    fail_rate: float = 0.0
    timeout_rate: float = 0.0
    hang: float = 30.0
    delay: float = 0.0
    rng: random.Random = field(default_factory=random.Random)


ACTIONS = {"accept", "reject", "start", "ready", "complete", "cancel", "recall", None}
MAX_ID = 2**31 - 1  # sequence and order_id fit a 32-bit INTEGER column on every database


def _text_problem(
    value: Any, name: str, *, max_len: int, min_len: int = 0, nullable: bool = False
) -> str | None:
    """Why ``value`` is not a storable string of ``min_len``..``max_len`` characters (None if it is)."""
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not min_len <= len(value) <= max_len:
        return f"{name} must be a string of {min_len} to {max_len} characters"
    if "\x00" in value:
        return f"{name} holds a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{name} is not valid Unicode (a lone surrogate)"
    return None


def _int_problem(value: Any, name: str, *, low: int, high: int) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return f"{name} must be an integer from {low} to {high}"
    return None


def _time_problem(value: Any, name: str) -> str | None:
    try:
        if isinstance(value, str) and len(value) <= 40 and datetime.fromisoformat(value).tzinfo is not None:
            return None
    except ValueError:
        pass
    return f"{name} must be an ISO 8601 time with offset"


def validate_row(row: Any) -> str | None:
    """Why ``row`` cannot be stored, or None: every check of the contract's Row schema (docs/upload-api.yaml),
    and the column sizes behind them, so a row head office cannot keep is rejected with a reason, never a 500."""
    if not isinstance(row, dict):
        return "row is not an object"
    problem = _text_problem(row.get("key"), "key", min_len=1, max_len=128) or _int_problem(
        row.get("sequence"), "sequence", low=1, high=MAX_ID
    )
    if problem is None and row.get("order_id") is not None:
        problem = _int_problem(row.get("order_id"), "order_id", low=0, high=MAX_ID)
    order, change = row.get("order"), row.get("change")
    if problem is not None:
        return problem
    if not isinstance(order, dict):
        return "order must be an object"
    if not isinstance(change, dict):
        return "change must be an object"
    return _order_problem(order) or _change_problem(change) or _unicode_problem(row)


def _order_problem(order: dict[str, Any]) -> str | None:
    for name, size in (("platform", 32), ("external_id", 128), ("display_id", 128)):
        problem = _text_problem(order.get(name), f"order.{name}", min_len=name != "display_id", max_len=size)
        if problem is not None:
            return problem
    if order.get("status") not in STATUSES:
        return f"order.status {order.get('status')!r} is not a known status"
    currency = order.get("currency")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isascii() and currency.isupper()):
        return f"order.currency {currency!r} is not an ISO 4217 code"
    if "placed_at" in order and _time_problem(order["placed_at"], "order.placed_at"):
        return "order.placed_at must be an ISO 8601 time with offset"
    totals = order.get("totals")
    if not isinstance(totals, dict):
        return "order.totals must be an object"
    for name in ("subtotal", "total"):
        if not isinstance(totals.get(name), int) or isinstance(totals.get(name), bool):
            return f"order.totals.{name} must be an integer of minor units"
    items = order.get("items")
    if not isinstance(items, list):
        return "order.items must be a list"
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return f"order.items[{n}].name is missing"
        for name in ("quantity", "unit_price"):
            if not isinstance(item.get(name), int) or isinstance(item.get(name), bool):
                return f"order.items[{n}].{name} must be an integer"
    return None


def _change_problem(change: dict[str, Any]) -> str | None:
    problem = (
        _text_problem(change.get("event"), "change.event", min_len=1, max_len=32)
        or _text_problem(change.get("by"), "change.by", max_len=64)
        or _time_problem(change.get("at"), "change.at")
        or _text_problem(change.get("from"), "change.from", max_len=16, nullable=True)
        or _text_problem(change.get("to"), "change.to", max_len=16, nullable=True)
        or _text_problem(change.get("reason"), "change.reason", max_len=10_000, nullable=True)
    )
    if problem is None and change.get("action") not in ACTIONS:
        problem = f"change.action {change.get('action')!r} is not a known action"
    return problem


def _unicode_problem(row: dict[str, Any]) -> str | None:
    try:
        json.dumps(row, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "the row holds text that is not valid Unicode (a lone surrogate)"
    except (ValueError, TypeError, RecursionError):
        return "the row cannot be written as JSON"
    return None


def store_batch(
    session: Session, store_id: str, rows: list[Any], reject: RejectRule | None = None
) -> tuple[list[str], list[dict[str, str]]]:
    """Apply ``rows`` in order in ``session``'s transaction; returns (accepted keys, rejected rows).
    Shared by ``posapp hq-receiver`` and the hub's upload endpoint."""
    now = datetime.now(UTC)
    accepted: list[str] = []
    rejected: list[dict[str, str]] = []
    valid: list[dict[str, Any]] = []
    for row in rows:
        reason = validate_row(row) or (reject(row) if reject else None)
        if reason is None:
            valid.append(row)
        else:
            key = row.get("key") if isinstance(row, dict) else None
            rejected.append({"key": str(key), "reason": reason})
    batch = HqBatch(store_id=store_id, received_at=now, rows=len(rows), new_rows=0, rejected=len(rejected))
    session.add(batch)
    session.flush()
    # One query each for the keys and the orders the batch touches, not one per row.
    known = {
        c.key: c
        for c in session.scalars(
            select(HqChange).where(HqChange.store_id == store_id, HqChange.key.in_({r["key"] for r in valid}))
        )
    }
    snapshots = {
        (o.platform, o.external_id): o
        for o in session.scalars(
            select(HqOrder).where(
                HqOrder.store_id == store_id,
                HqOrder.external_id.in_({r["order"]["external_id"] for r in valid}),
            )
        )
    }
    new_changes: list[dict[str, Any]] = []
    for row in valid:
        key, order, change = row["key"], row["order"], row["change"]
        accepted.append(key)
        if key in known:
            known[key].receipts += 1
            continue
        known[key] = HqChange(key=key, receipts=1)  # the same key twice in one batch: stored once
        order_json = json.dumps(order, ensure_ascii=False, sort_keys=True)
        new_changes.append(
            {
                "store_id": store_id,
                "key": key,
                "sequence": row["sequence"],
                "local_order_id": row.get("order_id"),
                "platform": order["platform"],
                "external_id": order["external_id"],
                "event": change["event"],
                "action": change.get("action"),
                "from_status": change.get("from"),
                "to_status": change.get("to"),
                "by": change.get("by"),
                "at": change["at"],
                "reason": change.get("reason"),
                "order_json": order_json,
                "batch_id": batch.id,
                "received_at": now,
                "receipts": 1,
            }
        )
        ref = (order["platform"], order["external_id"])
        snapshot = snapshots.get(ref)
        if snapshot is None:
            snapshot = HqOrder(
                store_id=store_id,
                platform=ref[0],
                external_id=ref[1],
                status=order["status"],
                last_sequence=row["sequence"],
                order_json=order_json,
                updated_at=now,
            )
            session.add(snapshot)
            snapshots[ref] = snapshot
        elif row["sequence"] > snapshot.last_sequence:
            snapshot.status = order["status"]
            snapshot.last_sequence = row["sequence"]
            snapshot.order_json = order_json
            snapshot.updated_at = now
    if new_changes:
        # executemany in the order sent: ids grow in the order the rows were applied.
        session.execute(insert(HqChange), new_changes)
    batch.new_rows = len(new_changes)
    return accepted, rejected


def read_batch(raw: bytes, max_rows: int = MAX_ROWS) -> tuple[str, list[Any]] | web.Response:
    """The store id and rows of a batch body, or the error answer for it."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_request", "the body is not JSON")
    if not isinstance(body, dict) or _text_problem(body.get("store_id"), "store_id", min_len=1, max_len=64):
        return _error(400, "bad_request", "store_id must be a string of 1 to 64 characters")
    if set(body) - {"version", "store_id", "rows"}:
        return _error(400, "bad_request", "only version, store_id and rows belong in a batch")
    if "version" in body and body["version"] != "1":
        return _error(400, "bad_request", 'version must be "1"')
    rows = body.get("rows")
    if not isinstance(rows, list):
        return _error(400, "bad_request", "rows must be a list")
    if len(rows) > max_rows:
        return _error(413, "too_large", f"at most {max_rows} rows per batch")
    for n, row in enumerate(rows):
        if not isinstance(row, dict):  # not even a row: the sender is not a counter speaking this contract
            return _error(400, "bad_request", f"rows[{n}] is not an object")
    return body["store_id"], rows


class Receiver:
    """The app and its database; ``start``/``stop`` serve it on a port of the running loop."""

    def __init__(
        self,
        db_url: str,
        token: str,
        *,
        faults: Faults | None = None,
        reject: RejectRule | None = None,
        max_rows: int = MAX_ROWS,
    ) -> None:
        if not token:
            raise ValueError("the receiver needs a bearer token")
        self.engine = create_engine(db_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.token = token
        self.faults = faults or Faults()
        self.reject = reject
        self.max_rows = max_rows
        # One writer thread: batches are applied one after another, in arrival order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hq-db")
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.requests = 0
        self.hangs = 0  # answers held past the client's timeout by fault injection

    # -- HTTP ----------------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(BATCH_PATH, self._post_batch)
        app.router.add_get("/v1/health", self._health)
        return app

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), self.token.encode())

    async def _post_batch(self, request: web.Request) -> web.Response:
        self.requests += 1
        if not self._authorised(request):
            return _error(401, "unauthorised", "missing or wrong bearer token")
        faults = self.faults
        if faults.fail_rate and faults.rng.random() < faults.fail_rate:
            return _error(503, "unavailable", "injected failure")
        hang = bool(faults.timeout_rate) and faults.rng.random() < faults.timeout_rate
        batch = read_batch(await request.read(), self.max_rows)
        if isinstance(batch, web.Response):
            return batch
        store_id, rows = batch
        loop = asyncio.get_running_loop()
        try:
            accepted, rejected = await loop.run_in_executor(self._executor, self._store, store_id, rows)
        except (IntegrityError, OperationalError) as exc:  # a concurrent writer won a race: try again
            log.warning("batch not stored: %s", exc)
            return _error(503, "busy", "the batch could not be stored; send it again")
        if hang:
            self.hangs += 1
            await asyncio.sleep(faults.hang)
        if faults.delay:
            await asyncio.sleep(faults.delay)
        return web.json_response({"accepted": accepted, "rejected": rejected})

    # -- storage -----------------------------------------------------------------------------------
    def _store(self, store_id: str, rows: list[Any]) -> tuple[list[str], list[dict[str, str]]]:
        """Apply ``rows`` in order in one transaction; returns (accepted keys, rejected rows)."""
        with self.sessions.begin() as session:
            return store_batch(session, store_id, rows, self.reject)

    # -- serving -----------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Serve on ``host:port`` (0: any free port); returns the bound port."""
        # A short shutdown grace: an injected hang must not hold up stopping.
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BATCH_PATH}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)
