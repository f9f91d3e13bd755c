"""Who may see what, on what leaves the engine: the screen API gives a kitchen station's screen the first name
only (snapshot, feed and a command's answer), a counter screen a masked phone; a printed kitchen ticket,
decoded from its ESC/POS bytes, carries the first name and no phone or address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from posapp.domain.order import Customer, Fulfillment
from posapp.engine.screen_api import ScreenApi
from posapp.printing.escpos import render
from posapp.printing.layouts import TicketContext, kitchen_ticket
from posapp.printing.profiles import get_profile
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store.db import Database
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.integration.test_screen_api import call, read_feed

PHONE = "13812345678"  # as the own website gives it: whole
ADDRESS = "上海市徐汇区漕溪北路88号"


def own_order() -> Any:
    return make_order(
        platform="own",
        fulfillment=Fulfillment.DELIVERY,
        customer=Customer(name="John Smith", phone_masked=PHONE, address=ADDRESS),
        notes=f"call {PHONE} at the gate",
        raw={"customer": {"name": "John Smith", "phone": PHONE, "address": ADDRESS}},
    )


@dataclass
class Rig:
    db: Database
    api: ScreenApi
    orders: OrderService
    base: str
    order_id: int

    def pair(self, arun: Any, name: str, station: str | None) -> str:
        code = arun(self.api.new_code())
        body = {"code": code, "name": name, "station": station}
        status, answer = arun(call("POST", f"{self.base}/api/pair", body=body))
        assert status == 200, answer
        return str(answer["token"])


@pytest.fixture
def rig(db: Database, arun: Any) -> Iterator[Rig]:
    hub = Hub()
    orders = OrderService(db, hub)
    api = ScreenApi(db, hub, orders, station=lambda item: "grill")
    port = arun(api.start("127.0.0.1", 0))
    order_id = int(arun(IntakeService(db, hub).ingest(own_order())).order_id)
    yield Rig(db, api, orders, f"http://127.0.0.1:{port}", order_id)
    arun(api.stop())


def test_a_kitchen_screen_never_gets_the_phone_or_the_address(rig: Rig, arun: Any) -> None:
    grill = rig.pair(arun, "Grill 1", "grill")
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", grill))
    [wire] = snap["orders"]
    text = json.dumps(wire, ensure_ascii=False)
    assert wire["customer"]["name"] == "John"
    assert PHONE not in text and ADDRESS not in text and "Smith" not in text
    assert wire["customer"]["phone_masked"] is None and wire["customer"]["address"] is None
    assert wire["notes"] == "call 138****5678 at the gate"  # a number in the note is masked too
    # The feed and a command's answer are the same view.
    [frame] = arun(read_feed(rig.base, grill, 0, 1))
    assert frame["order"]["customer"] == wire["customer"]
    body = {"order_id": rig.order_id, "action": "accept", "version": wire["version"], "actor": "cook"}
    status, answer = arun(call("POST", f"{rig.base}/api/commands", grill, body))
    assert status == 200 and answer["order"]["customer"] == wire["customer"]
    assert PHONE not in json.dumps(answer, ensure_ascii=False)


def test_a_counter_screen_gets_the_cashiers_masked_phone(rig: Rig, arun: Any) -> None:
    counter = rig.pair(arun, "Counter", None)
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", counter))
    customer = snap["orders"][0]["customer"]
    assert customer["name"] == "John Smith" and customer["phone_masked"] == "138****5678"
    assert PHONE not in json.dumps(snap, ensure_ascii=False)


def test_a_printed_kitchen_ticket_shows_the_first_name_only() -> None:
    ctx = TicketContext(store_name="老王面馆")
    ticket = decode(render(kitchen_ticket(own_order(), ctx), get_profile("generic-80")))
    assert ticket.find("John").text.strip() == "John"
    assert not any(s in ticket.plain for s in (PHONE, ADDRESS, "Smith", "漕溪北路")), ticket.plain
    assert "138****5678" in ticket.find("call").text  # the note's number, masked


def test_a_pickup_board_pairs_as_the_board_station_and_gets_the_kitchens_view(rig: Rig, arun: Any) -> None:
    from posapp.ui.screen.main import BOARD_STATION

    board = rig.pair(arun, "Pickup board", BOARD_STATION)  # what `posapp screen --board pickup --pair` sends
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", board))
    assert snap["orders"][0]["customer"]["name"] == "John"
    assert PHONE not in json.dumps(snap, ensure_ascii=False) and "138****5678" not in json.dumps(
        snap["orders"][0]["customer"], ensure_ascii=False
    )
