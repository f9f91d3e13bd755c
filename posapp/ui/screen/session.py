"""One screen's session: the engine's snapshot and feed into the queue model, the window's taps into commands.

The engine is the only writer; the screen keeps each order's version from the wire and names it in every
command, so a tap on an order someone else already changed is refused (409) and shown, never applied twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from posapp.domain.lifecycle import OPEN_STATUSES, Action
from posapp.domain.order import Order, OrderStatus
from posapp.errors import PayloadError
from posapp.ui.dialogs import OrderDetailDialog, ReasonDialog
from posapp.ui.i18n import t
from posapp.ui.screen.cards import BUMP, UNBUMP, ScreenRole, screen_role
from posapp.ui.screen.client import (
    EngineClient,
    EngineError,
    EngineUnreachable,
    LinkState,
    Refused,
    Snapshot,
    Stale,
    Unauthorised,
    WireOrder,
)
from posapp.ui.screen.window import ScreenWindow
from posapp.ui.screen.wire import order_from_wire, station_marks, wire_id, wire_version
from posapp.ui.sentences import say
from posapp.ui.theme import platform_label

log = logging.getLogger(__name__)
BUMPS = {
    Action.START.value: "Cooking",
    Action.READY.value: "Ready",
    Action.COMPLETE.value: "Done",
    BUMP: "Done",
}
NEEDS_REASON = (Action.REJECT.value, Action.CANCEL.value)
OPEN = frozenset(s.value for s in OPEN_STATUSES)
# What a station and the expo show: orders the counter has accepted and the kitchen has not finished.
COOKING = frozenset((OrderStatus.ACCEPTED.value, OrderStatus.PREPARING.value))


def wire_label(data: dict[str, Any] | None, order_id: int) -> str:
    """An order of the feed as "Meituan #12": three platforms may each have a #12 on the screen."""
    data = data or {}
    number = data.get("display_id") or order_id
    platform = data.get("platform")
    if not platform:
        return f"#{number}"
    return t("{platform} #{number}").format(platform=platform_label(str(platform)), number=number)


def unpaired_text(engine_url: str) -> str:
    return t(
        "This screen is not paired: ask a manager for a pairing code and run "
        "posapp screen --engine {url} --pair CODE"
    ).format(url=engine_url)


