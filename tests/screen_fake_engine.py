"""A fake engine speaking docs/screen-api.md on a loopback port, with an in-memory order list.

It follows the contract and nothing more, so a screen can be tested without the real engine; it can also
go silent (no pings: a hung engine) or stop and start again on the same port (a restarted one).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from posapp.domain.lifecycle import Action, next_status
from posapp.domain.order import LineItem
from posapp.errors import TransitionError
from tests.factories import make_order

OPEN = ("new", "accepted", "preparing", "ready")


class FakeEngine:
    def __init__(self) -> None:
        self.orders: dict[int, dict[str, Any]] = {}
        self.history: dict[int, list[str]] = {}
        self.cursor = 0
        self.codes: set[str] = set()
        self.tokens: set[str] = set()
        self.commands: list[dict[str, Any]] = []  # every command received
        self.applied: list[tuple[int, str]] = []  # (order id, action) of those applied
        self.silent = False  # True: the feed sends nothing, not even pings (a hung engine)
        self.port = 0
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- test controls ---------------------------------------------------------------------------
    def new_code(self) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        self.codes.add(code)
        return code

    def new_token(self) -> str:
        token = secrets.token_urlsafe(16)
        self.tokens.add(token)
        return token

    def add_order(
        self, items: list[tuple[str, str | None]] | None = None, status: str = "new"
    ) -> dict[str, Any]:
        """An order of (dish, station) items, as a platform's would arrive."""
        items = items or [("宫保鸡丁", "grill"), ("Iced Lemon Tea", "drinks")]
        domain = make_order(items=tuple(LineItem(name, 1, 1000) for name, _ in items))
        data = domain.to_canonical()
        for item, (_, station) in zip(data["items"], items, strict=True):
            item["station"] = station
        order_id = len(self.orders) + 1
        data.update(id=order_id, version=0, status=status, reminders=0, rider_status=None, status_reason=None)
        names = dict.fromkeys(station for _, station in items if station)
        data["stations"] = {name: {"done": False, "at": None, "by": None} for name in names}
        self.orders[order_id] = data
        self.history[order_id] = []
        return self._touch(order_id)

    def change(self, order_id: int, **fields: Any) -> dict[str, Any]:
        """Someone else changes the order (another screen, the platform)."""
        if "status" in fields:
            self.history[order_id].append(self.orders[order_id]["status"])
        self.orders[order_id].update(fields)
        return self._touch(order_id)

    def _touch(self, order_id: int) -> dict[str, Any]:
        self.cursor += 1
        order = self.orders[order_id]
        order["version"] += 1
        order["cursor"] = self.cursor
        self._changed.set()
        self._changed = asyncio.Event()
        return dict(order)

    # -- serving ---------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/api/pair", self._pair)
        app.router.add_get("/api/snapshot", self._snapshot)
        app.router.add_get("/api/feed", self._feed)
        app.router.add_post("/api/commands", self._command)
        app.on_shutdown.append(self._close_sockets)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self.url

    async def stop(self) -> None:
        """The engine goes away: every socket closes (the port is kept for ``start``)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _close_sockets(self, _app: web.Application) -> None:
        for ws in list(self._sockets):
            await ws.close()

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.tokens

    @staticmethod
    def _unauthorised() -> web.Response:
        return web.json_response({"error": "unauthorised", "message": "unknown token"}, status=401)

    async def _pair(self, request: web.Request) -> web.Response:
        body = await request.json()
        code = str(body.get("code"))
        if code not in self.codes:
            return web.json_response({"error": "bad code", "message": "wrong code"}, status=403)
        self.codes.discard(code)
        return web.json_response({"token": self.new_token(), "screen_id": len(self.tokens)})

    async def _snapshot(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        orders = [o for o in self.orders.values() if o["status"] in OPEN]
        return web.json_response({"cursor": self.cursor, "orders": orders})

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        if not self._authorised(request):
            return self._unauthorised()
        cursor = int(request.query.get("cursor", "0"))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        reader = asyncio.get_running_loop().create_task(self._drain(ws))
        try:
            while not ws.closed and not reader.done():
                changed = self._changed
                if not self.silent:
                    due = sorted(
                        (o for o in self.orders.values() if o["cursor"] > cursor), key=lambda o: o["cursor"]
                    )
                    for order in due:
                        await ws.send_json({"type": "order", "cursor": order["cursor"], "order": order})
                        cursor = order["cursor"]
                woken = asyncio.ensure_future(changed.wait())
                await asyncio.wait({woken, reader}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
                woken.cancel()
                if not changed.is_set() and not reader.done() and not self.silent:
                    await ws.send_json({"type": "ping", "cursor": cursor})
        except (ConnectionError, RuntimeError):
            pass
        finally:
            reader.cancel()
            self._sockets.discard(ws)
        return ws

    @staticmethod
    async def _drain(ws: web.WebSocketResponse) -> None:
        async for msg in ws:
            if msg.type is WSMsgType.CLOSE:
                break

    def _bump(self, order: dict[str, Any], body: dict[str, Any]) -> web.Response:
        """A station's part of an accepted or cooking order is done (bump) or not (unbump); no status change."""
        station, done = body.get("station"), body.get("action") == "bump"
        if not isinstance(station, str) or not station:
            return web.json_response({"error": "bad request", "message": "no station"}, status=400)
        if order["status"] not in ("accepted", "preparing"):
            raise TransitionError(f"Order #{order['display_id']} is not being cooked.")
        state = order["stations"].setdefault(station, {"done": False, "at": None, "by": None})
        if state["done"] == done:
            raise TransitionError(f"Order #{order['display_id']} is already {'bumped' if done else 'open'}.")
        state.update(
            done=done,
            at="2026-12-02T12:09:30+00:00" if done else None,
            by=body.get("actor") if done else None,
        )
        self.applied.append((order["id"], str(body.get("action"))))
        return web.json_response({"order": self._touch(order["id"])})

    async def _command(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        body = await request.json()
        self.commands.append(body)
        order = self.orders.get(body.get("order_id"))
        if order is None:
            return web.json_response({"error": "not found", "message": "no such order"}, status=404)
        if body.get("version") != order["version"]:
            message = f"Order #{order['display_id']} was changed on another screen."
            return web.json_response({"error": "changed", "message": message, "order": order}, status=409)
        action = body.get("action")
        try:
            if action in ("bump", "unbump"):
                return self._bump(order, body)
            if action == "undo":
                if not self.history[order["id"]]:
                    raise TransitionError("nothing to undo")
                order["status"] = self.history[order["id"]].pop()
                self.applied.append((order["id"], action))
                return web.json_response({"order": self._touch(order["id"])})
            status = next_status(order["status"], Action(action)).value
        except (TransitionError, ValueError) as exc:
            return web.json_response({"error": "refused", "message": str(exc), "order": order}, status=422)
        self.applied.append((order["id"], action))
        return web.json_response({"order": self.change(order["id"], status=status)})
