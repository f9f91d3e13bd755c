"""Screenshots of the pickup board following a real engine: 1024×768 and 1920×1080, English and 中文.

Run:  python tools/board_screenshots.py docs/      (under Xvfb, or QT_QPA_PLATFORM=offscreen)
Writes docs/board-{1024,1920}-{en,zh}.png. The engine runs in-process with its screen API on a loopback port;
the board pairs with it as ``posapp screen --board pickup`` does and shows what the feed brings.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
import tempfile
from pathlib import Path

import qasync
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from posapp.config import Settings
from posapp.domain.order import LineItem
from posapp.engine import Engine, EngineOptions
from posapp.errors import TransitionError
from posapp.resources import CJK_FONT, resource
from posapp.ui.i18n import install_language
from posapp.ui.screen.board import Announcer, BoardSession, PickupBoard
from posapp.ui.screen.client import EngineClient

# (platform, number the customer was given, how far the order has got)
ORDERS = [
    ("meituan", "12", "ready"),
    ("eleme", "3", "ready"),
    ("ubereats", "A7F3", "ready"),
    ("doordash", "D-4821", "preparing"),
    ("meituan", "13", "accepted"),
    ("own", "W105", "preparing"),
    ("manual", "7", "accepted"),
    ("eleme", "4", "preparing"),
    ("meituan", "14", "accepted"),
    ("ubereats", "B2C9", "accepted"),
]
STEPS = {"accepted": ["accept"], "preparing": ["accept", "start"], "ready": ["accept", "start", "ready"]}


async def shoot(out: Path, language: str) -> None:
    from tests.factories import make_order

    suffix = "zh" if language == "zh_CN" else "en"
    install_language(language)
    name = "老王面馆 Lao Wang Noodles" if language == "zh_CN" else "Lao Wang Noodles 老王面馆"
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(Settings(), store_name=name, screens_port=0)
        engine = Engine(EngineOptions(data_dir=Path(tmp), settings=settings, listen=False))
        await engine.open()
        await engine.serve()
        assert engine.screens is not None and engine.screens.port is not None
        url = f"http://127.0.0.1:{engine.screens.port}"
        for platform, number, stage in ORDERS:
            order = dataclasses.replace(
                make_order(platform=platform, items=(LineItem("dish", 1, 1000),)), display_id=number
            )
            order_id = (await engine.intake.ingest(order)).order_id
            for step in STEPS[stage]:
                with contextlib.suppress(TransitionError):  # counter orders arrive accepted
                    await engine.orders.apply(order_id, step, by="counter")
        client = EngineClient(url)
        pairing = await client.pair(await engine.screens.new_code(), "Pickup board", None)
        await client.close()
        board = PickupBoard()
        session = BoardSession(board, EngineClient(url, pairing.token), announcer=Announcer("off"))
        board.show()
        session.start()
        for width, height in ((1024, 768), (1920, 1080)):
            board.resize(width, height)
            await asyncio.sleep(1.0)
            path = out / f"board-{width}-{suffix}.png"
            board.grab().save(str(path))
            print(path, board.width(), "×", board.height())
        await session.stop()
        board.close()
        await engine.stop()


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # one board after another
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def both() -> None:
        for language in ("en", "zh_CN"):
            await shoot(out, language)

    with loop:
        loop.run_until_complete(both())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
