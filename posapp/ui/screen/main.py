"""``posapp screen``: pair with an engine once (token into the OS keyring), then show its queue as one screen.

Start-up: the token (paired now, or read from the keyring), the Qt application and language, the window, the
session (snapshot, then the feed), and on ``--quit-after`` the screenshot and a clean stop.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posapp.config import Settings
from posapp.errors import ConfigError, PosappError
from posapp.shutdown import on_stop_signals
from posapp.ui.screen.client import EngineClient

log = logging.getLogger("posapp")
BOARD_STATION = "board"  # what a board pairs as (see main)


@dataclass
class ScreenOptions:
    engine: str
    token: str
    name: str
    station: str | None = None
    kiosk: bool = False
    language: str | None = None
    quit_after: float | None = None
    screenshot: Path | None = None
    settings: Settings = field(default_factory=Settings)
    board: str | None = None  # "pickup": the pickup board instead of a queue of cards
    announce: str = "chime"  # the board, when an order becomes ready: off, chime, voice


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="posapp screen",
        description="a kitchen screen (counter, grill, expo...) showing a running engine's queue",
    )
    p.add_argument("--engine", required=True, metavar="URL", help="the engine's screen API, http://HOST:PORT")
    p.add_argument("--pair", metavar="CODE", help="pair this screen with the six-digit code a manager made")
    p.add_argument("--name", help="this screen's name, shown in the audit log (default: from the station)")
    p.add_argument("--station", help="show only this station's items (grill, fryer...); default: everything")
    p.add_argument(
        "--board",
        choices=["pickup"],
        help="a board for customers and riders instead of a kitchen queue: pickup (Preparing / Ready)",
    )
    p.add_argument(
        "--announce",
        choices=["off", "chime", "voice"],
        default="chime",
        help="the pickup board, when an order becomes ready: nothing, a chime, or the number spoken "
        "(the chime where no speech engine is installed)",
    )
    p.add_argument("--kiosk", action="store_true", help="full screen, for a touchscreen")
    p.add_argument("--language", choices=["en", "zh_CN"], help="screen language (default: the system's)")
    p.add_argument(
        "--config",
        type=Path,
        help="settings TOML: time zone, theme, text size (default: the user config dir)",
    )
    p.add_argument("--quit-after", type=float, metavar="S", help="quit by itself after S seconds")
    p.add_argument("--screenshot", type=Path, metavar="PATH", help="save the window as PNG before quitting")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def token_name(engine_url: str) -> str:
    """The keyring entry holding this screen's token for one engine."""
    return f"screen-token:{engine_url}"


def engine_url(text: str) -> str:
    url = text.strip().rstrip("/")
    scheme, _, host = url.partition("://")
    if scheme not in ("http", "https") or not host:
        raise ConfigError(f"--engine wants the engine's address as http://HOST:PORT, not {text!r}.")
    return url


def main(argv: Sequence[str]) -> int:
    """0 after a clean stop; 1 when the screen cannot start (not paired, bad code, engine refused it)."""
    from posapp import logs
    from posapp.config import default_data_dir, load_settings
    from posapp.ui import qt_messages

    args = parser().parse_args(argv)
    from posapp.engine.thread import share_the_gil_finely

    share_the_gil_finely()
    if args.board and args.station:  # before the log is set up: a usage mistake, nothing ran
        print(
            "posapp screen: a board shows every station; give --board or --station, not both", file=sys.stderr
        )
        return 2
    logs.setup(default_data_dir(), verbose=args.verbose)
    qt_messages.install()
    name = args.name or (
        "Pickup board"
        if args.board
        else (f"{args.station.title()} screen" if args.station else "Counter screen")
    )
    try:
        settings = load_settings(args.config)
        _ = settings.tz  # an unknown time zone is refused now, with its sentence
        url = engine_url(args.engine)
        # A board pairs as the station "board": the engine then sends it the kitchen's view of a customer
        # (first name only), not the counter's (engine/screen_api.screen_sight); it shows numbers anyway.
        paired_as = BOARD_STATION if args.board else args.station
        token = asyncio.run(pair(url, args.pair, name, paired_as)) if args.pair else stored_token(url)
    except PosappError as exc:
        print(f"posapp screen: {exc}", file=sys.stderr)
        log.error("%s", exc, extra=logs.SHOWN)
        return 1
    return run(
        ScreenOptions(
            engine=url,
            token=token,
            name=name,
            station=args.station,
            kiosk=args.kiosk,
            language=args.language,
            quit_after=args.quit_after,
            screenshot=args.screenshot,
            settings=settings,
            board=args.board,
            announce=args.announce,
        )
    )


