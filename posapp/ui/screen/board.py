"""The pickup board: "Preparing" and "Ready" columns of the numbers customers and riders were given, from an
engine's snapshot and change feed; a chime or the spoken number when an order becomes ready.

A board is a screen of the engine (docs/screen-api.md) that only reads: it sends no commands. The counter's
Ready moves an order to the Ready column; its Complete (picked up) takes it off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.resources import resource
from posapp.ui.alerts import Speaker
from posapp.ui.i18n import t
from posapp.ui.screen.client import EngineClient, EngineError, LinkState, Unauthorised, WireOrder
from posapp.ui.screen.window import LINK_STRIP_STYLE
from posapp.ui.theme import platform_colour, platform_label

log = logging.getLogger(__name__)

PREPARING = frozenset(("accepted", "preparing"))  # a new order is not shown: the store has not taken it yet
READY = "ready"
ANNOUNCE = ("off", "chime", "voice")
TILE_W, TILE_H = 210, 120  # px at 1024x768: a tile holds "Uber Eats" above a six-character number


@dataclass(frozen=True, slots=True)
class Ticket:
    """One order as the board shows it: its platform and the number the customer was given."""

    order_id: int
    platform: str
    number: str

    @property
    def label(self) -> str:
        """ "Meituan 12": what a rider or customer matches against their app."""
        return f"{platform_label(self.platform)} {self.number}"


class BoardState:
    """Which orders are being prepared and which are ready, from wire orders; no Qt widgets."""

    def __init__(self) -> None:
        self.preparing: dict[int, Ticket] = {}
        self.ready: dict[int, Ticket] = {}  # in the order they became ready (newest last)
        self.versions: dict[int, int] = {}

    def load(self, orders: list[WireOrder]) -> None:
        self.preparing.clear()
        self.ready.clear()
        self.versions.clear()
        for data in orders:
            self.apply(data)

    def apply(self, data: WireOrder) -> Ticket | None:
        """Take one order as the engine now has it; returns its ticket when it has just become ready."""
        order_id, version = data.get("id"), data.get("version")
        if not isinstance(order_id, int) or not isinstance(version, int):
            return None
        if version < self.versions.get(order_id, 0):
            return None  # an older frame than one already shown
        self.versions[order_id] = version
        status = data.get("status")
        was_ready = order_id in self.ready
        self.preparing.pop(order_id, None)
        self.ready.pop(order_id, None)
        ticket = Ticket(
            order_id, str(data.get("platform") or ""), str(data.get("display_id") or order_id)[:12]
        )
        if status in PREPARING:
            self.preparing[order_id] = ticket
        elif status == READY:
            self.ready[order_id] = ticket
            return None if was_ready else ticket
        else:
            self.versions.pop(order_id, None)  # closed: off the board for good
        return None


class Chime:
    """The ready chime played once, or nothing where the machine has no audio output (never a crash)."""

    def __init__(self) -> None:
        self.played = 0
        self._effect: Any = None
        self._loaded = False

    def play(self) -> None:
        self.played += 1
        if not self._loaded:
            self._loaded = True
            try:
                from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

                if QMediaDevices.audioOutputs():
                    self._effect = QSoundEffect()
                    self._effect.setSource(QUrl.fromLocalFile(str(resource("sounds", "chime.wav"))))
            except ImportError:
                log.warning("QtMultimedia is not installed: the pickup board is silent")
        if self._effect is not None:
            self._effect.play()


class Announcer:
    """``off``, ``chime``, or ``voice``: the number spoken (QTextToSpeech), else the chime."""

    def __init__(
        self, mode: str = "chime", *, speaker: Speaker | None = None, chime: Chime | None = None
    ) -> None:
        self.mode = mode if mode in ANNOUNCE else "chime"
        self.speaker = speaker or Speaker()
        self.chime = chime or Chime()

    def ready(self, ticket: Ticket) -> None:
        if self.mode == "off":
            return
        if self.mode == "voice" and self._say(ticket):
            return
        self.chime.play()

    def _say(self, ticket: Ticket) -> bool:
        try:
            if not self.speaker.available:
                return False
            text = t("{platform} number {number} is ready").format(
                platform=platform_label(ticket.platform), number=ticket.number
            )
            self.speaker.say(text)
            return True
        except Exception:  # a speech engine that fails must not take the board down: chime instead
            log.exception("could not speak the ready number")
            return False


class Column(QWidget):
    """A titled column of number tiles; as many as fit are shown, the rest counted ("+3 more")."""

    def __init__(self, title: str, colour: str, *, ready: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ready = ready
        self.setObjectName("ready-column" if ready else "preparing-column")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.title = QLabel(title)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet(
            f"background: {colour}; color: #000000; font-size: 40px; font-weight: 800; padding: 10px;"
            " border-radius: 8px;"
        )
        layout.addWidget(self.title)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(12)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.grid_host, 1)
        self.more = QLabel("")
        self.more.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more.setStyleSheet("color: #FFFFFF; font-size: 26px; font-weight: 700;")
        layout.addWidget(self.more)
        self.tickets: list[Ticket] = []
        self.tiles: list[QLabel] = []
        self.scale = 1.0  # tiles and type grow with the screen: a 1080p board is read from further away

    def show_tickets(self, tickets: list[Ticket]) -> None:
        self.tickets = list(tickets)
        self._layout_tiles()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._layout_tiles()

    def shown_labels(self) -> list[str]:
        return [ticket.label for ticket in self.tickets[: len(self.tiles)]]

    def _layout_tiles(self) -> None:
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        self.scale = min(1.6, max(1.0, self.height() / 640))
        tile_w, tile_h = int(TILE_W * self.scale), int(TILE_H * self.scale)
        width = max(tile_w, self.grid_host.width())
        height = max(tile_h, self.grid_host.height())
        across = max(1, (width + 12) // (tile_w + 12))  # n tiles take n widths and n - 1 gaps
        down = max(1, (height + 12) // (tile_h + 12))
        room = across * down
        shown = self.tickets[:room]
        for i, ticket in enumerate(shown):
            tile = self._tile(ticket)
            self.grid.addWidget(tile, i // across, i % across)
            self.tiles.append(tile)
        rest = len(self.tickets) - len(shown)
        self.more.setText(t("+{n} more").format(n=rest) if rest else "")

    def _tile(self, ticket: Ticket) -> QLabel:
        brand = platform_colour(ticket.platform).name()
        tile_w, tile_h = int(TILE_W * self.scale), int(TILE_H * self.scale)
        # A bold digit is about 0.65 em wide: a long number gets smaller type instead of being cut off.
        fits = int((tile_w - 30) / (0.65 * max(1, len(ticket.number))))
        size = min(int((64 if self.ready else 52) * self.scale), fits)
        label_size = int(24 * self.scale)
        back = "#1E8E4E" if self.ready else "#2C3440"
        tile = QLabel(
            f"<div style='font-size:{label_size}px; font-weight:700; "
            f"color:{brand if not self.ready else '#FFFFFF'}'>{escape(platform_label(ticket.platform))}</div>"
            f"<div style='font-size:{size}px; font-weight:800; color:#FFFFFF'>{escape(ticket.number)}</div>"
        )
        tile.setTextFormat(Qt.TextFormat.RichText)
        tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tile.setFixedSize(tile_w, tile_h)
        tile.setAccessibleName(ticket.label)
        tile.setStyleSheet(f"background: {back}; border-left: 10px solid {brand}; border-radius: 8px;")
        return tile


class PickupBoard(QWidget):
    """The board's window: the store's name, the link strip, Preparing beside Ready. Renders, never does I/O."""

    closing = Signal()

    def __init__(self, *, store_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Pickup board"))
        self.setObjectName("pickup-board")
        self.setStyleSheet("#pickup-board { background: #11151A; } QLabel { color: #FFFFFF; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.store = QLabel(store_name)
        self.store.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.store.setStyleSheet("font-size: 44px; font-weight: 800; color: #FFFFFF;")
        layout.addWidget(self.store)
        self.link_strip = QLabel("")
        self.link_strip.setStyleSheet(LINK_STRIP_STYLE + " font-size: 22px;")
        self.link_strip.setWordWrap(True)
        self.link_strip.hide()
        layout.addWidget(self.link_strip)
        columns = QHBoxLayout()
        self.preparing = Column(t("Preparing"), "#FFD166", ready=False)
        self.ready = Column(t("Ready for pickup"), "#2ECC71", ready=True)
        columns.addWidget(self.preparing, 1)
        columns.addWidget(self.ready, 1)
        layout.addLayout(columns, 1)

    def set_store_name(self, name: str) -> None:
        if name:
            self.store.setText(name)

    def show_state(self, state: BoardState) -> None:
        self.preparing.show_tickets(list(state.preparing.values()))
        self.ready.show_tickets(list(reversed(state.ready.values())))  # the newest ready first

    def set_link(self, up: bool, text: str | None = None) -> None:
        """Down: the red strip on top; the numbers stay as they were."""
        self.link_strip.setText(text or t("Lost the engine — reconnecting…"))
        self.link_strip.setVisible(not up)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.closing.emit()
        super().closeEvent(event)


class BoardSession(QObject):
    """Feeds a ``PickupBoard`` from ``client``: the snapshot, then the change feed; announces ready orders."""

    changed = Signal()
    unpaired = Signal()

    def __init__(
        self, board: PickupBoard, client: EngineClient, *, announcer: Announcer | None = None
    ) -> None:
        super().__init__(board)
        self.board = board
        self.client = client
        self.state = BoardState()
        self.announcer = announcer or Announcer("off")
        self.is_unpaired = False
        self._run: asyncio.Task[None] | None = None
        client.link_listeners.append(self._on_link)

    def start(self) -> asyncio.Task[None]:
        self._run = asyncio.get_running_loop().create_task(self.run())
        return self._run

    async def stop(self) -> None:
        if self._run is not None:
            self._run.cancel()
            await asyncio.gather(self._run, return_exceptions=True)
        await self.client.close()

    async def run(self) -> None:
        try:
            snapshot = await self.client.first_snapshot(self._retrying)
            self.board.set_store_name(snapshot.store_name)
            self.state.load(snapshot.orders)
            self._show()
            async with contextlib.aclosing(self.client.feed(snapshot.cursor)) as feed:
                async for frame in feed:
                    self.apply(frame.order)
        except Unauthorised:
            from posapp.ui.screen.session import unpaired_text

            self.is_unpaired = True
            self.board.set_link(False, unpaired_text(self.client.base_url))
            self.unpaired.emit()

    def apply(self, data: WireOrder) -> None:
        try:
            became_ready = self.state.apply(data)
        except Exception:  # one odd order must not stop the board for all the others
            log.exception("order from the engine not shown on the board")
            return
        self._show()
        if became_ready is not None:
            self.announcer.ready(became_ready)

    def _show(self) -> None:
        self.board.show_state(self.state)
        self.changed.emit()

    def _retrying(self, _error: EngineError) -> None:
        self.board.set_link(
            False, t("Cannot reach the engine at {url} — retrying…").format(url=self.client.base_url)
        )

    def _on_link(self, state: LinkState) -> None:
        if not self.is_unpaired:
            self.board.set_link(state is LinkState.UP)
