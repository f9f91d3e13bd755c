"""The relay feed: a counter connects out (WebSocket) with its store token and is sent its own pushes.

Protocol (docs/upload-api.yaml, ``/v1/relay``): the counter opens ``GET /v1/relay?after=N`` with
``Authorization: Bearer <store token>``; ``after`` is the last push id it has committed, so everything up to it
is marked acknowledged. The hub sends ``{"type": "push", "id", "platform", "content_type", "headers",
"query", "body"}`` (body base64) for every unacknowledged push of that store, oldest first, at most ``window``
at a time; the counter answers ``{"type": "ack", "id"}`` after its own commit. A push not acknowledged within
``resend_after`` seconds, or when the link drops, is sent again — the counter's intake lands it once.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from aiohttp import WSMsgType, web
from sqlalchemy import Connection, select, update

from posapp.hub import stores
from posapp.hub import tables as t

log = logging.getLogger(__name__)
T = TypeVar("T")
Run = Callable[[Callable[[Connection], T]], Awaitable[T]]

REVOKED = 4401  # WebSocket close code: the token was revoked while connected


@dataclass(eq=False)  # compared and hashed by identity: a set of open links
class Link:
    """One counter's open feed in this process."""

    store: stores.Store
    token: str
    ws: web.WebSocketResponse
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    inflight: dict[int, float] = field(default_factory=dict)  # push id -> when sent (monotonic)
    acked: set[int] = field(default_factory=set)  # acknowledged, not yet written
    ack_ready: asyncio.Event = field(default_factory=asyncio.Event)


def push_message(row: Any) -> str:
    return json.dumps(
        {
            "type": "push",
            "id": row.id,
            "platform": row.platform,
            "content_type": row.content_type,
            "headers": json.loads(row.headers),
            "query": json.loads(row.query),
            "body": base64.b64encode(row.body).decode("ascii"),
            "received_at": row.received_at.isoformat(),
        },
        ensure_ascii=False,
    )


def unacked(conn: Connection, store_id: int, limit: int) -> list[Any]:
    return list(
        conn.execute(
            select(t.pushes)
            .where(t.pushes.c.store_id == store_id, t.pushes.c.acked_at.is_(None))
            .order_by(t.pushes.c.id)
            .limit(limit)
        )
    )


def ack(conn: Connection, store_id: int, ids: list[int], now: datetime) -> None:
    # The store id in the WHERE: a counter acknowledging another store's push id changes nothing.
    conn.execute(
        update(t.pushes)
        .where(t.pushes.c.store_id == store_id, t.pushes.c.id.in_(ids), t.pushes.c.acked_at.is_(None))
        .values(acked_at=now)
    )


def ack_through(conn: Connection, store_id: int, after: int, now: datetime) -> None:
    conn.execute(
        update(t.pushes)
        .where(t.pushes.c.store_id == store_id, t.pushes.c.id <= after, t.pushes.c.acked_at.is_(None))
        .values(acked_at=now)
    )