def stored_token(url: str) -> str:
    from posapp.ui.screen.session import unpaired_text
    from posapp.vault import get_secret

    token = get_secret(token_name(url))
    if not token:
        raise ConfigError(unpaired_text(url))
    return token


async def pair(url: str, code: str, name: str, station: str | None) -> str:
    """Trade the code for a token and keep it in the keyring; without a keyring, keep it for this run only."""
    from posapp.vault import set_secret

    client = EngineClient(url)
    try:
        pairing = await client.pair(code.strip(), name, station)
    finally:
        await client.close()
    try:
        set_secret(token_name(url), pairing.token)
    except ConfigError as exc:
        print(
            f"posapp screen: paired, but {exc} This screen works until it is closed; then it needs a new code.",
            file=sys.stderr,
        )
    else:
        print(f"Paired with the engine at {url} as screen {pairing.screen_id} ({name}).")
    return pairing.token


def run(options: ScreenOptions) -> int:
    """Show the screen until its window closes (or ``quit_after``); 1 if the engine refused its token."""
    from datetime import timedelta

    import qasync
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    from posapp.resources import CJK_FONT, resource
    from posapp.ui.branding import brand
    from posapp.ui.card_delegate import Lateness
    from posapp.ui.i18n import install_language
    from posapp.ui.queue_model import QueueModel
    from posapp.ui.screen.session import ScreenSession
    from posapp.ui.screen.window import ScreenWindow
    from posapp.ui.theme import DARK, LIGHT

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    brand()
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def main() -> int:
        QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
        install_language(options.language)
        if options.board is not None:
            return await run_board(options)
        settings = options.settings
        window = ScreenWindow(
            QueueModel(),
            station=options.station,
            name=options.name,
            engine_url=options.engine,
            palette=LIGHT if settings.theme == "light" else DARK,
            scale=settings.font_scale,
            tz=settings.tz,
        )
        window.delegate.lateness = Lateness(
            timedelta(minutes=settings.lateness_warn_minutes),
            timedelta(minutes=settings.lateness_late_minutes),
        )
        client = EngineClient(options.engine, options.token)
        session = ScreenSession(window, client, station=options.station, actor=options.name)
        return await _until_closed(
            window, session, options, f"screen {options.name!r} following the engine at {options.engine}"
        )

    with loop:
        return loop.run_until_complete(main())


async def run_board(options: ScreenOptions) -> int:
    """The pickup board until its window closes (or ``quit_after``); 1 if the engine refused its token."""

    from posapp.ui.screen.board import Announcer, BoardSession, PickupBoard

    board = PickupBoard(store_name=options.settings.store_name)
    session = BoardSession(
        board, EngineClient(options.engine, options.token), announcer=Announcer(options.announce)
    )
    return await _until_closed(
        board, session, options, f"pickup board following the engine at {options.engine}"
    )


async def _until_closed(window: Any, session: Any, options: ScreenOptions, what: str) -> int:
    """Show ``window`` (a queue screen or the pickup board) with its session until it closes, ``quit_after``
    passes or SIGTERM comes; 1 when the engine refused the screen's token (said on stderr), else 0."""
    from PySide6.QtCore import QTimer

    closed = asyncio.Event()
    window.closing.connect(closed.set)
    window.resize(1024, 768)
    if options.kiosk:
        window.showFullScreen()
    else:
        window.show()
    session.start()
    log.info("%s", what)
    if options.quit_after is not None:
        QTimer.singleShot(int(options.quit_after * 1000), closed.set)
    on_stop_signals(closed.set)
    await closed.wait()
    if options.screenshot is not None:
        window.grab().save(str(options.screenshot))
    window.hide()
    await session.stop()
    if session.is_unpaired:
        print(f"posapp screen: {window.link_strip.text()}", file=sys.stderr)
        return 1
    return 0
