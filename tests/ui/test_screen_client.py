"""``posapp screen`` over real loopback: screens following an engine's feed, tapping with versions, losing the link.

Each behaviour runs against the real engine (posapp/engine, in-process, its screen API on a free port) and
against a fake that speaks docs/screen-api.md and nothing more (tests/screen_fake_engine.py), which can also go
silent on cue. The command line runs as its own process against the real engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from posapp.domain.lifecycle import Action, next_status
from posapp.domain.order import LineItem
from posapp.engine import Engine
from posapp.store import screens as screen_repo
from posapp.ui.queue_model import QueueModel
from posapp.ui.screen.client import BadCode, EngineClient, Frame, LinkState, Unauthorised
from posapp.ui.screen.main import pair, stored_token, token_name
from posapp.ui.screen.session import ScreenSession
from posapp.ui.screen.window import ScreenWindow
from tests.factories import make_order
from tests.screen_demo_engine import screens_url, start_engine
from tests.screen_fake_engine import FakeEngine

ROOT = Path(__file__).resolve().parents[2]
Screen = Callable[..., ScreenSession]
Items = list[tuple[str, str]]  # (dish, station)
MIXED: Items = [("烤鸡翅", "grill"), ("Lemon Tea", "drinks")]


class RealBackend:
    """The real engine: orders through intake, other screens' taps through its order service."""

    def __init__(self, engine: Engine, arun: Any) -> None:
        self.engine, self.arun = engine, arun
        self.url = screens_url(engine)

    def token(self) -> str:
        assert self.engine.screens is not None
        code = self.arun(self.engine.screens.new_code())
        return pair_token(self.arun, self.url, code)

    def add(self, items: Items = MIXED) -> int:
        # The test menu routes each category to the station of the same name (tests/screen_demo_engine.py).
        lines = tuple(LineItem(name, 1, 1000, category=station) for name, station in items)
        return int(self.arun(self.engine.intake.ingest(make_order(items=lines))).order_id)

    def act(self, order_id: int, action: str) -> None:
        self.arun(self.engine.orders.apply(order_id, action, by="expo"))

    def applied(self, order_id: int, status: str) -> int:
        history = self.arun(self.engine.orders.history(order_id))
        return sum(1 for e in history if e.kind == "status" and e.to_status == status)

    def revoke_all(self) -> None:
        db, now = self.engine.db, self.engine.orders.clock()
        assert db is not None

        def revoke(session: Any) -> None:
            for sc in screen_repo.all_screens(session):
                screen_repo.revoke(session, sc.id, now)

        db.call(revoke)

    def stop(self) -> None:
        assert self.engine.screens is not None
        self.arun(self.engine.screens.stop())

    def start(self) -> None:
        assert self.engine.screens is not None and self.engine.screens.port is not None
        self.arun(self.engine.screens.start("127.0.0.1", self.engine.screens.port))


class FakeBackend:
    """The same controls over the fake engine."""

    def __init__(self, fake: FakeEngine, arun: Any) -> None:
        self.fake, self.arun = fake, arun
        self.url = fake.url

    def token(self) -> str:
        return pair_token(self.arun, self.url, self.fake.new_code())

    def add(self, items: Items = MIXED) -> int:
        return int(self.fake.add_order(list(items))["id"])

    def act(self, order_id: int, action: str) -> None:
        self.fake.change(order_id, status=next_status(self.fake.orders[order_id]["status"], action).value)
        self.fake.applied.append((order_id, action))

    def applied(self, order_id: int, status: str) -> int:
        action = {"accepted": "accept", "preparing": "start", "ready": "ready"}[status]
        return self.fake.applied.count((order_id, action))

    def revoke_all(self) -> None:
        self.fake.tokens.clear()

    def stop(self) -> None:
        self.arun(self.fake.stop())

    def start(self) -> None:
        self.arun(self.fake.start())


Backend = RealBackend | FakeBackend


def pair_token(arun: Any, url: str, code: str) -> str:
    client = EngineClient(url)
    try:
        return str(arun(client.pair(code, "test screen", None)).token)
    finally:
        arun(client.close())


@pytest.fixture
def engine(tmp_path: Path, arun: Any) -> Iterator[Engine]:
    real = arun(start_engine(tmp_path / "engine"), timeout=30)
    yield real
    arun(real.stop())


@pytest.fixture
def fake(arun: Any) -> Iterator[FakeEngine]:
    engine = FakeEngine()
    arun(engine.start())
    yield engine
    arun(engine.stop())


