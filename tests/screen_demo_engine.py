"""The real order engine (posapp/engine) in-process for screen tests, its screen API on a loopback port.

``python -m tests.screen_demo_engine DATA_DIR [N]`` runs a demo engine (simulated platforms, N orders some of them
accepted or cooking, the wok dishes routed to the grill, spring rolls and dumplings to the fryer, drinks to the
drinks station, some orders' parts already bumped) and prints its screen API address and three pairing codes:
what docs/screen-counter.png, docs/screen-station.png and docs/screen-expo.png were taken against (``posapp
screen --engine URL --pair CODE [--station grill|expo] --quit-after 3 --screenshot PNG``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import sys
from pathlib import Path
from typing import Any

from posapp.config import Settings
from posapp.engine import Engine, EngineOptions
from posapp.engine.screen_api import order_json

# Menu category -> kitchen station, as a store sets it in [printing] routes.
ROUTES = {
    "wok": "grill",
    "rice": "grill",
    "noodles": "noodles",
    "drinks": "drinks",
    **{station: station for station in ("grill", "fryer", "drinks")},  # tests name the station as category
}

# The simulator's wok dishes, by name: Meituan and Ele.me send no menu category.
GRILL_DISHES = (
    "宫保鸡丁",
    "麻婆豆腐",
    "鱼香肉丝",
    "扬州炒饭",
    "Kung Pao Chicken",
    "Mapo Tofu",
    "Beef Chow Fun",
)
FRYER_DISHES = ("小笼包", "Veggie Spring Rolls", "素春卷", "Pork Dumplings (8)", "猪肉水饺(8个)")
DRINK_DISHES = ("珍珠奶茶", "Iced Lemon Tea", "冻柠檬茶")


def settings(routes: dict[str, str] | None = None) -> Settings:
    """No platforms, no printers, the screen API on a free loopback port."""
    return dataclasses.replace(
        Settings(), print_routes=dict(ROUTES if routes is None else routes), screens_port=0
    )


async def start_engine(data_dir: Path, *, demo: bool = False, prefill: int = 0) -> Engine:
    """An engine serving; orders reach it only when a test ingests them (or, with ``demo``, the simulator)."""
    engine = Engine(
        EngineOptions(
            data_dir=data_dir,
            demo=demo,
            settings=settings(),
            sim_rate_per_minute=0,
            sim_prefill=prefill,
            listen=demo,
        )
    )
    await engine.open()
    await engine.serve()
    return engine


def screens_url(engine: Engine) -> str:
    assert engine.screens is not None and engine.screens.port is not None
    return f"http://127.0.0.1:{engine.screens.port}"


async def route_dishes(engine: Engine, station: str, dishes: tuple[str, ...]) -> None:
    """Route dishes by name (menu_items.station), as a store does for platforms that send no category."""
    from posapp.store.stations import set_station

    assert engine.db is not None and engine.printing is not None

    def route(session: Any) -> None:
        for name in dishes:
            set_station(session, name, station)

    await engine.db.run(route)
    await engine.printing.load_routes()


async def _main(data_dir: Path, prefill: int) -> None:
    engine = await start_engine(data_dir, demo=True, prefill=prefill)
    assert engine.screens is not None
    await route_dishes(engine, "grill", GRILL_DISHES)
    await route_dishes(engine, "fryer", FRYER_DISHES)
    await route_dishes(engine, "drinks", DRINK_DISHES)
    await asyncio.sleep(1.0)  # the simulator's first orders come in over its webhooks
    cooking = 0
    for n, order in enumerate(await engine.orders.open_orders()):  # a queue in mid-service
        assert order.id is not None
        if n % 3:
            await engine.orders.apply(order.id, "accept", by="counter")
        if n % 3 == 2:
            await engine.orders.apply(order.id, "start", by="counter")
        if n % 3:  # being cooked: every other one all done but the grill, one of them all done
            cooking += 1
            stations = order_json(order, engine.screens.station)["stations"]
            bumped = list(stations) if cooking == 2 else [s for s in stations if s != "grill"]
            for station in bumped if cooking % 2 == 0 or cooking == 1 else []:
                await engine.screens.stations.bump(order.id, station, by=f"{station.title()} 1")
    codes = [await engine.screens.new_code() for _ in range(3)]
    print(screens_url(engine), *codes, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    await engine.stop()


if __name__ == "__main__":
    asyncio.run(_main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8))
