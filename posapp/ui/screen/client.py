"""The screen API's client side, without Qt: pairing, snapshot, the reconnecting change feed and commands.

Every call speaks docs/screen-api.md over aiohttp. Errors are a small hierarchy whose ``str`` is safe to show
to staff; the token never appears in one, nor in a log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiohttp

from posapp.errors import PosappError

log = logging.getLogger(__name__)

ACTIONS = ("accept", "reject", "start", "ready", "complete", "cancel", "recall", "undo", "bump", "unbump")
WireOrder = dict[str, Any]


class EngineError(PosappError):
    """The engine answered something a screen cannot use, or did not answer."""


class EngineUnreachable(EngineError):
    """No answer from the engine: it is down, or the network between is."""


class Unauthorised(EngineError):
    """The engine refused this screen's token (missing, wrong or revoked): the screen must be paired again."""


class BadCode(EngineError):
    """The pairing code is wrong, used or expired."""


class NotFound(EngineError):
    """The order the command names does not exist."""


class Stale(EngineError):
    """Someone else changed the order first (409): nothing was applied; ``order`` is how it is now."""

    def __init__(self, message: str, order: WireOrder) -> None:
        super().__init__(message)
        self.order = order


class Refused(EngineError):
    """The lifecycle does not allow that action now (422); ``order`` is how it is now."""

    def __init__(self, message: str, order: WireOrder | None) -> None:
        super().__init__(message)
        self.order = order


class LinkState(StrEnum):
    UP = "up"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class Pairing:
    token: str = ""
    screen_id: int = 0

    def __repr__(self) -> str:  # a pairing printed by accident must not show the token
        return f"Pairing(screen_id={self.screen_id})"


@dataclass(frozen=True, slots=True)
class Snapshot:
    cursor: int
    orders: list[WireOrder]
    store_name: str = ""  # the engine's store.name (a pickup board's title); "" from an older engine


@dataclass(frozen=True, slots=True)
class Frame:
    """One order as it is after a change, and that change's cursor."""

    cursor: int
    order: WireOrder