@pytest.fixture(params=["real", "fake"])
def backend(request: pytest.FixtureRequest, arun: Any) -> Backend:
    if request.param == "real":
        return RealBackend(request.getfixturevalue("engine"), arun)
    return FakeBackend(request.getfixturevalue("fake"), arun)


@pytest.fixture
def screen(qtbot: Any, arun: Any) -> Iterator[Screen]:
    """``screen(url, token, station=None)``: a screen window following the engine, its feed up."""
    sessions: list[ScreenSession] = []

    def open_screen(url: str, token: str, station: str | None = None, *, wait: bool = True) -> ScreenSession:
        name = f"{station or 'counter'} {len(sessions) + 1}"
        window = ScreenWindow(QueueModel(), station=station, name=name, engine_url=url)
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        session = ScreenSession(window, EngineClient(url, token), station=station, actor=name)
        sessions.append(session)
        session.start()
        if wait:
            qtbot.waitUntil(lambda: session.link_up, timeout=5000)
        return session

    yield open_screen
    for session in sessions:
        arun(session.stop())


def shown(session: ScreenSession) -> dict[int, str]:
    """order id -> status, as the screen's queue shows it."""
    return {o.id: o.status.value for o in session.model.orders() if o.id is not None}


def tap(qtbot: Any, session: ScreenSession, order_id: int, action: Action) -> None:
    """A finger on the card's painted button."""
    window = session.window
    rect = window.button_rect(order_id, action)
    qtbot.waitUntil(lambda: not window.tap_guard.blocked(rect.center()))  # a new tap, not a double tap
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def press(qtbot: Any, session: ScreenSession, order_id: int) -> None:
    """A finger on a station card's Done or an expo card's Ready."""
    rect = session.window.main_button_rect(order_id)
    qtbot.waitUntil(lambda: not session.window.tap_guard.blocked(rect.center()))  # not a double tap
    qtbot.mouseClick(session.window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def marks(session: ScreenSession, order_id: int) -> dict[str, bool]:
    """station -> done, as the expo's card shows them."""
    return session.window.cards.marks.get(order_id, {})


def banner(session: ScreenSession) -> str:
    window = session.window
    return window.banner.text() if window.banner.isVisible() else ""


# -- the same behaviour against the real engine and the fake ---------------------------------------


def test_a_tap_on_one_screen_shows_on_the_other(backend: Backend, screen: Screen, qtbot: Any) -> None:
    order = backend.add()
    a, b = screen(backend.url, backend.token()), screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: shown(a) == shown(b) == {order: "new"})
    tap(qtbot, a, order, Action.ACCEPT)
    qtbot.waitUntil(lambda: shown(b) == {order: "accepted"}, timeout=3000)
    assert backend.applied(order, "accepted") == 1


def test_two_screens_tapping_at_once_apply_one_and_the_other_shows_the_banner(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    order = backend.add()
    a, b = screen(backend.url, backend.token()), screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: shown(a) == shown(b) == {order: "new"})
    number = a.model.orders()[0].display_id
    outcomes: dict[str, str] = {}
    a.commandDone.connect(lambda _id, outcome: outcomes.__setitem__("a", outcome))
    b.commandDone.connect(lambda _id, outcome: outcomes.__setitem__("b", outcome))
    tap(qtbot, a, order, Action.ACCEPT)
    tap(qtbot, b, order, Action.ACCEPT)  # before a's answer: both name the version they show
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=3000)
    assert sorted(outcomes.values()) == ["applied", "stale"]
    loser = a if outcomes["a"] == "stale" else b
    winner = b if loser is a else a
    assert banner(loser) == f"Demo #{number} was changed on another screen"  # which #1: the platform says
    assert banner(winner) == ""
    qtbot.waitUntil(lambda: shown(a) == shown(b) == {order: "accepted"}, timeout=3000)
    assert backend.applied(order, "accepted") == 1


def test_a_lost_engine_shows_the_red_strip_refuses_taps_and_resynchronises(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    first, second = backend.add(), backend.add()
    s = screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: len(shown(s)) == 2)
    backend.stop()
    qtbot.waitUntil(lambda: s.window.link_strip.isVisible(), timeout=2000)
    assert s.window.link_strip.text() == "Lost the engine — reconnecting…"
    assert shown(s) == {first: "new", second: "new"}  # the last state stays on screen
    tap(qtbot, s, first, Action.ACCEPT)
    assert "the tap was not sent" in banner(s)
    backend.act(first, "accept")  # the counter app itself, or the platform, while this screen is away
    backend.act(second, "reject")
    third = backend.add()
    backend.start()
    qtbot.waitUntil(lambda: not s.window.link_strip.isVisible(), timeout=4000)
    qtbot.waitUntil(lambda: shown(s) == {first: "accepted", third: "new"}, timeout=2000)
    assert backend.applied(first, "accepted") == 1  # the refused tap never reached the engine
    tap(qtbot, s, first, Action.START)
    qtbot.waitUntil(lambda: shown(s)[first] == "preparing", timeout=2000)


