"""The menu catalogue over loopback: imported from each platform's menu API (the simulator, signatures checked
by its own code), from a CSV and from past orders; an 86 reaches every platform selling the dish through the
durable push worker, with each platform's answer; station routing follows the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from posapp.config import PrinterSettings
from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import Simulator
from posapp.connectors.simulator.menus import sku_of
from posapp.domain.order import LineItem
from posapp.services.catalogue import CatalogueService, ImportFailed
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.kitchen import KitchenService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.services.worker import JobWorker
from posapp.store import audit
from posapp.store import catalogue as catalogue_repo
from posapp.store import jobs as jobstore
from posapp.store.catalogue import Dish, PlatformIds
from posapp.store.db import Database
from tests.factories import make_order

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")


@dataclass
class Rig:
    db: Database
    sim: Simulator
    channels: ChannelService
    intake: IntakeService
    catalogue: CatalogueService
    printing: PrintService
    worker: JobWorker

    def dish(self, name: str) -> Dish:
        found = [d for d in self.arun_dishes(name) if d.name == name]
        assert found, f"{name} is not in the catalogue"
        return found[0]

    def arun_dishes(self, search: str) -> list[Dish]:
        return self.db.call(lambda s: catalogue_repo.dishes(s, search))

    def menu_calls(self, platform: str) -> list[Any]:
        return [p.body for p in self.sim.pushes_for(platform)]


def connect(sim: Simulator, name: str, *, secret: str | None = None) -> Connector:
    plat = sim.platforms[name]
    c = registry.make(name, base_url=sim.url_for(name), app_id=plat.app_id, secret=secret or plat.secret)
    if name == "meituan":
        c.poi_code = plat.poi_code  # type: ignore[attr-defined]
    elif name == "eleme":
        c.shop_id = plat.shop_id  # type: ignore[attr-defined]
    elif name == "ubereats":
        c.store_id = plat.store_id  # type: ignore[attr-defined]
    return c


@pytest.fixture
def rig(db: Database, arun: Any, tmp_path: Any) -> Iterator[Rig]:
    hub = Hub()
    planner = JobPlanner()
    intake = IntakeService(db, hub, planner)
    sim = Simulator(platforms=PLATFORMS, seed=3)
    arun(sim.start())
    channels = ChannelService(intake, hub, [connect(sim, n) for n in PLATFORMS])
    register(planner, channels)
    kitchen = KitchenService(db, hub, intake, platforms=lambda: list(channels.connectors))
    printers = [
        PrinterSettings("kitchen", f"file:{tmp_path / 'k.bin'}", role="kitchen"),
        PrinterSettings("grill", f"file:{tmp_path / 'g.bin'}", role="grill"),
    ]
    printing = PrintService(db, hub, printers)
    catalogue = CatalogueService(
        db,
        kitchen,
        connectors=lambda: channels.connectors,
        client=lambda: channels.client,
        reload_routes=printing.load_routes,
    )
    worker = JobWorker(
        db,
        hub,
        PUSH_KIND,
        channels.handle_push,
        base_delay=0.05,
        max_delay=0.2,
        idle_poll=0.05,
        batch_size=20,
    )
    yield Rig(db, sim, channels, intake, catalogue, printing, worker)
    arun(worker.stop())
    arun(channels.stop())
    arun(sim.stop())


def test_each_platform_menu_api_fills_the_catalogue_with_ids_prices_and_categories(
    rig: Rig, arun: Any
) -> None:
    meituan = arun(rig.catalogue.import_platform("meituan", by="boss"))
    assert (meituan.added, meituan.updated) == (10, 0)
    eleme = arun(rig.catalogue.import_platform("eleme", by="boss"))
    assert (eleme.added, eleme.updated) == (0, 10)  # the same dishes: their Ele.me ids join them
    uber = arun(rig.catalogue.import_platform("ubereats", by="boss"))
    assert (uber.added, uber.updated) == (7, 0)

    kung_pao = rig.dish("宫保鸡丁")
    assert kung_pao.price == 3200 and kung_pao.category == "热菜"  # 32.00 yuan, Meituan's category name
    assert kung_pao.platforms["meituan"] == PlatformIds(sku_of("宫保鸡丁"), sku_of("宫保鸡丁"))
    assert kung_pao.platforms["eleme"] == PlatformIds("200000", "300000")  # itemId, specId
    chow_fun = rig.dish("Beef Chow Fun")
    assert chow_fun.price == 1595 and chow_fun.category == "Noodles"
    assert chow_fun.platforms == {"ubereats": PlatformIds(sku_of("Beef Chow Fun"))}
    assert [d.name for d in rig.arun_dishes("chow")] == ["Beef Chow Fun"]  # search by name, any case
    assert [d.name for d in rig.arun_dishes(sku_of("麻婆豆腐"))] == ["麻婆豆腐"]  # or by a platform id
    assert arun(rig.catalogue.import_platform("meituan", by="boss")).added == 0  # again: nothing twice
    actions = rig.db.call(lambda s: [e.detail for e in audit.entries(s, action="menu_import")])
    assert any(str(a).startswith("meituan: +10") for a in actions)


def test_a_wrong_secret_is_refused_by_the_platform_and_changes_nothing(rig: Rig, arun: Any) -> None:
    rig.channels.connectors["meituan"] = connect(rig.sim, "meituan", secret="not-the-secret")
    with pytest.raises(ImportFailed, match="703"):
        arun(rig.catalogue.import_platform("meituan", by="boss"))
    rig.channels.connectors["ubereats"] = connect(rig.sim, "ubereats", secret="wrong")
    with pytest.raises(ImportFailed):
        arun(rig.catalogue.import_platform("ubereats", by="boss"))
    assert rig.arun_dishes("") == []


def test_a_dead_platform_loses_nothing_and_says_so(rig: Rig, arun: Any) -> None:
    rig.sim.platforms["eleme"].fail_next = 1
    with pytest.raises(ImportFailed, match="Could not reach"):
        arun(rig.catalogue.import_platform("eleme", by="boss"))
    assert rig.arun_dishes("") == []
    assert arun(rig.catalogue.import_platform("eleme", by="boss")).added == 10


def test_doordash_has_no_menu_read_and_the_sentence_says_so(rig: Rig, arun: Any) -> None:
    assert "doordash" not in rig.catalogue.importable()
    with pytest.raises(ImportFailed, match="no call that lists a store's menu"):
        arun(rig.catalogue.import_platform("doordash", by="boss"))


def test_86_goes_to_every_platform_selling_the_dish_and_each_answer_is_shown(
    rig: Rig, arun: Any, qtbot: Any
) -> None:
    arun(rig.catalogue.import_platform("meituan", by="boss"))
    arun(rig.catalogue.import_platform("eleme", by="boss"))
    rig.sim.platforms["eleme"].fail_next = 2  # Ele.me's network is down for the first tries
    targets = arun(rig.catalogue.set_sold_out("宫保鸡丁", True, by="boss"))
    assert sorted(targets) == ["eleme", "meituan"]
    rig.worker.start()
    qtbot.waitUntil(lambda: any(a.state == "waiting" and a.detail for a in answers(rig, arun)), timeout=5000)
    qtbot.waitUntil(lambda: [a.state for a in answers(rig, arun)] == ["sent", "sent"], timeout=10000)
    assert [(a.platform, a.action) for a in answers(rig, arun)] == [
        ("eleme", "sold_out"),
        ("meituan", "sold_out"),
    ]
    meituan = [b for b in rig.menu_calls("meituan") if b.get("api") == "food/sku/sellStatus"]
    assert len(meituan) == 1 and sku_of("宫保鸡丁") in meituan[0]["food_data"]
    assert meituan[0]["sell_status"] == "1"
    eleme = [b for b in rig.menu_calls("eleme") if str(b.get("action", "")).endswith("batchClearStock")]
    assert len(eleme) == 1  # once, after the failed tries
    assert eleme[0]["params"]["specIds"] == [{"itemId": 200000, "specId": 300000}]
    assert rig.dish("宫保鸡丁").available is False


def answers(rig: Rig, arun: Any) -> list[Any]:
    return list(arun(rig.catalogue.answers("宫保鸡丁")))


def test_a_refused_86_is_shown_as_refused(rig: Rig, arun: Any, qtbot: Any) -> None:
    arun(
        rig.catalogue.save(Dish("Ghost dish", platforms={"ubereats": PlatformIds("no-such-item")}), by="boss")
    )
    rig.sim.platforms["ubereats"].fail_next = 0
    rig.channels.connectors["ubereats"].store_id = ""  # type: ignore[attr-defined]
    arun(rig.catalogue.set_sold_out("Ghost dish", True, by="boss"))
    rig.worker.start()
    qtbot.waitUntil(
        lambda: [a.state for a in arun(rig.catalogue.answers("Ghost dish"))] == ["refused"], timeout=5000
    )
    answer = arun(rig.catalogue.answers("Ghost dish"))[0]
    assert "store id" in answer.detail
    assert rig.db.call(lambda s: jobstore.queue_state(s, PUSH_KIND)).pending == 0


def test_station_routing_follows_the_catalogue_by_platform_id(rig: Rig, arun: Any) -> None:
    arun(
        rig.catalogue.save(
            Dish(
                "Grilled lamb skewers",
                category="bbq",
                station="grill",
                price=1800,
                platforms={"meituan": PlatformIds("MT-LAMB")},
            ),
            by="boss",
        )
    )
    # The order names the dish its own way, but carries the Meituan id the catalogue holds.
    order = make_order(
        platform="meituan", items=(LineItem("羊肉串 x5", 1, 1800, sku="MT-LAMB"), LineItem("Rice", 1, 200))
    )
    assert rig.printing.route(order) == {"grill": [0], "kitchen": [1]}
    # Moved to the kitchen in the editor: the next ticket follows.
    dish = rig.dish("Grilled lamb skewers")
    arun(rig.catalogue.save(replace(dish, station="kitchen"), by="boss"))
    assert rig.printing.route(order) == {"kitchen": [0, 1]}


def test_csv_import_reads_prices_stations_and_platform_ids(rig: Rig, arun: Any) -> None:
    data = (
        "\ufeffName,Category,Station,Price,meituan,meituan_sku,ubereats\n"
        "宫保鸡丁,热菜,grill,¥32.00,MT-1,MT-1-S,\n"
        "Iced Lemon Tea,drinks,bar,3.95,,,UE-TEA\n"
        ",,,,,,\n"
    ).encode()
    report = arun(rig.catalogue.import_csv(data, by="boss"))
    assert (report.added, report.updated) == (2, 0)
    tea = rig.dish("Iced Lemon Tea")
    assert (tea.price, tea.station, tea.platforms) == (395, "bar", {"ubereats": PlatformIds("UE-TEA")})
    kung_pao = rig.dish("宫保鸡丁")
    assert kung_pao.platforms == {"meituan": PlatformIds("MT-1", "MT-1-S")} and kung_pao.station == "grill"
    gbk = "名称,价格\n鱼香肉丝,28\n".encode("gb18030")  # a Chinese header, in GB18030 as Excel saves it
    assert arun(rig.catalogue.import_csv(gbk, by="boss")).added == 1
    assert rig.dish("鱼香肉丝").price == 2800


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"dish,price\nx,1\n", "needs a header row with a name/名称 column"),
        ("name,price\n好菜,12\n坏菜,twelve\n".encode(), "line 3: price 'twelve' is not a number"),
        (b"name,price\nx,1e9\n", "not a plausible price"),
        (b"\xff\xfe\x00bad", "neither UTF-8 nor GB18030"),
        (b"name\n" + b"x" * 2_000_001, "larger than"),
    ],
)
def test_a_bad_csv_says_why_and_imports_nothing(rig: Rig, arun: Any, data: bytes, sentence: str) -> None:
    with pytest.raises(ImportFailed, match=sentence.replace("(", r"\(")):
        arun(rig.catalogue.import_csv(data, by="boss"))
    assert rig.arun_dishes("") == []


def test_dishes_seen_in_orders_join_the_catalogue_with_their_platform_ids(rig: Rig, arun: Any) -> None:
    arun(
        rig.intake.ingest(make_order(platform="meituan", items=(LineItem("葱油拌面", 1, 1800, sku="MT-9"),)))
    )
    arun(
        rig.intake.ingest(make_order(platform="ubereats", items=(LineItem("葱油拌面", 2, 1800, sku="UE-9"),)))
    )
    arun(rig.catalogue.import_from_orders(by="boss"))
    noodles = rig.dish("葱油拌面")
    assert noodles.platforms == {"meituan": PlatformIds("MT-9"), "ubereats": PlatformIds("UE-9")}