class ScreenSession(QObject):
    """Feeds ``window.model`` from ``client`` and sends the window's intents as versioned commands."""

    orderApplied = Signal(int)  # an order id whose wire state reached the model
    commandDone = Signal(int, str)  # order id, outcome: applied, stale, refused, unreachable, error
    unpaired = Signal()

    def __init__(
        self,
        window: ScreenWindow,
        client: EngineClient,
        *,
        station: str | None = None,
        actor: str = "screen",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.client = client
        self.station = station
        self.role = screen_role(station)
        self.actor = actor
        self.versions: dict[int, int] = {}  # order id -> the version last seen on the wire
        self.wire: dict[int, WireOrder] = {}  # open orders as the engine sent them (all stations' items)
        self.in_flight: set[int] = set()  # orders with a command on its way: a second tap waits for it
        self.tasks: set[asyncio.Task[Any]] = set()
        self.is_unpaired = False
        self.dialog: Any = None
        self._run: asyncio.Task[None] | None = None
        client.link_listeners.append(self._on_link)
        w = window
        w.intent.connect(self.tap)
        w.reasonNeeded.connect(self.ask_reason)
        w.undoRequested.connect(self.undo)
        w.acceptAllRequested.connect(self.accept_all)
        w.detailRequested.connect(self.open_detail)

    @property
    def link_up(self) -> bool:
        return self.client.link is LinkState.UP and not self.is_unpaired

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> asyncio.Task[None]:
        self._run = asyncio.get_running_loop().create_task(self.run())
        return self._run

    async def run(self) -> None:
        """The snapshot (retried until the engine answers), then the feed for as long as the screen runs."""
        try:
            snapshot = await self.client.first_snapshot(self._retrying)
            self.load(snapshot)
            async with contextlib.aclosing(self.client.feed(snapshot.cursor)) as feed:
                async for frame in feed:
                    try:
                        self.apply_wire(frame.order)
                    except Exception:  # a bug showing one order must not stop the feed for all the others
                        log.exception("order from the engine at cursor %s not shown", frame.cursor)
        except Unauthorised:
            self._unpaired()

    def _retrying(self, _error: EngineError) -> None:
        self.window.set_link(
            False, t("Cannot reach the engine at {url} — retrying…").format(url=self.client.base_url)
        )

    async def stop(self) -> None:
        if self._run is not None:
            self._run.cancel()
            await asyncio.gather(self._run, return_exceptions=True)
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        await self.client.close()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    # -- the engine's state into the model -------------------------------------------------------
    def load(self, snapshot: Snapshot) -> None:
        self.versions.clear()
        self.wire.clear()
        orders = []
        for data in snapshot.orders:
            order = self._remember(data)
            if order is not None:
                orders.append(order)
        self.model.reset_orders(orders)

    def apply_wire(self, data: WireOrder) -> None:
        """One order as the engine now has it (a feed frame, or a command's answer), unless already newer."""
        try:
            order_id, version = wire_id(data), wire_version(data)
        except PayloadError as exc:
            log.warning("order from the engine skipped: %s", exc)
            return
        if version < self.versions.get(order_id, 0):
            return  # a command's answer got here before the feed's older frame
        order = self._remember(data)
        if order is not None:
            self.model.upsert(order)
        else:
            self._drop(order_id)
        self.orderApplied.emit(order_id)

    def _remember(self, data: WireOrder) -> Order | None:
        """Keep the wire order and its version; the card's Order, or None when this screen does not show it.

        The counter shows every open order. A station shows its items of the orders being cooked (accepted or
        started) until it has bumped them; the expo shows every order being cooked, all its items, and which
        stations are done. Neither shows a new order: nobody cooks it until the counter accepts it.
        """
        try:
            order_id = wire_id(data)
            self.versions[order_id] = wire_version(data)
            order = order_from_wire(data, self.station if self.role is ScreenRole.STATION else None)
        except PayloadError as exc:
            log.warning("order from the engine skipped: %s", exc)
            return None
        if data.get("status") in OPEN:
            self.wire[order_id] = data
        else:
            self.wire.pop(order_id, None)
        if self.role is ScreenRole.COUNTER or order is None:
            return order
        marks = station_marks(data)
        if data.get("status") in OPEN:
            self.window.cards.marks[order_id] = marks
        else:
            self.window.cards.marks.pop(order_id, None)
        if data.get("status") not in COOKING:
            return None
        if self.role is ScreenRole.STATION and marks.get(self.station or "", False):
            return None  # this station has done its part: off its queue, still on the others
        return order

    def _drop(self, order_id: int) -> None:
        """Take an order off this station's queue (none of its items are made here)."""
        row = self.model.row_of(order_id)
        if row >= 0:  # the model removes rows of closed orders: that is its one way to remove a row
            closed = dataclasses.replace(self.model.order_at(row), status=OrderStatus.COMPLETED)
            self.model.upsert(closed)

    # -- link -------------------------------------------------------------------------------------
    def _on_link(self, state: LinkState) -> None:
        if self.is_unpaired:
            return
        self.window.set_link(state is LinkState.UP)

    def _unpaired(self) -> None:
        self.is_unpaired = True
        self.window.set_link(False, unpaired_text(self.client.base_url))
        if self._run is not None and self._run is not asyncio.current_task():
            self._run.cancel()
        self.unpaired.emit()

    # -- taps into commands -----------------------------------------------------------------------
    def tap(self, order_id: int, action: str, reason: str | None = None) -> None:
        """Send one command for a tap, named with the version the screen shows; refused while the link is down."""
        if not self.link_up:
            text = unpaired_text(self.client.base_url) if self.is_unpaired else None
            self.window.show_message(
                text
                or t("Not connected to the engine — the tap was not sent. Wait for the red strip to go."),
                "warning",
            )
            self.commandDone.emit(order_id, "offline")
            return
        version = self.versions.get(order_id)
        if version is None or order_id in self.in_flight:
            return
        actions = [action]
        data = self.wire.get(order_id) or {}
        if self.role is ScreenRole.EXPO and action == Action.READY.value and data.get("status") == "accepted":
            # Stations bump without changing the status: an order can be all done while still accepted. The
            # expo's one Ready starts it first, then readies it with the version the start returned.
            actions = [Action.START.value, Action.READY.value]
        self.in_flight.add(order_id)
        self.spawn(self._send(order_id, actions, version, reason))

    def undo(self, order_id: int) -> None:
        """The undo bar: a station takes back its bump; the counter and the expo undo the last status change."""
        self.tap(order_id, UNBUMP if self.role is ScreenRole.STATION else "undo")

    async def _command(self, order_id: int, action: str, version: int, reason: str | None) -> WireOrder:
        station = self.station if action in (BUMP, UNBUMP) else None
        return await self.client.command(order_id, action, version, self.actor, reason, station=station)

    async def _send(self, order_id: int, actions: list[str], version: int, reason: str | None) -> None:
        outcome = "applied"
        action = actions[-1]
        try:
            for step in actions:
                data = await self._command(order_id, step, version, reason)
                version = data["version"] if isinstance(data.get("version"), int) else version
                self.apply_wire(data)
        except Stale as exc:
            outcome = "stale"
            self.apply_wire(exc.order)
            self.window.show_message(
                t("{order} was changed on another screen").format(order=wire_label(exc.order, order_id)),
                "error",
            )
        except Refused as exc:
            outcome = "refused"
            if exc.order is not None:
                self.apply_wire(exc.order)
            self.window.show_message(say(str(exc)), "error")
        except Unauthorised:
            outcome = "unpaired"
            self._unpaired()
        except EngineUnreachable:
            outcome = "unreachable"
            self.window.show_message(
                t("Could not reach the engine — nothing was changed. Try again when the red strip is gone.")
            )
        except EngineError as exc:
            outcome = "error"
            self.window.show_message(say(str(exc)))
        else:
            if action in BUMPS:
                self.window.offer_undo(order_id, f"{wire_label(data, order_id)} → {t(BUMPS[action])}")
        finally:
            self.in_flight.discard(order_id)
        self.commandDone.emit(order_id, outcome)

    def accept_all(self, order_ids: list[int]) -> None:
        for order_id in order_ids:
            self.tap(order_id, Action.ACCEPT.value)

    def ask_reason(self, order_id: int, action: str) -> None:
        title = t("Why reject this order?") if action == Action.REJECT.value else t("Why cancel this order?")
        dialog = ReasonDialog(title, self.window)
        dialog.accepted.connect(lambda: self.tap(order_id, action, dialog.reason))
        self._show(dialog)

    def open_detail(self, order_id: int) -> None:
        """The whole order (every station's items) and the actions it allows; no history or printing here."""
        data = self.wire.get(order_id)
        order = order_from_wire(data) if data is not None else None
        if order is None:
            return
        dialog = OrderDetailDialog(order, [], self.window.tz, self.window)
        for name in ("print-kitchen", "print-receipt", "refund"):
            button = dialog.findChild(QObject, name)
            if button is not None:
                button.hide()  # type: ignore[attr-defined]
        dialog.actionChosen.connect(
            lambda oid, action: (
                self.ask_reason(oid, action) if action in NEEDS_REASON else self.tap(oid, action)
            )
        )
        dialog.undoChosen.connect(lambda oid: self.tap(oid, "undo"))
        self._show(dialog)

    def _show(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()  # never exec(): a nested event loop would stall the asyncio tasks