def test_a_client_restarted_from_its_saved_cursor_misses_nothing(backend: Backend, arun: Any) -> None:
    token = backend.token()
    orders = [backend.add() for _ in range(3)]

    async def follow(
        client: EngineClient, cursor: int | None, until: Callable[[list[Frame]], bool]
    ) -> list[Frame]:
        frames: list[Frame] = []
        async with contextlib.aclosing(client.feed(cursor)) as feed:
            async for frame in feed:
                frames.append(frame)
                if until(frames):
                    break
        return frames

    first = EngineClient(backend.url, token)
    snapshot = arun(first.snapshot())
    backend.act(orders[0], "accept")
    seen = arun(follow(first, snapshot.cursor, lambda f: len(f) == 1))
    assert [f.order["status"] for f in seen] == ["accepted"]
    saved = first.cursor
    arun(first.close())
    # While no screen listens: one order changes three times, another once, a new one arrives.
    for action in ("accept", "start", "ready"):
        backend.act(orders[1], action)
    backend.act(orders[2], "reject")
    backend.act(orders[0], "start")
    new = backend.add()
    second = EngineClient(backend.url, token)
    frames = arun(follow(second, saved, lambda f: len(f) == 4))
    arun(second.close())
    assert [(f.order["id"], f.order["status"]) for f in frames] == [
        (orders[1], "ready"),  # once, in its latest state
        (orders[2], "rejected"),
        (orders[0], "preparing"),
        (new, "new"),
    ]
    assert [f.cursor for f in frames] == sorted({f.cursor for f in frames})


def test_a_station_screen_shows_only_accepted_orders_and_items_of_its_station(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    mixed = backend.add([("烤鸡翅", "grill"), ("Lemon Tea", "drinks"), ("Ribeye", "grill")])
    drinks = backend.add([("Lemon Tea", "drinks")])
    for order in (mixed, drinks):
        backend.act(order, "accept")
    grill = screen(backend.url, backend.token(), "grill")
    counter = screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: len(shown(counter)) == 2)
    assert shown(grill) == {mixed: "accepted"}
    assert [i.name for i in grill.model.orders()[0].items] == ["烤鸡翅", "Ribeye"]
    assert [i.name for i in counter.model.orders()[0].items] == ["烤鸡翅", "Lemon Tea", "Ribeye"]
    late = backend.add([("Fries", "fryer"), ("Burger", "grill")])
    qtbot.waitUntil(lambda: len(shown(counter)) == 3)
    assert late not in shown(grill)  # new: nobody cooks it until the counter accepts it
    tap(qtbot, counter, late, Action.ACCEPT)
    qtbot.waitUntil(lambda: list(shown(grill)) == [mixed, late], timeout=3000)
    assert drinks not in shown(grill)
    assert not grill.window.accept_all.isVisible()  # the counter accepts; a station cooks


