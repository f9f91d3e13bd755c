"""Z-report figures on a fixed day against numbers computed by hand (see tests/report_fixtures.py)."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from posapp.errors import CurrencyMismatch, RefundRefused
from posapp.reports.period import Period, business_day_of
from posapp.reports.zreport import ZReport, percentile
from posapp.services.reports import ReportService
from posapp.store.db import Database
from tests.report_fixtures import DAY, OPTIONS, TZ, build_day, flow, local, put


@pytest.fixture
def day_report(db: Database) -> ZReport:
    build_day(db)
    return ReportService(db, OPTIONS).z_report_now(DAY)


def test_day_totals_count_sold_orders_including_after_midnight(day_report: ZReport) -> None:
    r = day_report
    assert r.currency == "CNY"
    assert r.orders == 5  # mt1, mt2 (01:30 next morning), el1, cash, card
    assert r.gross == 5000 + 3000 + 4000 + 1500 + 2200 == 15700
    assert r.average_order == 3140
    assert r.discount == 500
    assert (r.delivery_fee, r.packaging_fee, r.tip, r.tax) == (500, 100, 200, 0)
    assert r.commission == 1500
    # expected payout: mt1 5000-900, mt2 2300 (platform figure), el1 4000, manual 1500 + 2200
    assert r.payout == 4100 + 2300 + 4000 + 3700
    assert r.open_orders == 0


def test_per_platform_lines(day_report: ZReport) -> None:
    lines = {p.platform: p for p in day_report.platforms}
    assert sorted(lines) == ["eleme", "manual", "meituan"]
    mt, el, man = lines["meituan"], lines["eleme"], lines["manual"]
    assert (mt.orders, mt.gross, mt.commission, mt.payout) == (2, 8000, 1500, 6400)
    assert (mt.rejected, mt.cancelled, mt.lost_value) == (1, 0, 1800)
    assert (el.orders, el.gross, el.discount, el.fees, el.cancelled, el.lost_value) == (
        1,
        4000,
        500,
        100,
        1,
        2500,
    )
    assert (man.orders, man.gross, man.commission, man.payout) == (2, 3700, 0, 3700)
    assert mt.average == 4000


def test_payment_methods(day_report: ZReport) -> None:
    assert [(p.method, p.orders, p.amount) for p in day_report.payments] == [
        ("card", 1, 2200),
        ("cash", 1, 1500),
        ("online", 3, 12000),
    ]


def test_cancellations_and_rejections_with_reasons_and_lost_value(day_report: ZReport) -> None:
    r = day_report
    assert (r.cancelled, r.rejected, r.lost_value) == (1, 1, 4300)
    assert [(x.platform, x.status, x.reason, x.orders, x.value) for x in r.lost] == [
        ("eleme", "cancelled", "customer cancelled", 1, 2500),
        ("meituan", "rejected", "sold out", 1, 1800),
    ]


def test_prep_times_median_and_p90(day_report: ZReport) -> None:
    # accepted -> ready: 600, 1200, 1800, 300, 900 seconds
    assert (day_report.prep.orders, day_report.prep.median_s, day_report.prep.p90_s) == (5, 900, 1800)
    by_platform = {p.key: (p.orders, p.median_s, p.p90_s) for p in day_report.prep_by_platform}
    assert by_platform == {
        "eleme": (1, 1800, 1800),
        "manual": (2, 300, 900),
        "meituan": (2, 600, 1200),
    }
    by_hour = {p.key: (p.orders, p.median_s) for p in day_report.prep_by_hour}
    assert by_hour == {"01": (1, 1200), "12": (1, 600), "13": (2, 300), "18": (1, 1800)}


def test_late_orders_by_due_time_and_by_prep_threshold(day_report: ZReport) -> None:
    assert day_report.late == 2  # eleme took 30 min (> 20); the cash order was ready after its due time
    lines = {p.platform: p.late for p in day_report.platforms}
    assert lines == {"eleme": 1, "manual": 1, "meituan": 0}


def test_top_items_count_modifiers_and_skip_lost_orders(day_report: ZReport) -> None:
    assert [(i.name, i.quantity, i.sales) for i in day_report.top_items] == [
        ("宫保鸡丁", 3, 7000),  # (2000 + 500 大份) x 2 + 2000; the cancelled 5 are not sold
        ("Iced Lemon Tea", 3, 1185),
        ("米饭", 3, 600),
        ("麻婆豆腐", 2, 3600),
    ]
    assert day_report.bottom_items == ()


def test_hourly_orders_start_at_the_cut_off_hour(day_report: ZReport) -> None:
    hours = day_report.hours
    assert [h.hour for h in hours][:3] == [4, 5, 6] and hours[-1].hour == 3
    got = {h.hour: (h.orders, h.sales) for h in hours if h.orders}
    assert got == {12: (1, 5000), 13: (2, 3700), 18: (1, 4000), 1: (1, 3000)}


def test_refunds_of_the_day_only(day_report: ZReport) -> None:
    assert [(r.platform, r.amount, r.reason, r.by) for r in day_report.refunds] == [
        ("meituan", 1000, "cold food", "manager")
    ]
    assert day_report.refund_total == 1000


def test_comparison_with_same_weekday_last_week(day_report: ZReport) -> None:
    c = day_report.comparison
    assert c is not None
    assert c.label == "2026-03-03"
    assert (c.orders, c.gross, c.previous_orders, c.previous_gross) == (5, 15700, 1, 4000)
    assert c.gross_change_pct == 292.5


def test_range_report_adds_up_the_days(db: Database) -> None:
    build_day(db)
    r = ReportService(db, OPTIONS).z_report_now(date(2026, 3, 9), date(2026, 3, 11))
    assert r.orders == 5 + 2  # plus "prev" (business day 9th) and "next" (business day 11th)
    assert r.gross == 15700 + 9999 + 8888
    assert r.period.label() == "2026-03-09 – 2026-03-11"


def test_empty_day_is_a_valid_all_zero_report(db: Database) -> None:
    r = ReportService(db, OPTIONS).z_report_now(date(2026, 1, 1))
    assert (r.orders, r.gross, r.average_order, r.lost_value, r.refund_total) == (0, 0, 0, 0, 0)
    assert r.currency == "CNY"
    assert r.platforms == () and r.top_items == ()
    assert (r.prep.orders, r.prep.median_s, r.prep.p90_s) == (0, None, None)
    assert len(r.hours) == 24 and all(h.orders == 0 for h in r.hours)
    assert r.comparison is not None and r.comparison.gross_change_pct is None


def test_mixed_currencies_are_refused_with_a_clear_message(db: Database) -> None:
    build_day(db)
    put(db, platform="ubereats", placed=local(10, 15), total=1250, currency="USD", steps=flow(10))
    service = ReportService(db, OPTIONS)
    with pytest.raises(CurrencyMismatch, match=r"Orders in CNY, USD fall in 2026-03-10.*once per currency"):
        service.z_report_now(DAY)
    usd = service.z_report_now(DAY, currency="USD")
    assert (usd.currency, usd.orders, usd.gross, [p.platform for p in usd.platforms]) == (
        "USD",
        1,
        1250,
        ["ubereats"],
    )
    assert service.z_report_now(DAY, currency="CNY").gross == 15700


def test_mark_refund_is_reported_and_refuses_more_than_the_total(db: Database, arun: Any) -> None:
    ids = build_day(db)
    service = ReportService(db, OPTIONS)
    arun(service.mark_refund(ids["card"], 700, reason="wrong drink", by="cashier", at=local(10, 14)))
    with pytest.raises(RefundRefused, match="at most the order total"):
        arun(service.mark_refund(ids["card"], 99999, reason="x", by="cashier"))
    r = arun(service.z_report(DAY))
    assert r.refund_total == 1700
    assert ("manual", 700, "wrong drink", "cashier") in [
        (x.platform, x.amount, x.reason, x.by) for x in r.refunds
    ]


def test_business_day_of_respects_the_cut_off() -> None:
    assert business_day_of(local(11, 3, 59), TZ, time(4)) == DAY
    assert business_day_of(local(11, 4, 0), TZ, time(4)) == date(2026, 3, 11)


def test_dst_day_gives_local_hours_in_both_offsets() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    spans = Period(date(2026, 3, 28), date(2026, 3, 29), berlin, time(4)).spans()
    assert [s.offset_seconds for s in spans] == [3600, 7200]


def test_percentile_is_nearest_rank() -> None:
    assert percentile([(4, 1), (6, 1), (8, 1), (10, 1)], 0.5) == 6
    assert percentile([(4, 1), (6, 1), (8, 1), (10, 1)], 0.9) == 10
    assert percentile([], 0.5) is None


def test_range_report_reuses_closed_days_and_notices_later_changes(db: Database) -> None:
    from datetime import UTC, datetime

    from posapp.domain.lifecycle import Action
    from posapp.store import orders as repo
    from posapp.store.tables import ReportDayRow

    ids = build_day(db)
    clock_now = [datetime(2026, 4, 1, tzinfo=UTC)]
    service = ReportService(db, OPTIONS, clock=lambda: clock_now[0])
    first = service.z_report_now(date(2026, 3, 3), date(2026, 3, 11))
    assert db.call(lambda s: s.query(ReportDayRow).count()) == 9
    again = service.z_report_now(date(2026, 3, 3), date(2026, 3, 11))
    assert again == first
    # A late platform cancel of a completed-then-recalled order changes business day 03-10 after caching.
    later = datetime(2026, 4, 2, tzinfo=UTC)
    db.call(lambda s: repo.apply_action(s, ids["card"], Action.RECALL, now=later, by="manager"))
    db.call(
        lambda s: repo.apply_action(s, ids["card"], Action.CANCEL, now=later, by="manager", reason="refused")
    )
    clock_now[0] = datetime(2026, 4, 3, tzinfo=UTC)
    changed = service.z_report_now(date(2026, 3, 3), date(2026, 3, 11))
    assert changed.gross == first.gross - 2200
    assert changed.cancelled == first.cancelled + 1
    live = ReportService(db, OPTIONS).z_report_now(DAY)
    assert live.gross == 15700 - 2200


def test_cached_range_equals_live_aggregation(db: Database) -> None:
    from posapp.reports.period import Period
    from posapp.store import report_queries as rq

    build_day(db)
    service = ReportService(db, OPTIONS)
    cached = service.z_report_now(date(2026, 3, 9), date(2026, 3, 11))
    cached_again = service.z_report_now(date(2026, 3, 9), date(2026, 3, 11))
    period = Period(date(2026, 3, 9), date(2026, 3, 11), TZ, OPTIONS.cutoff)
    from posapp.reports.zreport import build_report

    live = build_report(db.call(lambda s: rq.report_data(s, period.spans(), late_prep_seconds=1200)), period)
    for report in (cached, cached_again):
        assert (report.orders, report.gross, report.payout, report.late) == (
            live.orders,
            live.gross,
            live.payout,
            live.late,
        )
        assert report.prep_by_platform == live.prep_by_platform and report.prep_by_hour == live.prep_by_hour
        assert report.top_items == live.top_items and report.hours == live.hours and report.lost == live.lost
        assert report.refunds == live.refunds


def test_long_range_fills_the_cache_in_steps_and_matches(db: Database, arun: Any) -> None:
    build_day(db)
    service = ReportService(db, OPTIONS)
    stepped = arun(service.z_report(date(2026, 2, 25), date(2026, 3, 12)))
    from posapp.store.tables import ReportDayRow

    assert db.call(lambda s: s.query(ReportDayRow).count()) == 16  # every closed day of the range is kept
    direct = ReportService(db, OPTIONS).z_report_now(date(2026, 2, 25), date(2026, 3, 12))
    assert stepped == direct
    assert (stepped.orders, stepped.gross) == (5 + 3, 15700 + 9999 + 8888 + 4000)
    assert stepped.comparison is None  # a range longer than a week has no "same weekday last week"


def test_local_hours_stay_right_across_a_dst_change(db: Database) -> None:
    from dataclasses import replace

    berlin = ZoneInfo("Europe/Berlin")
    options = replace(OPTIONS, tz=berlin, currency="EUR")

    def at(day: int, hour: int, minute: int = 0) -> Any:
        from datetime import datetime

        return datetime(2026, 3, day, hour, minute, tzinfo=berlin)

    # Clocks jump from 02:00 to 03:00 on 2026-03-29: business day 28 lasts 23 hours.
    put(db, platform="lieferando", placed=at(28, 23, 30), total=1000, currency="EUR", steps=flow(10))
    put(db, platform="lieferando", placed=at(29, 1, 30), total=2000, currency="EUR", steps=flow(10))  # CET
    put(db, platform="lieferando", placed=at(29, 3, 30), total=3000, currency="EUR", steps=flow(10))  # CEST
    put(db, platform="lieferando", placed=at(29, 12, 0), total=4000, currency="EUR", steps=flow(10))
    service = ReportService(db, options)
    day28 = service.z_report_now(date(2026, 3, 28))
    assert {h.hour: h.sales for h in day28.hours if h.orders} == {23: 1000, 1: 2000, 3: 3000}
    day29 = service.z_report_now(date(2026, 3, 29))
    assert {h.hour: h.sales for h in day29.hours if h.orders} == {12: 4000}
    both = service.z_report_now(date(2026, 3, 28), date(2026, 3, 29))
    assert {h.hour: h.orders for h in both.hours if h.orders} == {23: 1, 1: 1, 3: 1, 12: 1}


def test_epoch_expression_compiles_for_postgresql_too() -> None:
    from sqlalchemy import select
    from sqlalchemy.dialects import postgresql, sqlite

    from posapp.store.report_queries import epoch_seconds
    from posapp.store.tables import OrderRow

    stmt = select(epoch_seconds(OrderRow.ready_at) - epoch_seconds(OrderRow.accepted_at))
    assert "EXTRACT(EPOCH FROM orders.ready_at)" in str(stmt.compile(dialect=postgresql.dialect()))
    assert "julianday(orders.ready_at)" in str(stmt.compile(dialect=sqlite.dialect()))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_bulk_filled_days_equal_live_days(db: Database, zone: str) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from posapp.domain.reporting import Accumulator
    from posapp.reports.zreport import build_report
    from posapp.store import report_queries as rq

    build_day(db)
    tz = ZoneInfo(zone)
    for k, hour in enumerate((0, 1, 2, 3, 5, 23)):  # around midnight, the cut-off and Berlin's DST jump
        put(
            db,
            platform="eleme",
            placed=local(29, hour, 10 + k).replace(tzinfo=tz),
            total=100 * (k + 1),
            steps=flow(7 + k),
        )
    options = replace(OPTIONS, tz=tz)
    service = ReportService(db, options)
    service.z_report_now(date(2026, 3, 1), date(2026, 3, 31))  # fills the cache in bulk
    cached = db.call(
        lambda s: rq.cached_days(s, service.cache_key, [f"2026-03-{d:02d}" for d in range(1, 32)])
    )
    assert len(cached) == 31
    for d in range(1, 32):
        day = date(2026, 3, d)
        period = service.period(day)
        acc = Accumulator()
        acc.add_json(cached[day.isoformat()].data)
        from_cache = build_report(acc.result(period.start, period.end), period)
        live_data = db.call(lambda s, p=period: rq.report_data(s, p.spans(), late_prep_seconds=1200))
        live = build_report(replace(live_data, refunds=(), refund_requests=()), period)
        assert from_cache == live, day
    assert period.end - period.start == timedelta(days=1)


def test_next_close_is_the_coming_cut_off() -> None:
    from datetime import datetime

    service = ReportService(None, OPTIONS)  # type: ignore[arg-type]  # no database needed
    before_midnight = datetime(2026, 3, 10, 23, 0, tzinfo=TZ)
    after_midnight = datetime(2026, 3, 11, 2, 30, tzinfo=TZ)
    at_cut_off = datetime(2026, 3, 11, 4, 0, tzinfo=TZ)
    assert service.next_close(before_midnight) == datetime(2026, 3, 11, 4, 0, tzinfo=TZ)
    assert service.next_close(after_midnight) == datetime(2026, 3, 11, 4, 0, tzinfo=TZ)
    assert service.next_close(at_cut_off) == datetime(2026, 3, 12, 4, 0, tzinfo=TZ)


def test_day_close_summarises_closed_days_so_a_range_only_adds_them_up(db: Database, arun: Any) -> None:
    from dataclasses import replace
    from datetime import datetime

    from posapp.store.tables import ReportDayRow

    build_day(db)
    now = datetime(2026, 3, 12, 12, 0, tzinfo=TZ)
    old_settings = ReportService(db, replace(OPTIONS, cutoff=time(5, 0)), clock=lambda: now)
    old_settings.z_report_now(date(2026, 3, 1), date(2026, 3, 9))  # summaries under a 05:00 cut-off
    service = ReportService(db, OPTIONS, clock=lambda: now)
    arun(service.close_days(days_back=20))

    kept = db.call(lambda s: {row.day: row.data for row in s.query(ReportDayRow)})
    first_day = date(2026, 2, 20)
    assert sorted(kept) == [f"{date.fromordinal(first_day.toordinal() + k)}" for k in range(20)]
    assert "2026-03-12" not in kept  # today is still open: never summarised
    # Only this cut-off's summaries are left (the 05:00 ones were dropped by the day close).
    assert db.call(lambda s: {row.config for row in s.query(ReportDayRow)}) == {service.cache_key}
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    seen: list[tuple[int, int]] = []
    report = arun(service.z_report(first_day, date(2026, 3, 11), progress=lambda d, n: seen.append((d, n))))
    event.remove(db.engine, "before_cursor_execute", record)
    assert seen == [(7, 20), (14, 20), (20, 20)]
    # Only summaries were added up: no statement read the order lines of a closed day again.
    assert statements and not [q for q in statements if "order_items" in q]
    assert (report.orders, report.gross) == (5 + 3, 15700 + 9999 + 8888 + 4000)
    live = ReportService(db, OPTIONS).z_report_now(DAY)
    assert live.gross == 15700