class Feed:
    """Every open link of this process, and the wake-ups that reach them."""

    def __init__(
        self,
        run: Run[Any],
        *,
        window: int = 100,
        resend_after: float = 30.0,
        idle_check: float = 30.0,
        heartbeat: float = 5.0,
        bookkeeping: Run[Any] | None = None,
    ) -> None:
        self.run = run  # sending pushes and writing acknowledgements
        self.bookkeep = bookkeeping or run  # a link's start and end, heartbeats: behind the pushes
        self.window = window
        self.resend_after = resend_after
        self.idle_check = idle_check  # re-read the backlog even without a wake-up (a missed notification)
        self.heartbeat = heartbeat
        self.links: dict[int, set[Link]] = {}

    def wake(self, store_id: int) -> None:
        for link in self.links.get(store_id, ()):
            link.wake.set()

    def wake_all(self) -> None:
        for links in self.links.values():
            for link in links:
                link.wake.set()

    async def serve(
        self, request: web.Request, store: stores.Store, token: str, after: int
    ) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=self.heartbeat * 2, max_msg_size=64 * 1024)
        await ws.prepare(request)
        link = Link(store, token, ws)
        self.links.setdefault(store.id, set()).add(link)
        now = datetime.now(UTC)
        up: asyncio.Future[Any] | None = None
        tasks: list[asyncio.Task[Any]] = []
        try:
            if after > 0:  # what the counter already has is not sent again: before its backlog is read
                await self.run(lambda c: ack_through(c, store.id, after, now))
            # The store's online state for the page: bookkeeping, which the link's pushes do not wait for.
            up = asyncio.ensure_future(self.bookkeep(lambda c: stores.link_up(c, store.id, now)))
            log.info("store %s connected to the relay feed (after %d)", store.name, after)
            await ws.send_json({"type": "hello", "store": store.name})
            tasks = [
                asyncio.create_task(self._send(link), name=f"feed-send-{store.name}"),
                asyncio.create_task(self._write_acks(link), name=f"feed-ack-{store.name}"),
            ]
            await self._read(link)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self._flush_acks(link)
            if up is not None:
                with contextlib.suppress(Exception):
                    await up  # online, then offline: never the other way round
            self.links[store.id].discard(link)
            if not self.links[store.id]:
                del self.links[store.id]
                gone = datetime.now(UTC)
                with contextlib.suppress(Exception):
                    await self.bookkeep(lambda c: stores.link_down(c, store.id, gone))
            log.info("store %s left the relay feed", store.name)
        return ws

    async def _read(self, link: Link) -> None:
        async for msg in link.ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(msg.data)
                push_id = data["id"] if data.get("type") == "ack" else None
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            if data.get("type") == "status":
                await self._status(link, data.get("upload_backlog"))
                continue
            if isinstance(push_id, int) and not isinstance(push_id, bool):
                link.inflight.pop(push_id, None)
                link.acked.add(push_id)
                link.ack_ready.set()

    async def _status(self, link: Link, backlog: object) -> None:
        """The counter's own figures for the office page (its upload backlog)."""
        if not isinstance(backlog, int) or isinstance(backlog, bool) or not 0 <= backlog < 2**31:
            return
        now = datetime.now(UTC)
        await self.bookkeep(
            lambda c: c.execute(
                update(t.stores)
                .where(t.stores.c.id == link.store.id)
                .values(upload_backlog=backlog, reported_at=now)
            )
        )

    async def _write_acks(self, link: Link) -> None:
        while True:
            await link.ack_ready.wait()
            link.ack_ready.clear()
            full = len(link.inflight) + len(link.acked) >= self.window
            await self._flush_acks(link)
            if full:
                link.wake.set()  # room in the window again: the backlog's next pushes

    async def _flush_acks(self, link: Link) -> None:
        if not link.acked:
            return
        ids = sorted(link.acked)
        now = datetime.now(UTC)
        await self.run(lambda c: ack(c, link.store.id, ids, now))
        link.acked.difference_update(ids)

    async def _send(self, link: Link) -> None:
        while not link.ws.closed:
            link.wake.clear()
            stale = time.monotonic() - self.resend_after
            for push_id, sent in list(link.inflight.items()):
                if sent < stale:  # not acknowledged in time: it goes out again
                    del link.inflight[push_id]
            room = self.window - len(link.inflight)
            if room > 0:
                skip = set(link.inflight) | link.acked
                limit = room + len(skip)
                rows = await self.run(partial(unacked, store_id=link.store.id, limit=limit))
                for row in rows:
                    if row.id in skip or room <= 0:
                        continue
                    await link.ws.send_str(push_message(row))
                    link.inflight[row.id] = time.monotonic()
                    room -= 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(link.wake.wait(), self._next_look(link))

    def _next_look(self, link: Link) -> float:
        """Seconds until the oldest push in flight is due again, or the idle re-read."""
        if not link.inflight:
            return self.idle_check
        due = min(link.inflight.values()) + self.resend_after - time.monotonic()
        return max(0.05, min(self.idle_check, due))

    async def keep_alive(self) -> None:
        """Every ``heartbeat``: say which stores are still linked here, and close links whose token was revoked."""
        while True:
            await asyncio.sleep(self.heartbeat)
            live = [link for links in self.links.values() for link in links]
            if not live:
                continue
            now = datetime.now(UTC)
            ids = sorted({link.store.id for link in live})

            def look(c: Connection, ids: list[int] = ids, now: datetime = now) -> dict[int, str]:
                stores.link_seen(c, ids, now)
                return stores.active_digests(c, ids)

            try:
                digests = await self.bookkeep(look)
            except Exception:
                log.exception("relay heartbeat failed")
                continue
            active = [digests.get(link.store.id) == stores.digest(link.token) for link in live]
            for link, ok in zip(live, active, strict=True):
                if not ok:
                    log.warning("store %s: token revoked, relay link closed", link.store.name)
                    await link.ws.close(code=REVOKED, message=b"token revoked")