def test_a_station_bumps_its_part_the_expo_sees_it_and_readies_the_order(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    order = backend.add([("烤鸡翅", "grill"), ("Fries", "fryer")])
    backend.act(order, "accept")
    grill = screen(backend.url, backend.token(), "grill")
    fryer = screen(backend.url, backend.token(), "fryer")
    expo = screen(backend.url, backend.token(), "expo")
    qtbot.waitUntil(lambda: order in shown(grill) and order in shown(fryer) and order in shown(expo))
    assert [i.name for i in expo.model.orders()[0].items] == ["烤鸡翅", "Fries"]  # the expo sees it all
    assert marks(expo, order) == {"grill": False, "fryer": False}
    press(qtbot, grill, order)  # Done
    qtbot.waitUntil(lambda: shown(grill) == {} and marks(expo, order) == {"grill": True, "fryer": False})
    assert shown(fryer) == shown(expo) == {order: "accepted"}  # a bump changes no status
    assert grill.window.undo_bar.isVisible()
    qtbot.mouseClick(grill.window.undo_bar, Qt.MouseButton.LeftButton)  # taken back: on the grill again
    qtbot.waitUntil(lambda: order in shown(grill) and marks(expo, order)["grill"] is False, timeout=3000)
    press(qtbot, grill, order)
    qtbot.waitUntil(lambda: shown(grill) == {})
    assert not expo.window.cards.all_done(order)
    # Each bump is a new version: a screen that taps before the feed brings it is told so (409), as any tap.
    qtbot.waitUntil(lambda: fryer.versions[order] == grill.versions[order], timeout=3000)
    press(qtbot, fryer, order)
    qtbot.waitUntil(lambda: expo.window.cards.all_done(order), timeout=3000)
    assert shown(fryer) == {}
    assert expo.versions[order] == fryer.versions[order]
    press(qtbot, expo, order)  # Ready: the order was only accepted, so the expo starts it, then readies it
    qtbot.waitUntil(lambda: shown(expo) == {}, timeout=3000)
    assert backend.applied(order, "preparing") == backend.applied(order, "ready") == 1
    assert shown(grill) == shown(fryer) == {}


def test_two_grill_screens_bumping_at_once_apply_one(fake: FakeEngine, screen: Screen, qtbot: Any) -> None:
    order = fake.add_order([("烤鸡翅", "grill"), ("Fries", "fryer")], status="preparing")["id"]
    a, b = screen(fake.url, fake.new_token(), "grill"), screen(fake.url, fake.new_token(), "grill")
    expo = screen(fake.url, fake.new_token(), "expo")
    qtbot.waitUntil(lambda: order in shown(a) and order in shown(b) and order in shown(expo))
    outcomes: list[str] = []
    for s in (a, b):
        s.commandDone.connect(lambda _id, outcome: outcomes.append(outcome))
    press(qtbot, a, order)
    press(qtbot, b, order)
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=3000)
    assert sorted(outcomes) == ["applied", "stale"]
    qtbot.waitUntil(lambda: shown(a) == shown(b) == {}, timeout=3000)
    bump = {"order_id": order, "action": "bump", "version": 1, "reason": None, "station": "grill"}
    assert [{k: c[k] for k in bump} for c in fake.commands] == [bump, bump]
    qtbot.waitUntil(lambda: marks(expo, order) == {"grill": True, "fryer": False}, timeout=3000)
    press(qtbot, expo, order)  # cooking already: Ready is one command
    qtbot.waitUntil(lambda: shown(expo) == {}, timeout=3000)
    assert [(c["action"], c["version"]) for c in fake.commands[2:]] == [("ready", 2)]


def test_a_wrong_or_revoked_token_is_refused_and_the_screen_says_so(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    backend.add()
    unpaired = (
        "This screen is not paired: ask a manager for a pairing code and run "
        f"posapp screen --engine {backend.url} --pair CODE"
    )
    wrong = screen(backend.url, "not-a-token", wait=False)
    qtbot.waitUntil(lambda: wrong.is_unpaired, timeout=3000)
    assert wrong.window.link_strip.isVisible()
    assert wrong.window.link_strip.text() == unpaired
    assert shown(wrong) == {}
    paired = screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: len(shown(paired)) == 1)
    backend.revoke_all()
    tap(qtbot, paired, next(iter(shown(paired))), Action.ACCEPT)
    qtbot.waitUntil(lambda: paired.is_unpaired, timeout=3000)
    assert paired.window.link_strip.text() == unpaired
    assert len(shown(paired)) == 1  # what it showed stays, but it takes no more taps


def test_undo_after_a_bump_is_a_command_with_the_new_version(
    backend: Backend, screen: Screen, qtbot: Any
) -> None:
    order = backend.add()
    backend.act(order, "accept")
    s = screen(backend.url, backend.token())
    qtbot.waitUntil(lambda: shown(s) == {order: "accepted"})
    tap(qtbot, s, order, Action.START)
    qtbot.waitUntil(lambda: shown(s) == {order: "preparing"} and s.window.undo_bar.isVisible(), timeout=3000)
    number = s.model.orders()[0].display_id
    assert s.window.undo_bar.text() == f"Undo: Demo #{number} → Cooking"  # the platform names which #
    qtbot.mouseClick(s.window.undo_bar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(s) == {order: "accepted"}, timeout=3000)
    assert s.versions[order] == 4  # arrived, accepted, started, undone


# -- the fake engine only: what the real one cannot be made to do on cue --------------------------


def test_an_engine_that_goes_silent_is_a_lost_link_within_two_seconds(
    fake: FakeEngine, screen: Screen, qtbot: Any
) -> None:
    s = screen(fake.url, fake.new_token())
    fake.silent = True  # the socket stays open, but not even a ping comes
    started = time.monotonic()
    qtbot.waitUntil(lambda: s.window.link_strip.isVisible(), timeout=4000)
    assert time.monotonic() - started < 3.1  # 2 s of silence, after a ping up to 1 s old
    fake.silent = False
    qtbot.waitUntil(lambda: not s.window.link_strip.isVisible(), timeout=4000)


