"""Bounce-back offers end to end on a real SQLite file: the receipt a file printer got (decoded), codes used
once at the counter and on the website, expiry, minimum spend, two counters at once, and the report."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from posapp.connectors.own import OwnConnector
from posapp.domain.offers import (
    SEGMENTS,
    OfferError,
    OfferKind,
    Redemption,
    format_code,
    new_code,
)
from posapp.domain.order import Customer, LineItem, Order, Payment, Totals
from posapp.services.manual import ManualOrderService
from posapp.store import offers as offer_store
from posapp.store import orders as repo
from posapp.store.db import Database, open_database
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.offer_fixtures import DUMPLINGS, MANAGER, NOODLES, PHONE, TZ, Shop, draft, offer


@pytest.fixture
def shop(db: Database, tmp_path: Path, arun: Any) -> Iterator[Shop]:
    s = Shop(db, tmp_path)
    yield s
    arun(s.worker.stop())


def counter_order(at: datetime, total: int = 3000) -> Order:
    return make_order(
        platform="manual",
        placed_at=at,
        items=(LineItem("Fried Rice", 1, total),),
        totals=Totals(subtotal=total, total=total),
        customer=Customer(name="Li", phone_masked="138****5678"),
        payment=Payment("cash", True),
    )


def test_a_new_counter_customer_gets_the_offer_and_a_code_on_the_printed_receipt(
    shop: Shop, arun: Any, qtbot: Any
) -> None:
    arun(shop.offers.save(offer({"new", "lapsing"}, min_spend=5000, valid_days=14), by=MANAGER))
    shop.worker.start()
    order_id = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    arun(shop.printing.print_receipt(order_id))
    qtbot.waitUntil(lambda: len(shop.printed()) == 1, timeout=10_000)
    receipt = shop.printed()[0]
    issued = shop.db.call(lambda s: offer_store.code_of_order(s, order_id))
    assert issued is not None
    shown = format_code(issued.code)
    assert "10 % off your next pickup" in receipt.plain
    assert receipt.find(shown).size == (2, 2)  # the code, double size, to read back over the phone
    assert shown in receipt.qr_codes and receipt.qr_codes[0].startswith("manual:")
    expires = (issued.issued_at + timedelta(days=14)).astimezone(UTC)
    assert issued.expires_at == expires
    until = f"valid until 有效期至 {expires.astimezone(TZ):%Y-%m-%d}"
    assert receipt.find(until).align == "center" and "min. spend 最低消费 ￥50.00" in receipt.plain
    # A reprint carries the same code, never a second one.
    arun(shop.printing.reprint(order_id, "receipt"))
    qtbot.waitUntil(lambda: len(shop.printed()) == 2, timeout=10_000)
    again = shop.printed()[1]
    assert shown in again.plain and "REPRINT" in again.plain
    assert (
        shop.db.call(lambda s: offer_store.counts_between(s, expires - timedelta(days=30), expires))[0].issued
        == 1
    )


def test_only_the_chosen_segments_get_an_offer(shop: Shop, arun: Any) -> None:
    arun(shop.offers.save(offer({"lapsing"}), by=MANAGER))
    now = datetime.now(UTC)
    first = arun(shop.intake.ingest(counter_order(now - timedelta(days=3)))).order_id
    assert shop.issue(first) is None  # a new customer; the offer is for lapsing ones
    regular = arun(shop.intake.ingest(counter_order(now - timedelta(minutes=5)))).order_id
    assert shop.issue(regular) is None  # one order 3 days before: still new, not lapsing
    back = arun(shop.intake.ingest(counter_order(now + timedelta(days=40)))).order_id
    issued = shop.issue(back)  # two orders, the last 40 days before this one: lapsing
    assert issued is not None and issued.offer.segments == {"lapsing"}
    nobody = arun(shop.manual.create(draft(DUMPLINGS, phone=None))).order_id
    assert shop.issue(nobody) is None  # no phone: nobody we can place in a segment


def test_a_cancelled_order_hands_out_no_code(shop: Shop, arun: Any) -> None:
    from posapp.services.orders import OrderService

    arun(shop.offers.save(offer({"new"}), by=MANAGER))
    order_id = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    arun(OrderService(shop.db, shop.hub, shop.planner).cancel(order_id, "customer left", by="counter"))
    assert shop.issue(order_id) is None


@pytest.mark.parametrize("platform", ["meituan", "eleme", "ubereats", "doordash"])
def test_a_platform_order_never_gets_an_offer_whatever_the_segment(
    shop: Shop, arun: Any, platform: str
) -> None:
    arun(shop.offers.save(offer(set(SEGMENTS)), by=MANAGER))
    order_id = arun(shop.intake.ingest(make_order(platform=platform))).order_id
    assert shop.issue(order_id) is None
    assert shop.db.call(lambda s: offer_store.code_of_order(s, order_id)) is None


def issued_code(shop: Shop, arun: Any, **kw: Any) -> str:
    arun(shop.offers.save(offer({"new"}, **kw), by=MANAGER))
    first = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    issued = shop.issue(first)
    assert issued is not None
    return format_code(issued.code)


def test_a_code_takes_its_discount_off_a_counter_order_once_and_shows_on_the_receipt(
    shop: Shop, arun: Any, qtbot: Any
) -> None:
    code = issued_code(shop, arun)
    used = arun(shop.manual.create(draft(DUMPLINGS, NOODLES, code=code.lower()))).order_id
    order = shop.db.call(lambda s: repo.get_order(s, used))
    assert (order.totals.subtotal, order.totals.discount, order.totals.total) == (8000, 800, 7200)
    with pytest.raises(OfferError, match=f"Code {code} has been used already, on order #M-002"):
        arun(shop.manual.create(draft(DUMPLINGS, code=code)))
    assert (
        shop.db.call(lambda s: repo.count_orders_since(s, "manual", datetime.now(UTC) - timedelta(hours=1)))
        == 2
    )
    shop.worker.start()
    arun(shop.printing.print_receipt(used))
    qtbot.waitUntil(lambda: len(shop.printed()) == 1, timeout=10_000)
    receipt = shop.printed()[0]
    assert receipt.find(f"Code 优惠码 {code}").text.rstrip().endswith("-￥8.00")
    assert receipt.find("TOTAL").text.rstrip().endswith("￥72.00")
    assert "Discount 优惠" not in receipt.plain


def test_two_counters_using_one_code_at_once_get_one_discount(shop: Shop, arun: Any) -> None:
    code = issued_code(shop, arun)
    second = ManualOrderService(shop.intake, currency="CNY", tz=TZ)  # the other till: its own lock

    async def both() -> list[Any]:
        return await asyncio.gather(
            shop.manual.create(draft(DUMPLINGS, code=code)),
            second.create(draft(NOODLES, code=code)),
            return_exceptions=True,
        )

    results = arun(both())
    refused = [r for r in results if isinstance(r, OfferError)]
    assert len(refused) == 1 and "has been used already" in str(refused[0])
    assert (
        len(
            shop.db.call(
                lambda s: offer_store.counts_between(
                    s, datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC) + timedelta(1)
                )
            )
        )
        == 1
    )
    redeemed = shop.db.call(
        lambda s: offer_store.counts_between(
            s, datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC) + timedelta(1)
        )
    )[0]
    assert redeemed.redeemed == 1


def test_the_unique_constraint_refuses_the_second_of_two_processes_that_both_found_the_code_unused(
    shop: Shop, arun: Any, data_dir: Path
) -> None:
    code = issued_code(shop, arun).replace("-", "")
    a = arun(shop.intake.ingest(counter_order(datetime.now(UTC)))).order_id
    b = arun(shop.intake.ingest(counter_order(datetime.now(UTC)))).order_id
    other = open_database(data_dir)  # a second process on the same file: its own connection and thread
    try:
        # Both looked before either wrote: neither saw a redemption.
        assert shop.db.call(lambda s: offer_store.redemption_of(s, code)) is None
        assert other.call(lambda s: offer_store.redemption_of(s, code)) is None
        offer_id = shop.db.call(lambda s: offer_store.find_code(s, code)).offer.id  # type: ignore[union-attr]
        now = datetime.now(UTC)
        shop.db.call(
            lambda s: offer_store.redeem(s, Redemption(code, offer_id, a, 100, "CNY", now), by="till 1")
        )
        with pytest.raises(OfferError, match="has been used already"):
            other.call(
                lambda s: offer_store.redeem(s, Redemption(code, offer_id, b, 100, "CNY", now), by="till 2")
            )
    finally:
        other.close()


def test_an_expired_code_and_one_below_its_minimum_spend_are_refused_with_the_reason(
    db: Database, tmp_path: Path, arun: Any
) -> None:
    now = [datetime.now(UTC)]
    shop = Shop(db, tmp_path, clock=lambda: now[0])
    code = issued_code(shop, arun, min_spend=6000, valid_days=7)
    with pytest.raises(
        OfferError, match=f"Code {code} needs a spend of at least ¥60.00; this order is ¥44.00"
    ):
        arun(shop.manual.create(draft(DUMPLINGS, code=code)))
    now[0] += timedelta(days=7, seconds=1)
    expiry = db.call(lambda s: offer_store.find_code(s, code.replace("-", ""))).expires_at  # type: ignore[union-attr]
    with pytest.raises(OfferError, match=f"Code {code} expired on {expiry:%Y-%m-%d}"):
        arun(shop.manual.create(draft(DUMPLINGS, NOODLES, code=code)))
    with pytest.raises(OfferError, match="not issued by this store"):
        arun(shop.manual.create(draft(DUMPLINGS, code=new_code(lambda _alphabet: "2"))))


def web_order(code: str | None, *, paid: bool = False, external_id: str = "WEB-1") -> bytes:
    data: dict[str, Any] = {
        "external_id": external_id,
        "display_id": "W1",
        "fulfillment": "pickup",
        "placed_at": datetime.now(UTC).isoformat(),
        "currency": "CNY",
        "customer": {"name": "Li", "phone_masked": PHONE},
        "items": [{"name": "宫保鸡丁", "quantity": 2, "unit_price": 3200}],
        "totals": {"subtotal": 6400, "total": 6400},
        "payment": {"method": "pay at pickup" if not paid else "online", "paid": paid},
    }
    if code is not None:
        data["offer_code"] = code
    return json.dumps(data, ensure_ascii=False).encode()


def test_a_web_order_redeems_its_code_at_intake(shop: Shop, arun: Any) -> None:
    code = issued_code(shop, arun, kind=OfferKind.FIXED, value=500)
    (order,) = OwnConnector(secret="s").parse(web_order(code))
    assert isinstance(order, Order)
    order_id = arun(shop.intake.ingest(order)).order_id
    stored = shop.db.call(lambda s: repo.get_order(s, order_id))
    assert (stored.totals.discount, stored.totals.total) == (500, 5900)
    assert stored.notes is None
    events = shop.db.call(lambda s: repo.events_for(s, order_id))
    assert any(e.kind == "offer_redeemed" and code in (e.reason or "") for e in events)


def test_a_web_order_with_a_bad_code_is_taken_at_full_price_with_a_note_for_the_cashier(
    shop: Shop, arun: Any
) -> None:
    code = issued_code(shop, arun)
    (first,) = OwnConnector(secret="s").parse(web_order(code, external_id="WEB-1"))
    arun(shop.intake.ingest(first))  # type: ignore[arg-type]
    (again,) = OwnConnector(secret="s").parse(web_order(code, external_id="WEB-2"))
    order_id = arun(shop.intake.ingest(again)).order_id  # type: ignore[arg-type]
    stored = shop.db.call(lambda s: repo.get_order(s, order_id))
    assert (stored.totals.discount, stored.totals.total) == (0, 6400)
    assert stored.notes == f"Offer code {code} not applied: Code {code} has been used already, on order #W1."
    events = shop.db.call(lambda s: repo.events_for(s, order_id))
    assert any(e.kind == "offer_refused" for e in events)
    (typo,) = OwnConnector(secret="s").parse(web_order("K7QM-3XPB", external_id="WEB-3"))
    typo_id = arun(shop.intake.ingest(typo)).order_id  # type: ignore[arg-type]
    assert "not applied" in (shop.db.call(lambda s: repo.get_order(s, typo_id)).notes or "")


def test_a_web_order_paid_online_at_full_price_tells_the_cashier_to_give_the_discount_back(
    shop: Shop, arun: Any
) -> None:
    code = issued_code(shop, arun, kind=OfferKind.FIXED, value=500)
    (order,) = OwnConnector(secret="s").parse(web_order(code, paid=True))
    stored = shop.db.call(lambda s: repo.get_order(s, arun(shop.intake.ingest(order)).order_id))  # type: ignore[arg-type]
    assert stored.totals.total == 5900
    assert stored.notes == f"Offer code {code}: ¥5.00 off — the website took the full price: give ¥5.00 back."


def test_the_report_counts_codes_issued_redeemed_the_rate_and_the_discount_per_offer(
    db: Database, tmp_path: Path, arun: Any
) -> None:
    """Business days as the Z-report has them (Asia/Shanghai, from 04:00). By hand:
    offer A (10 %, new customers), offer B (¥5 off, regular customers).
      03-09 12:00  X's first order: its receipt issues A1
      03-10 11:00  Y's first order: A2          12:00  Z's first order: A3
            13:00  X uses A1 on ¥80.00 -> ¥8.00  14:00  Y uses A2 on ¥44.00 -> ¥4.40
            15:00  W (orders on 03-01 and 03-05: regular) orders: B1
      03-11 10:00  Z uses A3 on ¥36.00 -> ¥3.60
    03-10: A issued 2 (A2, A3), redeemed 2 (A1, A2), ¥12.40 off, rate 2 of 2 issued used = 100.0 %;
           B issued 1, redeemed 0, rate 0.0 %; all: issued 3, redeemed 2, ¥12.40, rate 2/3 = 66.7 %.
    03-11: A issued 0, redeemed 1, ¥3.60, rate none.   03-09..03-11: A 3 / 3 / ¥16.00 / 100.0 %, all 3/4 = 75.0 %.
    """
    from posapp.reports.csv import report_tables
    from posapp.reports.jsonout import report_to_dict
    from posapp.services.reports import ReportOptions, ReportService, print_lines

    now = [datetime(2026, 3, 9, 12, tzinfo=TZ)]
    shop = Shop(db, tmp_path, clock=lambda: now[0])

    def at(day: int, hour: int) -> None:
        now[0] = datetime(2026, 3, day, hour, tzinfo=TZ)

    def order(phone: str, *lines: tuple[str, int, int], code: str | None = None) -> int:
        return arun(shop.manual.create(draft(*lines, code=code, phone=phone))).order_id

    def code_of(order_id: int) -> str:
        issued = shop.issue(order_id)
        assert issued is not None
        return issued.code

    arun(shop.offers.save(offer({"new"}, text="A: 10 % off your next pickup"), by=MANAGER))
    five = offer({"regular"}, text="B: ¥5 off", kind=OfferKind.FIXED, value=500)
    arun(shop.offers.save(five, by=MANAGER))
    x, y, z, w = "13800000001", "13900000002", "13700000003", "13600000004"
    at(1, 12)
    order(w, NOODLES)
    at(5, 12)
    order(w, NOODLES)
    at(9, 12)
    a1 = code_of(order(x, NOODLES))
    at(10, 11)
    a2 = code_of(order(y, NOODLES))
    at(10, 12)
    a3 = code_of(order(z, NOODLES))
    at(10, 13)
    order(x, DUMPLINGS, NOODLES, code=a1)
    at(10, 14)
    order(y, DUMPLINGS, code=a2)
    at(10, 15)
    b1 = shop.issue(order(w, NOODLES))
    assert b1 is not None and b1.offer.text == "B: ¥5 off"
    at(11, 10)
    order(z, NOODLES, code=a3)

    options = ReportOptions(tz=TZ, currency="CNY")
    reports = ReportService(db, options, clock=lambda: now[0])
    day = arun(reports.z_report(date(2026, 3, 10)))
    assert day.offers is not None
    got = [(x.text, x.issued, x.redeemed, x.discount, x.redemption_rate) for x in day.offers.lines]
    assert got == [("A: 10 % off your next pickup", 2, 2, 1240, 100.0), ("B: ¥5 off", 1, 0, 0, 0.0)]
    s = day.offers
    assert (s.issued, s.redeemed, s.discount, s.redemption_rate) == (3, 2, 1240, 66.7)
    assert day.discount == 1240  # the orders' own discount column agrees

    header, rows = report_tables(day)["offers"]
    assert header[:6] == [
        "offer_id",
        "offer",
        "issued",
        "redeemed",
        "issued_and_redeemed",
        "redemption_rate_pct",
    ]
    assert rows[0][1:] == ["A: 10 % off your next pickup", 2, 2, 2, "100.0", "12.40", "CNY"]
    as_json = report_to_dict(day)["offers"]
    assert (
        as_json["lines"][1]["issued"] == 1
        and as_json["redemption_rate"] == 66.7
        and as_json["discount"] == 1240
    )
    printed = print_lines(day, width=32, store_name="posapp", printed_at=now[0])
    assert "OFFERS (own channels)" in printed
    assert any(line.startswith("  issued 2 · redeemed 2") and line.endswith("-¥12.40") for line in printed)

    next_day = arun(reports.z_report(date(2026, 3, 11)))
    assert next_day.offers is not None
    assert [(x.issued, x.redeemed, x.discount, x.redemption_rate) for x in next_day.offers.lines] == [
        (0, 1, 360, None)
    ]
    span = arun(reports.z_report(date(2026, 3, 9), date(2026, 3, 11)))
    assert span.offers is not None
    assert [(x.issued, x.redeemed, x.discount, x.redemption_rate) for x in span.offers.lines] == [
        (3, 3, 1600, 100.0),
        (1, 0, 0, 0.0),
    ]
    assert span.offers.redemption_rate == 75.0
    assert arun(reports.z_report(date(2026, 3, 8))).offers is None


def test_signed_website_orders_over_http_use_a_code_once_and_are_never_lost(shop: Shop, arun: Any) -> None:
    """The own website's signed webhook on a loopback listener: the first order with the code gets the
    discount, the second with the same code is answered 200 and taken at full price with the note."""
    import httpx

    from posapp.connectors.own import signed_headers
    from posapp.services.channels import ChannelService

    code = issued_code(shop, arun, kind=OfferKind.FIXED, value=500)
    channels = ChannelService(shop.intake, shop.hub, [OwnConnector(secret="s")])
    port = arun(channels.start_listener("127.0.0.1", 0))

    async def post(body: bytes) -> int:
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/webhooks/own"
            response = await client.post(url, content=body, headers=signed_headers("s", body))
            return response.status_code

    try:
        assert arun(post(web_order(code, external_id="WEB-7"))) == 200
        assert arun(post(web_order(code, external_id="WEB-8"))) == 200
    finally:
        arun(channels.stop())

    def stored(external_id: str) -> Order:
        return shop.db.call(lambda s: repo.get_order(s, repo.find_order_id(s, "own", external_id)))  # type: ignore[arg-type]

    first, second = stored("WEB-7"), stored("WEB-8")
    assert (first.totals.discount, first.totals.total) == (500, 5900)
    assert (second.totals.discount, second.totals.total) == (0, 6400)
    assert second.notes == f"Offer code {code} not applied: Code {code} has been used already, on order #W1."


def test_a_receipt_whose_offer_cannot_be_read_still_prints(
    shop: Shop, arun: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arun(shop.offers.save(offer({"new"}), by=MANAGER))

    def broken(*_args: Any) -> None:
        raise RuntimeError("offer table unreadable")

    monkeypatch.setattr(shop.offers, "for_receipt", broken)
    shop.worker.start()
    order_id = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    arun(shop.printing.print_receipt(order_id))
    qtbot.waitUntil(lambda: len(shop.printed()) == 1, timeout=10_000)
    receipt = shop.printed()[0]
    assert "TOTAL" in receipt.plain and "NEXT TIME" not in receipt.plain


def test_the_command_line_receipt_shows_the_code_the_order_handed_out(
    shop: Shop, arun: Any, data_dir: Path, tmp_path: Path
) -> None:
    from posapp.cli import commands

    code = issued_code(shop, arun)  # the first order's receipt handed it out
    out = tmp_path / "receipt.bin"
    args = ["1", "--kind", "receipt", "--to", f"file:{out}", "--data-dir", str(data_dir)]
    assert commands.run("print", args) == 0
    printed = decode(out.read_bytes())
    assert printed.find(code).size == (2, 2) and "NEXT TIME 下次光临" in printed.plain
    assert (
        len(
            shop.db.call(
                lambda s: offer_store.counts_between(
                    s, datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC) + timedelta(1)
                )
            )
        )
        == 1
    )
