"""The pickup board (``posapp screen --board pickup``) following a real engine over loopback: an order the counter
screen bumps ready moves from Preparing to Ready on the board, with its platform and number, and is announced."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.lifecycle import Action
from posapp.engine import Engine
from posapp.ui.alerts import Speaker
from posapp.ui.queue_model import QueueModel
from posapp.ui.screen.board import Announcer, BoardSession, BoardState, Chime, PickupBoard, Ticket
from posapp.ui.screen.client import EngineClient
from posapp.ui.screen.session import ScreenSession
from posapp.ui.screen.window import ScreenWindow
from tests.factories import make_order
from tests.screen_demo_engine import screens_url, start_engine
from tests.ui.test_screen_client import pair_token, tap


@pytest.fixture
def engine(tmp_path: Path, arun: Any) -> Iterator[Engine]:
    real = arun(start_engine(tmp_path / "engine"), timeout=30)
    real.settings = dataclasses.replace(real.settings, store_name="Lao Wang Noodles 老王面馆")
    yield real
    arun(real.stop())


class QuietSpeaker(Speaker):
    """Qt's own mock speech engine: what would be said is recorded, nothing is played."""

    def __init__(self, *, works: bool = True) -> None:
        super().__init__("mock")
        self.works = works

    def say(self, text: str) -> None:
        if not self.works:
            raise RuntimeError("speech engine crashed")
        super().say(text)


def token(engine: Engine, arun: Any) -> str:
    assert engine.screens is not None
    return pair_token(arun, screens_url(engine), arun(engine.screens.new_code()))