def test_a_card_tap_opens_the_whole_order_and_cancel_sends_the_reason_picked(
    fake: FakeEngine, screen: Screen, qtbot: Any
) -> None:
    order = fake.add_order([("烤鸡翅", "grill"), ("Lemon Tea", "drinks")], status="accepted")
    grill = screen(fake.url, fake.new_token(), "grill")
    qtbot.waitUntil(lambda: len(shown(grill)) == 1)
    card = grill.window.card_rect(order["id"])
    qtbot.mouseClick(
        grill.window.view.viewport(), Qt.MouseButton.LeftButton, pos=card.topLeft() + QPoint(60, 90)
    )
    detail = grill.dialog
    assert detail is not None
    assert any("Lemon Tea" in w.text() for w in detail.findChildren(QLabel))  # every station's items
    assert not detail.findChild(QPushButton, "print-kitchen").isVisible()  # no printing from a screen
    qtbot.mouseClick(detail.findChild(QPushButton, "action-cancel"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(grill.dialog.findChild(QPushButton, "reason-too_busy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(grill) == {}, timeout=3000)
    assert fake.commands[-1] == {
        "order_id": order["id"],
        "action": "cancel",
        "version": 1,
        "actor": "grill 1",
        "reason": "Kitchen too busy",
    }


def test_pairing_keeps_the_token_in_the_keyring_and_a_bad_code_is_refused(
    fake: FakeEngine, arun: Any
) -> None:
    from posapp.vault import get_secret

    with pytest.raises(BadCode, match="wrong, used or expired"):
        arun(pair(fake.url, "000000" if "000000" not in fake.codes else "999999", "Grill 1", "grill"))
    token = arun(pair(fake.url, fake.new_code(), "Grill 1", "grill"))
    assert token in fake.tokens
    assert get_secret(token_name(fake.url)) == token == stored_token(fake.url)
    assert repr(EngineClient(fake.url, token)).count(token) == 0


def test_a_revoked_token_ends_the_feed_with_unauthorised(fake: FakeEngine, arun: Any) -> None:
    token = fake.new_token()
    client = EngineClient(fake.url, token)
    fake.tokens.clear()

    async def first_frame() -> None:
        async for _ in client.feed(0):
            pass

    with pytest.raises(Unauthorised):
        arun(first_frame())
    assert client.link is LinkState.LOST
    arun(client.close())


def run_screen_cli(arun: Any, args: list[str], tmp_path: Path, timeout: float = 30) -> tuple[int, str, str]:
    """``python -m posapp screen ...`` as its own process; the test's loop keeps serving the engine meanwhile."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"  # shared by the two runs below
    env.pop("QT_LOGGING_RULES", None)

    async def go() -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "posapp", "screen", *args,
            cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
        return proc.returncode or 0, out.decode(), err.decode()

    return arun(go(), timeout=timeout + 5)  # type: ignore[no-any-return]


def test_the_command_line_pairs_once_then_runs_from_the_keyring(
    engine: Engine, arun: Any, tmp_path: Path
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    assert engine.screens is not None
    url = screens_url(engine)
    RealBackend(engine, arun).add()
    code, _, err = run_screen_cli(arun, ["--engine", url], tmp_path)
    assert code == 1
    assert err.strip() == (
        "posapp screen: This screen is not paired: ask a manager for a pairing code and run "
        f"posapp screen --engine {url} --pair CODE"
    )
    png = tmp_path / "grill.png"
    pairing = ["--engine", url + "/", "--pair", arun(engine.screens.new_code()), "--station", "grill"]
    code, out, err = run_screen_cli(
        arun, [*pairing, "--name", "Grill 1", "--quit-after", "1.5", "--screenshot", str(png)], tmp_path
    )
    assert code == 0, err
    assert out.strip() == f"Paired with the engine at {url} as screen 1 (Grill 1)."
    assert png.stat().st_size > 10_000
    code, out2, err2 = run_screen_cli(arun, ["--engine", url, "--quit-after", "1"], tmp_path)
    assert code == 0, err2
    keyring = PlaintextKeyring()
    keyring.file_path = str(tmp_path / "xdg" / "python_keyring" / "keyring_pass.cfg")
    token = keyring.get_password("posapp", token_name(url))
    assert token
    log = (tmp_path / "xdg" / "posapp" / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert log.count("following the engine") == 2
    assert token not in out + err + out2 + err2 + log
