"""Setting a shop up through SetupService against the built-in simulator playing the real platforms: Test
connection says what is wrong in one word, and saved settings take effect on the running engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.config import Settings
from posapp.connectors.base import CheckProblem
from posapp.connectors.simulator import Simulator
from posapp.engine import Engine, EngineOptions
from posapp.errors import ConfigError
from posapp.settings_schema import SettingsInvalid
from posapp.store.settings import get_setting
from tests.escpos_decoder import decode
from tests.printer_server import FakePrinter, free_port

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")


@pytest.fixture
def sim(arun: Any) -> Iterator[Simulator]:
    """The platforms. Tests ask for it before ``engine``: the counter stops first (its last pushes and its
    connections closed by its own stop), and the platforms outlive it, as they do."""
    simulator = Simulator(platforms=PLATFORMS, rate_per_minute=0, seed=7)
    arun(simulator.start())
    yield simulator
    arun(simulator.stop())


@pytest.fixture
def engine(arun: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    arun(eng.serve())
    yield eng
    arun(eng.stop())


def fields(sim: Simulator, name: str, **extra: str) -> dict[str, str]:
    plat = sim.platforms[name]
    shop = {"meituan": "poi_code", "eleme": "shop_id"}.get(name, "store_id")
    shop_id = {"meituan": "demo-poi-1", "eleme": "161856062"}.get(name) or getattr(plat, "store_id", "")
    return {"base_url": sim.url_for(name), "app_id": plat.app_id, shop: shop_id, **extra}


@pytest.mark.parametrize("name", PLATFORMS)
def test_test_connection_tells_a_wrong_secret_from_a_wrong_shop_from_success(
    arun: Any, sim: Simulator, engine: Engine, name: str
) -> None:
    right = sim.platforms[name].secret
    wrong_secret = (
        "not-the-secret-" + right[::-1]
        if name != "doordash"
        else "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc"
    )
    bad = arun(engine.setup.test_connection(name, fields(sim, name), wrong_secret))
    assert (bad.ok, bad.problem) == (False, CheckProblem.WRONG_SECRET)
    shop_key = {"meituan": "poi_code", "eleme": "shop_id"}.get(name, "store_id")
    not_ours = arun(engine.setup.test_connection(name, fields(sim, name, **{shop_key: "99999"}), right))
    assert (not_ours.ok, not_ours.problem) == (False, CheckProblem.WRONG_SHOP)
    good = arun(engine.setup.test_connection(name, fields(sim, name), right))
    assert good.ok and good.shop


def test_no_network_and_a_wrong_clock_are_named(arun: Any, sim: Simulator, engine: Engine) -> None:
    gone = fields(sim, "ubereats", base_url=f"http://127.0.0.1:{free_port()}")
    result = arun(engine.setup.test_connection("ubereats", gone, sim.platforms["ubereats"].secret))
    assert result.problem is CheckProblem.NO_NETWORK
    engine.setup.clock = lambda: datetime.now(UTC) + timedelta(hours=2)  # this computer's clock is off
    skewed = arun(
        engine.setup.test_connection("ubereats", fields(sim, "ubereats"), sim.platforms["ubereats"].secret)
    )
    assert skewed.problem is CheckProblem.CLOCK_SKEW


def test_a_saved_platform_takes_orders_at_once_and_its_secret_stays_in_the_keyring(
    arun: Any, sim: Simulator, engine: Engine, qtbot: Any
) -> None:
    secret = sim.platforms["meituan"].secret
    arun(engine.setup.save_platform("meituan", fields(sim, "meituan"), secret=secret, by="manager:Ann"))
    assert engine.channels is not None and "meituan" in engine.channels.connectors
    url = engine.setup.webhook_url("meituan")
    assert url == f"http://127.0.0.1:{engine.channels.listen_port}/meituan"
    sim.webhook_base = url.removesuffix("/meituan")
    arun(sim.emit("meituan"))
    qtbot.waitUntil(lambda: len(arun(engine.orders.open_orders())) == 1, timeout=10000)
    (order,) = arun(engine.orders.open_orders())
    assert order.status == "new"
    # Auto-accept switched on from the screens: the next order is accepted on arrival, no restart.
    arun(
        engine.setup.save_platform(
            "meituan", fields(sim, "meituan"), secret=None, auto_accept=True, by="manager:Ann"
        )
    )
    arun(sim.emit("meituan"))
    qtbot.waitUntil(lambda: len(arun(engine.orders.open_orders())) == 2, timeout=10000)
    assert {o.status for o in arun(engine.orders.open_orders())} == {"new", "accepted"}
    stored = arun(engine.db.run(lambda s: get_setting(s, "config.document")))  # type: ignore[union-attr]
    assert (
        secret not in json.dumps(stored) and stored["platforms"]["meituan"]["secret_ref"] == "meituan-secret"
    )


def test_a_printer_added_then_moved_prints_where_it_is_now(arun: Any, engine: Engine, qtbot: Any) -> None:
    with FakePrinter() as first, FakePrinter() as second:
        arun(engine.setup.save_printer("kitchen", {"uri": first.uri, "role": "kitchen"}, by="manager:Ann"))
        result = arun(engine.setup.test_print("kitchen", {"uri": first.uri, "role": "kitchen"}))
        assert result.ok and result.preview_png.startswith(b"\x89PNG")
        qtbot.waitUntil(lambda: len(first.tickets) == 1, timeout=10000)
        assert "Test" in decode(first.tickets[0]).plain or first.tickets[0]
        arun(engine.setup.save_printer("kitchen", {"uri": second.uri, "role": "kitchen"}, by="manager:Ann"))
        made = arun(engine.manual.create(_draft(), by="counter"))  # manual orders are accepted on entry
        order = arun(engine.orders.get(made.order_id))
        qtbot.waitUntil(lambda: len(second.tickets) == 1, timeout=10000)
        assert f"#{order.display_id}" in decode(second.tickets[0]).plain
        assert len(first.tickets) == 1


def test_a_wrong_value_is_refused_with_its_sentence_and_nothing_changes(arun: Any, engine: Engine) -> None:
    with pytest.raises(SettingsInvalid) as caught:
        arun(
            engine.setup.save_printer(
                "kitchen", {"uri": "tcp://10.0.0.9:9100", "width": 70}, by="manager:Ann"
            )
        )
    assert [p.sentence for p in caught.value.problems] == [
        "Settings: [printers.kitchen] width must be one of 58 or 80, not 70."
    ]
    assert engine.settings.printers == ()
    assert arun(engine.db.run(lambda s: get_setting(s, "config.document"))) is None  # type: ignore[union-attr]


async def _status(port: int) -> int:
    """The screen API's answer to a snapshot request without a screen's token (the engine runs on this loop)."""
    async with httpx.AsyncClient(timeout=5) as client:
        return (await client.get(f"http://127.0.0.1:{port}/api/snapshot")).status_code


def _draft() -> Any:
    from posapp.services.manual import DEFAULT_QUICK_MENU, ManualDraft, ManualLine

    entry = DEFAULT_QUICK_MENU[0]
    return ManualDraft(lines=(ManualLine(entry.name, 1, entry.price, entry.sku),))


def test_store_and_report_options_apply_to_reports_and_manual_orders_at_once(
    arun: Any, engine: Engine
) -> None:
    from posapp.services.manual import ManualDraft, ManualLine, MenuEntry

    arun(
        engine.setup.save_store(
            name="Noodle Bar",
            timezone="America/New_York",
            currency="USD",
            day_cutoff="06:00",
            language=None,
            by="manager:Ann",
        )
    )
    menu = [{"name": "Dan Dan Noodles", "price": "9.50", "sku": "DD1"}]
    arun(
        engine.setup.save_sections(
            {"manual": {"menu": menu}, "reports": {"retention_days": 30}}, by="manager:Ann"
        )
    )

    # The business day of 10 March now starts at 06:00 in New York (EDT, UTC-4), not 04:00 in Shanghai.
    assert engine.reports is not None
    assert engine.reports.period(date(2026, 3, 10)).start == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    assert engine.customers.retention_days == 30
    assert engine.manual.quick_menu == (MenuEntry("Dan Dan Noodles", 950, "DD1"),)
    assert engine.manual.business_day_start(datetime(2026, 3, 10, 9, 0, tzinfo=UTC)) == datetime(
        2026, 3, 9, 10, 0, tzinfo=UTC
    )  # 05:00 in New York is still the 9th's business day
    made = arun(
        engine.manual.create(ManualDraft(lines=(ManualLine("Dan Dan Noodles", 2, 950, "DD1"),)), by="counter")
    )
    order = arun(engine.orders.get(made.order_id))
    assert order.currency == "USD" and order.totals.total == 1900


def test_the_screen_api_moves_to_the_port_set_in_shop_setup_and_a_taken_port_is_refused(
    arun: Any, engine: Engine
) -> None:
    import socket

    assert engine.screens is not None and engine.screens.port is not None
    old, new = engine.screens.port, free_port()
    arun(engine.setup.save_section("screens", {"host": "127.0.0.1", "port": new}, by="manager:Ann"))
    assert engine.screens.port == new
    # Without a screen's token the API answers 401: it is this API, listening on the new port.
    assert arun(_status(new)) == 401
    with pytest.raises(httpx.ConnectError):
        arun(_status(old))

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot serve the kitchen screens on 127.0.0.1:{port}"):
            arun(engine.setup.save_section("screens", {"port": port}, by="manager:Ann"))
    assert arun(_status(new)) == 401  # still served where it was


def test_head_office_sync_set_up_or_moved_in_shop_setup_sends_the_next_changes_there(
    arun: Any, engine: Engine, qtbot: Any, tmp_path: Path
) -> None:
    from posapp.hq.receiver import Receiver
    from posapp.vault import set_secret

    token = "upload-token-7"
    set_secret("hq-upload-token", token)
    first = Receiver(f"sqlite:///{tmp_path / 'hq-1.db'}", token)
    second = Receiver(f"sqlite:///{tmp_path / 'hq-2.db'}", token)
    arun(first.start("127.0.0.1", 0))
    arun(second.start("127.0.0.1", 0))
    try:
        assert engine.uploader is None  # no [sync] yet
        arun(
            engine.setup.save_section(
                "sync", {"endpoint": first.url, "store_id": "store-7"}, by="manager:Ann"
            )
        )
        one = arun(engine.manual.create(_draft(), by="counter")).order_id
        qtbot.waitUntil(lambda: _uploaded(tmp_path / "hq-1.db") == {("store-7", one)}, timeout=10000)

        arun(
            engine.setup.save_section(
                "sync", {"endpoint": second.url, "store_id": "store-8"}, by="manager:Ann"
            )
        )
        two = arun(engine.manual.create(_draft(), by="counter")).order_id
        qtbot.waitUntil(lambda: _uploaded(tmp_path / "hq-2.db") == {("store-8", two)}, timeout=10000)
        assert _uploaded(tmp_path / "hq-1.db") == {("store-7", one)}  # nothing more went to the old address
    finally:
        for receiver in (first, second):
            arun(receiver.stop())
            receiver.close()


def _uploaded(path: Path) -> set[tuple[str, int]]:
    """(store, order id) of every change the receiver stored."""
    import sqlite3

    if not path.exists():
        return set()
    con = sqlite3.connect(path)
    try:
        return {(str(s), int(o)) for s, o in con.execute("SELECT store_id, local_order_id FROM hq_changes")}
    except sqlite3.OperationalError:  # the receiver has not made its table yet
        return set()
    finally:
        con.close()


def test_the_auto_cancel_countdown_is_set_from_the_screens_and_a_save_keeps_what_the_form_does_not_show(
    arun: Any, sim: Simulator, engine: Engine, qtbot: Any
) -> None:
    from posapp.ui.setup.pages import PlatformsPage

    secret = sim.platforms["meituan"].secret
    doc = {"platforms": {"meituan": {**fields(sim, "meituan"), "callback_url": "https://shop.example/mt"}}}
    doc["platforms"]["meituan"].update(secret_ref="meituan-secret", enabled=True)
    engine.setup.set_secret("meituan-secret", secret)
    arun(engine.setup.save(doc, by="config import"))  # a scripted roll-out wrote an option the form lacks
    page = PlatformsPage(engine.setup, settings=True)
    qtbot.addWidget(page)
    page._fill(arun(engine.setup.document()))
    page.pick("meituan")
    assert page.auto_cancel.text() == "" and "none published" in page.auto_cancel.placeholderText()
    page.auto_cancel.setText("ten")
    page.save()
    assert "number" in page.message.text()  # refused in words, nothing stored
    page.auto_cancel.setText("8")
    page.save()
    qtbot.waitUntil(
        lambda: "auto_cancel_minutes" in arun(engine.setup.document())["platforms"]["meituan"], timeout=10000
    )
    table = arun(engine.setup.document())["platforms"]["meituan"]
    assert table["auto_cancel_minutes"] == 8 and table["callback_url"] == "https://shop.example/mt"
    (meituan,) = [p for p in engine.settings.platforms if p.name == "meituan"]
    assert meituan.auto_cancel_minutes == 8  # the running app counts down from its next window build
    page.pick("ubereats")
    assert "11.5" in page.auto_cancel.placeholderText()  # Uber Eats documents its own window


def test_config_import_from_another_process_applies_to_the_running_engine(
    arun: Any, engine: Engine, tmp_path: Path
) -> None:
    """``posapp config import`` run beside a running engine (a real second process on the same data dir):
    the engine applies the imported document within seconds, without a restart; a file with a mistake is
    refused by the command and the engine keeps what it had."""
    import asyncio
    import subprocess
    import sys

    data_dir = tmp_path / "shop"
    bad = tmp_path / "bad.toml"
    bad.write_text('[reports]\nlate_prep_minutes = "ten"\n', encoding="utf-8")
    good = tmp_path / "shop.toml"
    good.write_text(
        '[store]\nname = "Imported Noodles"\ntimezone = "Europe/Paris"\ncurrency = "EUR"\n'
        '[reports]\nday_cutoff = "05:00"\nretention_days = 45\n',
        encoding="utf-8",
    )

    def config_import(path: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "posapp", "config", "import", str(path), "--data-dir", str(data_dir)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    refused = config_import(bad)
    assert refused.returncode == 2 and "late_prep_minutes" in refused.stderr
    taken = config_import(good)
    assert taken.returncode == 0, taken.stderr
    assert "within a few seconds" in taken.stdout

    async def applied() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        # The name is set first in the engine's reconfigure, the purge's retention last: wait for both.
        while engine.settings.store_name != "Imported Noodles" or engine.customers.retention_days != 45:
            assert loop.time() - start < 15, "the imported settings were not applied"
            await asyncio.sleep(0.1)
        return loop.time() - start

    waited = arun(applied())
    assert waited < 15
    assert engine.settings.currency == "EUR" and engine.customers.retention_days == 45
    assert engine.reports is not None
    assert engine.reports.period(date(2026, 3, 10)).start == datetime(
        2026, 3, 10, 4, 0, tzinfo=UTC
    )  # 05:00 CET