@pytest.fixture
def sessions(arun: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for session in opened:
        arun(session.stop())


def open_board(qtbot: Any, engine: Engine, arun: Any, announcer: Announcer) -> BoardSession:
    board = PickupBoard()
    qtbot.addWidget(board)
    board.resize(1024, 768)
    board.show()
    session = BoardSession(board, EngineClient(screens_url(engine), token(engine, arun)), announcer=announcer)
    session.start()
    return session


def ingest(engine: Engine, arun: Any, platform: str, number: str) -> int:
    order = dataclasses.replace(make_order(platform=platform), display_id=number)
    return int(arun(engine.intake.ingest(order)).order_id)


def test_order_bumped_ready_on_the_counter_moves_to_ready_on_the_board(
    engine: Engine, arun: Any, qtbot: Any, sessions: list[Any]
) -> None:
    speaker = QuietSpeaker()
    announcer = Announcer("voice", speaker=speaker, chime=Chime())
    board = open_board(qtbot, engine, arun, announcer)
    sessions.append(board)
    waiting = ingest(engine, arun, "meituan", "12")
    cooking = ingest(engine, arun, "ubereats", "A7F3")
    arun(engine.orders.apply(cooking, Action.ACCEPT, by="counter"))
    qtbot.waitUntil(lambda: board.board.preparing.shown_labels() == ["Uber Eats A7F3"], timeout=5000)
    assert board.board.store.text() == "Lao Wang Noodles 老王面馆"  # from the engine's snapshot
    assert board.board.ready.shown_labels() == []  # a NEW order is not on the board: not taken yet

    counter_window = ScreenWindow(QueueModel(), name="counter", engine_url=screens_url(engine))
    qtbot.addWidget(counter_window)
    counter_window.resize(1024, 768)
    counter_window.show()
    counter = ScreenSession(
        counter_window, EngineClient(screens_url(engine), token(engine, arun)), actor="counter"
    )
    sessions.append(counter)
    counter.start()
    qtbot.waitUntil(lambda: counter.link_up and counter.model.row_of(waiting) >= 0, timeout=5000)
    tap(qtbot, counter, waiting, Action.ACCEPT)
    qtbot.waitUntil(
        lambda: board.board.preparing.shown_labels() == ["Uber Eats A7F3", "Meituan 12"], timeout=5000
    )
    tap(qtbot, counter, waiting, Action.START)
    qtbot.waitUntil(lambda: counter.versions.get(waiting, 0) >= 3, timeout=5000)
    tap(qtbot, counter, waiting, Action.READY)  # the counter's Ready bump
    qtbot.waitUntil(lambda: board.board.ready.shown_labels() == ["Meituan 12"], timeout=5000)
    assert board.board.preparing.shown_labels() == ["Uber Eats A7F3"]
    assert speaker.said == ["Meituan number 12 is ready"] and announcer.chime.played == 0
    tile = board.board.ready.tiles[0]
    assert tile.accessibleName() == "Meituan 12" and tile.height() >= 100  # large type, far-readable

    arun(engine.orders.apply(waiting, Action.COMPLETE, by="counter"))  # picked up: off the board
    qtbot.waitUntil(lambda: board.board.ready.shown_labels() == [], timeout=5000)
    assert speaker.said == ["Meituan number 12 is ready"]  # announced once


def test_board_keeps_its_numbers_while_the_engine_is_away_and_catches_up(
    engine: Engine, arun: Any, qtbot: Any, sessions: list[Any]
) -> None:
    chime = Chime()
    board = open_board(qtbot, engine, arun, Announcer("chime", chime=chime))
    sessions.append(board)
    order = ingest(engine, arun, "eleme", "3")
    arun(engine.orders.apply(order, Action.ACCEPT, by="counter"))
    qtbot.waitUntil(lambda: board.board.preparing.shown_labels() == ["Ele.me 3"], timeout=5000)
    assert engine.screens is not None and engine.screens.port is not None
    port = engine.screens.port
    arun(engine.screens.stop())
    qtbot.waitUntil(lambda: board.board.link_strip.isVisible(), timeout=5000)
    assert board.board.preparing.shown_labels() == ["Ele.me 3"]  # the last state stays up
    arun(engine.orders.apply(order, Action.START, by="counter"))
    arun(engine.orders.apply(order, Action.READY, by="counter"))  # while the board is cut off
    arun(engine.screens.start("127.0.0.1", port))
    qtbot.waitUntil(lambda: board.board.ready.shown_labels() == ["Ele.me 3"], timeout=10000)
    qtbot.waitUntil(lambda: not board.board.link_strip.isVisible(), timeout=5000)
    assert chime.played == 1


def test_voice_falls_back_to_the_chime_and_never_crashes() -> None:
    ticket = Ticket(1, "doordash", "88")
    broken, chime = QuietSpeaker(works=False), Chime()
    Announcer("voice", speaker=broken, chime=chime).ready(ticket)
    assert chime.played == 1

    class NoSpeech(Speaker):
        @property
        def available(self) -> bool:
            return False

    chime2 = Chime()
    Announcer("voice", speaker=NoSpeech(), chime=chime2).ready(ticket)
    assert chime2.played == 1
    silent = Chime()
    Announcer("off", chime=silent).ready(ticket)
    assert silent.played == 0


def test_board_state_ignores_older_frames_and_closed_orders() -> None:
    state = BoardState()
    assert state.apply({"id": 5, "version": 3, "status": "ready", "platform": "own", "display_id": "W5"})
    assert state.apply({"id": 5, "version": 2, "status": "preparing", "platform": "own"}) is None
    assert list(state.ready) == [5] and not state.preparing  # the late older frame changed nothing
    assert state.apply({"id": 5, "version": 4, "status": "ready", "platform": "own"}) is None  # not twice
    state.apply({"id": 5, "version": 5, "status": "cancelled", "platform": "own"})
    assert not state.ready and not state.preparing
    assert state.apply({"id": "x", "version": 1, "status": "ready"}) is None  # junk from the wire


def test_more_numbers_than_fit_are_counted(qtbot: Any) -> None:
    board = PickupBoard(store_name="Shop")
    qtbot.addWidget(board)
    board.resize(1024, 768)
    board.show()
    state = BoardState()
    for n in range(40):
        state.apply({"id": n, "version": 1, "status": "ready", "platform": "meituan", "display_id": str(n)})
    board.show_state(state)
    qtbot.waitUntil(lambda: bool(board.ready.more.text()))
    shown = len(board.ready.tiles)
    assert 0 < shown < 40 and board.ready.more.text() == f"+{40 - shown} more"
    assert board.ready.shown_labels()[0] == "Meituan 39"  # the newest ready first
    for tile in board.ready.tiles:  # every tile inside the window at 1024x768
        corner = tile.mapTo(board, tile.rect().bottomRight())
        assert corner.x() <= 1024 and corner.y() <= 768


def test_a_number_with_markup_is_shown_as_text(qtbot: Any) -> None:
    board = PickupBoard(store_name="Shop")
    qtbot.addWidget(board)
    board.resize(1024, 768)
    board.show()
    state = BoardState()
    state.apply({"id": 1, "version": 1, "status": "ready", "platform": "own", "display_id": "<b>9</b>&"})
    board.show_state(state)
    tile = board.ready.tiles[0]
    assert "&lt;b&gt;9&lt;/b&gt;&amp;" in tile.text() and "<b>9</b>" not in tile.text()


def test_board_and_station_are_one_or_the_other(capsys: Any) -> None:
    from posapp.ui.screen.main import main

    assert main(["--engine", "http://127.0.0.1:9", "--board", "pickup", "--station", "grill"]) == 2
    assert "not both" in capsys.readouterr().err


def test_the_command_line_runs_the_pickup_board(engine: Engine, arun: Any, tmp_path: Path) -> None:
    from tests.ui.test_screen_client import run_screen_cli

    assert engine.screens is not None
    order = ingest(engine, arun, "meituan", "12")
    for action in (Action.ACCEPT, Action.START, Action.READY):
        arun(engine.orders.apply(order, action, by="counter"))
    png = tmp_path / "board.png"
    url = screens_url(engine)
    args = ["--engine", url, "--pair", arun(engine.screens.new_code()), "--board", "pickup"]
    code, out, err = run_screen_cli(
        arun, [*args, "--announce", "off", "--quit-after", "2", "--screenshot", str(png)], tmp_path
    )
    assert code == 0, err
    assert out.strip() == f"Paired with the engine at {url} as screen 1 (Pickup board)."
    assert png.stat().st_size > 10_000
    log = (tmp_path / "xdg" / "posapp" / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert "pickup board following the engine" in log
