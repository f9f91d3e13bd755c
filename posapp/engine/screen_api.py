"""The screen API (docs/screen-api.md): pairing, a snapshot, the change feed from a cursor, versioned commands.

Every screen — the counter, a station, the expo, a pickup board — is a client of this; the engine alone writes.
The feed is read from the database (``orders.seq``), so a screen that reconnects with its last cursor gets every
order changed meanwhile, once, in its latest state; hub notifications only wake the readers up.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from posapp.domain.lifecycle import Action
from posapp.domain.order import LineItem, Order
from posapp.domain.privacy import order_for
from posapp.domain.roles import Role
from posapp.errors import Conflict, NotFoundError, TransitionError
from posapp.lazy import lazy_module, web  # aiohttp's web: imported on first use (posapp/lazy.py)
from posapp.services.channels import serve
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, OrderChange
from posapp.services.orders import OrderService
from posapp.services.stations import StationService
from posapp.store import orders as repo
from posapp.store import screens as screen_repo
from posapp.store.db import Database

if TYPE_CHECKING:
    from posapp.engine import screen_keys as keys
else:
    keys = lazy_module("posapp.engine.screen_keys")

log = logging.getLogger(__name__)

CODE_VALID = timedelta(minutes=10)
PING_EVERY = 1.0  # seconds; a screen that hears nothing for 2 s shows the link as lost
FEED_BATCH = 200
COMMANDS = {a.value for a in Action} | {"undo", "bump", "unbump"}
Station = Callable[[LineItem], str | None]


RECHECK_EVERY = 5  # pings between two looks at whether an open feed's screen has been revoked


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


Bumps = dict[str, tuple[datetime, str]]  # station -> (when it bumped the order, who)


def screen_sight(station: str | None) -> Role:
    """Whose view of a customer a paired screen gets: a station's screen (grill, fryer, expo) is the
    kitchen's — first name only, never a phone or an address; a counter screen or a board the cashier's."""
    return Role.KITCHEN if station else Role.CASHIER


def order_json(
    order: Order, station: Station | None = None, bumps: Bumps | None = None, *, sight: Role = Role.KITCHEN
) -> dict[str, Any]:
    """An order on the wire: its canonical form (the customer as ``sight`` may see them) plus id, version,
    cursor, what the platforms told us, and for each station its items go to whether it has bumped the order
    (the expo's view)."""
    data = order_for(order, sight).to_canonical()
    data.update(
        id=order.id,
        version=order.version,
        cursor=order.seq,
        reminders=order.reminders,
        rider_status=order.rider_status,
        status_reason=order.status_reason,
    )
    for item, wire in zip(order.items, data["items"], strict=True):
        wire["station"] = station(item) if station is not None else None
    done = bumps or {}
    names = dict.fromkeys([w["station"] for w in data["items"] if w["station"]] + list(done))
    data["stations"] = {
        name: {
            "done": name in done,
            "at": done[name][0].isoformat() if name in done else None,
            "by": done[name][1] if name in done else None,
        }
        for name in names
    }
    return data


def _changed_since(session: Session, cursor: int) -> list[tuple[Order, Bumps]]:
    return _with_bumps(session, repo.changed_since(session, cursor, limit=FEED_BATCH))


def _with_bumps(session: Session, orders: list[Order]) -> list[tuple[Order, Bumps]]:
    bumps = screen_repo.bumps_for(session, [o.id for o in orders if o.id is not None])
    return [(o, bumps.get(o.id or 0, {})) for o in orders]


class ScreenApi:
    """The aiohttp application screens talk to; ``station`` routes an item as the kitchen tickets do."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        orders: OrderService,
        *,
        station: Station | None = None,
        clock: Clock = utc_now,
        store_name: Callable[[], str] = lambda: "",
    ) -> None:
        self.db = db
        self.orders = orders
        self.store_name = store_name  # the snapshot's store.name: what a pickup board shows as its title
        self.stations = StationService(db, hub, clock)
        self.station = station
        self.clock = clock
        self._changed = asyncio.Event()
        self._feeds: set[web.WebSocketResponse] = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        hub.on_order(self._wake)

    # -- pairing -------------------------------------------------------------------------------------
    async def new_code(self) -> str:
        """A six-digit pairing code, valid for 10 minutes, usable once (a manager reads it to the screen)."""
        code = f"{secrets.randbelow(10**6):06d}"
        expires = self.clock() + CODE_VALID
        await self.db.run(lambda s: screen_repo.add_code(s, digest(code), expires))
        return code

    async def screens(self) -> list[screen_repo.Screen]:
        """Every paired screen, revoked ones too (the manager's list)."""
        return await self.db.run(screen_repo.all_screens)

    async def revoke(self, screen_id: int) -> bool:
        """Refuse that screen's token from now on; False when it is unknown or already revoked."""
        now = self.clock()
        return await self.db.run(lambda s: screen_repo.revoke(s, screen_id, now))

    async def _pair(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        code, name = body.get("code"), body.get("name")
        station = body.get("station")
        if not isinstance(code, str) or not isinstance(name, str) or not name.strip():
            return _error(400, "bad request", "Pairing needs a code and a name for the screen.")
        if station is not None and not isinstance(station, str):
            return _error(400, "bad request", "station is text or null.")
        token = secrets.token_urlsafe(32)
        now = self.clock()

        def work(session: Session) -> int | None:
            if not screen_repo.use_code(session, digest(code), now):
                return None
            return screen_repo.add_screen(session, name.strip()[:64], station, digest(token), now)

        screen_id = await self.db.run(work)
        if screen_id is None:
            log.warning("screen pairing refused from %s: wrong, used or expired code", request.remote)
            return _error(403, "bad code", "That pairing code is wrong, used or expired: ask for a new one.")
        log.info("screen %s paired as #%s (%s)", name, screen_id, station or "all stations")
        return web.json_response({"token": token, "screen_id": screen_id})

    # -- reading ---------------------------------------------------------------------------------------
    async def _snapshot(self, request: web.Request) -> web.Response:
        def work(session: Session) -> tuple[int, list[tuple[Order, Bumps]]]:
            return repo.latest_seq(session), _with_bumps(session, repo.open_orders(session))

        cursor, orders = await self.db.run(work)
        sight = Role(request[keys.SIGHT])
        return _json(
            {
                "cursor": cursor,
                "orders": [order_json(o, self.station, b, sight=sight) for o, b in orders],
                "store": {"name": self.store_name()},
            }
        )

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        try:
            cursor = int(request.query.get("cursor", "0"))
        except ValueError:
            return _error(400, "bad request", "cursor is a whole number.")
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._feeds.add(ws)
        reader = asyncio.get_running_loop().create_task(_drain(ws))
        pings = 0
        try:
            while not ws.closed and not reader.done():
                # Take the wake-up before reading: a change committed during the read then wakes us at once.
                woken = self._changed
                cursor = await self._send_changes(ws, cursor, Role(request[keys.SIGHT]))
                waiter = asyncio.ensure_future(woken.wait())
                # Wake on a change, on the screen going away, or after a second to ping.
                await asyncio.wait({waiter, reader}, timeout=PING_EVERY, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                if not woken.is_set() and not reader.done():
                    pings += 1
                    if pings % RECHECK_EVERY == 0 and not await self._still_paired(request[keys.TOKEN]):
                        log.info("screen %s revoked: its feed is closed", request[keys.SCREEN])
                        break  # it reconnects, is refused with 401, and says it is no longer paired
                    await ws.send_str(json.dumps({"type": "ping", "cursor": cursor}))
        except (ConnectionResetError, RuntimeError):
            pass  # the screen went away mid-send; it reconnects with its last cursor
        finally:
            reader.cancel()
            self._feeds.discard(ws)
            await ws.close()
        return ws

    async def _still_paired(self, token_hash: str) -> bool:
        return await self.db.run(lambda s: screen_repo.screen_for(s, token_hash)) is not None

    async def _send_changes(self, ws: web.WebSocketResponse, cursor: int, sight: Role) -> int:
        while True:
            changed = await self.db.run(partial(_changed_since, cursor=cursor))
            for order, bumps in changed:
                frame = {
                    "type": "order",
                    "cursor": order.seq,
                    "order": order_json(order, self.station, bumps, sight=sight),
                }
                await ws.send_str(json.dumps(frame, ensure_ascii=False))
                cursor = order.seq
            if len(changed) < FEED_BATCH:
                return cursor

    def _wake(self, _change: OrderChange) -> None:
        """A change committed: wake every feed (they read what changed from the database)."""
        woken, self._changed = self._changed, asyncio.Event()
        woken.set()

    # -- commands ------------------------------------------------------------------------------------
    async def _command(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        order_id, action, version = body.get("order_id"), body.get("action"), body.get("version")
        reason, actor = body.get("reason"), body.get("actor")
        if not (_whole(order_id) and _whole(version) and action in COMMANDS):
            return _error(400, "bad request", "A command needs order_id, version and a known action.")
        assert isinstance(order_id, int) and isinstance(version, int)
        if reason is not None and not isinstance(reason, str):
            return _error(400, "bad request", "reason is text or null.")
        station = body.get("station")
        if action in ("bump", "unbump") and not (isinstance(station, str) and station.strip()):
            return _error(400, "bad request", "bump and unbump name the station.")
        station = str(station or "").strip()
        by = actor.strip()[:64] if isinstance(actor, str) and actor.strip() else request[keys.SCREEN]
        try:
            if action == "undo":
                await self.orders.undo(order_id, by=by, version=version)
            # Stations work side by side: a bump is checked against that station's own state and the order's
            # status, not the order's version (the fryer's Done must not fail because the grill was faster).
            elif action == "bump":
                await self.stations.bump(order_id, station, by=by)
            elif action == "unbump":
                await self.stations.unbump(order_id, station, by=by)
            else:
                await self.orders.apply(order_id, action, by=by, reason=reason, version=version)
        except NotFoundError as exc:
            return _error(404, "not found", str(exc))
        except Conflict as exc:
            return await self._refusal(409, "changed", str(exc), order_id, request)
        except TransitionError as exc:
            return await self._refusal(422, "refused", str(exc), order_id, request)
        return _json({"order": await self._wire(order_id, request)})

    async def _refusal(
        self, status: int, error: str, message: str, order_id: int, request: web.Request
    ) -> web.Response:
        order = await self._wire(order_id, request)
        return _json({"error": error, "message": message, "order": order}, status)

    async def _wire(self, order_id: int, request: web.Request) -> dict[str, Any]:
        [(order, bumps)] = await self.db.run(lambda s: _with_bumps(s, [repo.get_order(s, order_id)]))
        return order_json(order, self.station, bumps, sight=Role(request[keys.SIGHT]))

    # -- serving ---------------------------------------------------------------------------------------
    async def _auth(  # the aiohttp middleware of make_app
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path == "/api/pair":
            return await handler(request)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        screen = None
        if scheme.lower() == "bearer" and token.strip():
            screen = await self.db.run(lambda s: screen_repo.paired_screen(s, digest(token.strip())))
        if screen is None:
            return _error(401, "unauthorised", "This screen is not paired, or its pairing was revoked.")
        request[keys.SCREEN] = screen.name
        request[keys.SIGHT] = screen_sight(screen.station).value
        request[keys.TOKEN] = digest(token.strip())
        return await handler(request)

    def make_app(self) -> web.Application:
        auth = web.middleware(lambda request, handler: self._auth(request, handler))
        app = web.Application(middlewares=[auth], client_max_size=64 * 1024)
        app.router.add_post("/api/pair", self._pair)
        app.router.add_get("/api/snapshot", self._snapshot)
        app.router.add_get("/api/feed", self._feed)
        app.router.add_post("/api/commands", self._command)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._runner, self.port = await serve(self.make_app(), host, port)
        log.info("screen API on %s:%s", host, self.port)
        return self.port

    async def move(self, host: str, port: int) -> int:
        """Serve on ``host:port`` instead (Shop setup changed it). The new address is bound first: when it
        cannot be (``OSError``, e.g. the port is taken) the old one keeps serving. Connected screens are
        closed and reconnect to the address they were paired with."""
        runner, bound = await serve(self.make_app(), host, port)
        old, self._runner, self.port = self._runner, runner, bound
        for ws in list(self._feeds):
            await ws.close()
        if old is not None:
            await old.cleanup()
        log.info("screen API moved to %s:%s", host, bound)
        return bound

    async def stop(self) -> None:
        for ws in list(self._feeds):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def _drain(ws: web.WebSocketResponse) -> None:
    """Read (and ignore) what the screen sends, so a close from its side is noticed at once."""
    async for msg in ws:
        if msg.type in (web.WSMsgType.CLOSE, web.WSMsgType.ERROR):
            break


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(data, ensure_ascii=False), content_type="application/json"
    )


def _error(status: int, error: str, message: str) -> web.Response:
    return _json({"error": error, "message": message}, status)