class EngineClient:
    """One screen's connection to one engine. ``cursor`` is the last change it has seen."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        lost_after: float = 2.0,
        backoff: tuple[float, float] = (0.2, 2.0),
        request_timeout: float = 5.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.lost_after = lost_after
        self.backoff = backoff
        self.request_timeout = request_timeout
        self.cursor = 0
        self.link = LinkState.LOST
        self.link_listeners: list[Callable[[LinkState], None]] = []
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"EngineClient({self.base_url!r}, link={self.link.value})"

    @property
    def paired(self) -> bool:
        return bool(self._token)

    # -- plumbing --------------------------------------------------------------------------------
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # No total timeout on the session: it would also end the feed's long-lived WebSocket.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.request_timeout)
            )
        return self._session

    def _auth(self) -> dict[str, str]:
        if not self._token:
            raise Unauthorised("This screen is not paired: it has no token.")
        return {"Authorization": f"Bearer {self._token}"}

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _set_link(self, state: LinkState) -> None:
        if state is self.link:
            return
        self.link = state
        log.info("link to the engine at %s: %s", self.base_url, state.value)
        for listener in list(self.link_listeners):
            listener(state)

    async def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """(status, parsed JSON body or None); ``EngineUnreachable`` when there is no answer."""
        headers = {} if path == "/api/pair" else self._auth()
        try:
            async with self._http().request(
                method,
                self.base_url + path,
                json=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.request_timeout),
            ) as resp:
                text = await resp.text()
                try:
                    data = json.loads(text) if text else None
                except ValueError:
                    data = None
                return resp.status, data
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise EngineUnreachable(
                f"Cannot reach the engine at {self.base_url} ({type(exc).__name__})."
            ) from None

    # -- the API ---------------------------------------------------------------------------------
    async def pair(self, code: str, name: str, station: str | None) -> Pairing:
        """Trade a pairing code for a token; this client uses the token from then on."""
        status, data = await self._request(
            "POST", "/api/pair", {"code": code, "name": name, "station": station}
        )
        if status == 403:
            raise BadCode(
                "The engine refused the pairing code: it is wrong, used or expired. Ask a manager for a new one."
            )
        if status != 200 or not isinstance(data, dict) or not isinstance(data.get("token"), str):
            raise EngineError(_unexpected("pairing", status, data))
        self._token = data["token"]
        return Pairing(token=data["token"], screen_id=int(data.get("screen_id") or 0))

    async def first_snapshot(self, waiting: Callable[[EngineError], None]) -> Snapshot:
        """The snapshot, asked for again after growing pauses (``backoff``) until the engine answers; ``waiting``
        hears each failed try (the screen says it is retrying). A refused token is raised at once."""
        delay, longest = self.backoff
        while True:
            try:
                return await self.snapshot()
            except Unauthorised:
                raise
            except EngineError as exc:
                log.warning("no snapshot yet: %s", exc)
                waiting(exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)

    async def snapshot(self) -> Snapshot:
        """Every open order and the cursor of the latest change at that moment."""
        status, data = await self._request("GET", "/api/snapshot")
        _raise_for_auth(status)
        if status != 200 or not isinstance(data, dict) or not isinstance(data.get("orders"), list):
            raise EngineError(_unexpected("the snapshot", status, data))
        cursor = int(data.get("cursor") or 0)
        self.cursor = max(self.cursor, cursor)
        store = data.get("store")
        name = store.get("name") if isinstance(store, dict) else None
        orders = [o for o in data["orders"] if isinstance(o, dict)]
        return Snapshot(cursor, orders, name[:80] if isinstance(name, str) else "")

    async def command(
        self,
        order_id: int,
        action: str,
        version: int,
        actor: str,
        reason: str | None = None,
        *,
        station: str | None = None,
    ) -> WireOrder:
        """Apply ``action`` to the order as it was at ``version``; the order as it is now when applied.

        ``bump`` and ``unbump`` name the ``station`` whose part of the order is done (or not)."""
        body: dict[str, Any] = {
            "order_id": order_id,
            "action": action,
            "version": version,
            "actor": actor,
            "reason": reason,
        }
        if station is not None:
            body["station"] = station
        status, data = await self._request("POST", "/api/commands", body)
        _raise_for_auth(status)
        data = data if isinstance(data, dict) else {}
        message = str(data.get("message") or "")
        order = data.get("order") if isinstance(data.get("order"), dict) else None
        if status == 200 and order is not None:
            return order
        if status == 409 and order is not None:
            raise Stale(message or "The order was changed on another screen.", order)
        if status == 422:
            raise Refused(message or f"The engine refused to {action} this order now.", order)
        if status == 404:
            raise NotFound(message or f"The engine has no order {order_id}.")
        raise EngineError(_unexpected(f"the {action} command", status, data))

    async def feed(self, cursor: int | None = None) -> AsyncGenerator[Frame, None]:
        """Every change after ``cursor`` (default: the last one seen), then each new one, forever.

        A link that drops or stays silent for ``lost_after`` seconds is marked lost and reopened from the last
        cursor seen, after 0.2 s, then up to 2 s between tries; ``Unauthorised`` ends the feed. A caller that
        leaves early closes it (``contextlib.aclosing``) so its socket closes at once.
        """
        if cursor is not None:
            self.cursor = cursor
        try:
            async with contextlib.aclosing(self._follow()) as frames:
                async for frame in frames:
                    yield frame
        finally:
            self._set_link(LinkState.LOST)  # nobody listens any more

    async def _follow(self) -> AsyncGenerator[Frame, None]:
        delay = self.backoff[0]
        while True:
            try:
                async with self._http().ws_connect(
                    self.base_url.replace("http", "ws", 1) + "/api/feed",
                    params={"cursor": str(self.cursor)},
                    headers=self._auth(),
                    timeout=aiohttp.ClientWSTimeout(ws_close=1.0),
                    autoping=True,
                ) as ws:
                    self._set_link(LinkState.UP)
                    delay = self.backoff[0]
                    async with contextlib.aclosing(self._frames(ws)) as frames:
                        async for frame in frames:
                            yield frame
            except aiohttp.WSServerHandshakeError as exc:
                if exc.status == 401:
                    self._set_link(LinkState.LOST)
                    raise Unauthorised(
                        "The engine refused this screen's token: pair it again with a new code."
                    ) from None
                log.warning("the engine refused the feed: HTTP %s", exc.status)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.debug("feed link down: %s", type(exc).__name__)
            self._set_link(LinkState.LOST)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.backoff[1])

    async def _frames(self, ws: aiohttp.ClientWebSocketResponse) -> AsyncGenerator[Frame, None]:
        """The order frames of one connection; returns when it closes or stays silent too long."""
        while True:
            try:
                msg = await ws.receive(timeout=self.lost_after)
            except TimeoutError:
                log.warning("no word from the engine for %.0f s", self.lost_after)
                return
            if msg.type is not aiohttp.WSMsgType.TEXT:
                return  # closed, closing or an error: reconnect
            frame = _parse_frame(msg.data)
            if frame is None:
                continue
            # Only order frames move the cursor: a ping's cursor could name a change whose frame is still
            # on its way, and resuming from an older cursor costs a repeat, never a miss.
            self.cursor = max(self.cursor, frame.cursor)
            yield frame


def _parse_frame(text: str) -> Frame | None:
    try:
        data = json.loads(text)
    except ValueError:
        log.warning("feed frame is not JSON; skipped")
        return None
    if not isinstance(data, dict) or data.get("type") != "order":
        return None
    order, cursor = data.get("order"), data.get("cursor")
    if not isinstance(order, dict) or not isinstance(cursor, int):
        log.warning("order frame without an order or a cursor; skipped")
        return None
    return Frame(cursor, order)


def _raise_for_auth(status: int) -> None:
    if status == 401:
        raise Unauthorised("The engine refused this screen's token: pair it again with a new code.")


def _unexpected(what: str, status: int, data: Any) -> str:
    message = data.get("message") if isinstance(data, dict) else None
    return f"The engine answered {what} with HTTP {status}" + (f": {message}" if message else ".")
