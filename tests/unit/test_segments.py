"""Customer segments on fixed fixtures (tests/segment_fixtures.py) with hand-computed figures; look-alike
masked phones stay two people, a full phone joins the own website and manual orders, nothing else joins."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from posapp.reports.segments import (
    HIGH_VALUE_MIN_SPEND,
    Segment,
    identity,
    rules,
    segment_of,
    write_csv,
)
from posapp.services.customers import CustomerService
from posapp.store.db import Database
from tests.segment_fixtures import NOW, seed

S = Segment


@pytest.mark.parametrize(
    ("orders", "spent", "days", "expected"),
    [
        (1, 0, 0, S.NEW),
        (1, 99_999, 60, S.NEW),
        (1, 0, 61, S.LOST),
        (2, 0, 30, S.REGULAR),
        (2, 0, 31, S.LAPSING),
        (2, 0, 60, S.LAPSING),
        (2, 0, 61, S.LOST),
        (4, HIGH_VALUE_MIN_SPEND, 30, S.HIGH_VALUE),
        (4, HIGH_VALUE_MIN_SPEND - 1, 30, S.REGULAR),
        (3, 99_999, 1, S.REGULAR),
        (4, HIGH_VALUE_MIN_SPEND, 31, S.LAPSING),
    ],
)
def test_segment_rule_boundaries(orders: int, spent: int, days: int, expected: Segment) -> None:
    assert segment_of(orders, spent, days) is expected


def test_rules_read_as_sentences_with_their_thresholds() -> None:
    texts = {r.segment: r.text() for r in rules("CNY")}
    assert texts[S.LAPSING] == "lapsing: 2+ orders, last order 31–60 days ago"
    assert texts[S.HIGH_VALUE] == "high-value: 4+ orders and ¥300.00+ spent, last order within 30 days"
    assert texts[S.LOST] == "lost: no order for more than 60 days"
    assert list(texts) == [S.LOST, S.HIGH_VALUE, S.LAPSING, S.REGULAR, S.NEW]  # the order they apply in


def test_identity_joins_only_full_phones_of_our_own_channels() -> None:
    assert identity("own", "13912345678", "陈") == identity("manual", "+86 139-1234-5678", "Chen")
    assert identity("meituan", "139****5678", "陈") != identity("own", "13912345678", "陈")
    # a relay number on a platform is that platform's, even written in full
    assert identity("meituan", "13912345678", "陈") != identity("own", "13912345678", "陈")
    assert identity("meituan", "138****5678", "王先生") != identity("meituan", "138****5678", "李女士")
    assert identity("meituan", "138****5678", "王先生") != identity("eleme", "138****5678", "王先生")
    assert identity("eleme", "13800138000,1001", "张") != identity("eleme", "13800138000,1002", "张")
    assert identity("own", "139****5678", "陈") != identity("manual", "139****5678", "陈")  # masked: no join
    assert identity("own", None, "陈") is None


def test_segments_on_the_fixture_customers(db: Database, arun: Any) -> None:
    seed(db)
    report = arun(CustomerService(db, clock=lambda: NOW).segments())
    got = [(c.name, c.platforms, c.orders, c.spent, c.days_since_last, c.segment) for c in report.customers]
    assert got == [
        ("王先生", ("meituan",), 4, 32000, 5, S.HIGH_VALUE),
        ("Chen", ("manual", "own"), 3, 15000, 2, S.REGULAR),  # the latest order's name
        ("李女士", ("meituan",), 2, 8000, 3, S.REGULAR),
        ("张先生", ("eleme",), 2, 6000, 8, S.REGULAR),
        ("赵女士", ("eleme",), 2, 8000, 35, S.LAPSING),
        ("陈先生", ("meituan",), 1, 5000, 50, S.NEW),
        ("张先生", ("eleme",), 1, 4000, 1, S.NEW),
        ("孙先生", ("meituan",), 2, 12000, 61, S.LOST),
    ]
    o = report.overall
    assert (o.customers, o.repeat_customers, o.orders, o.spent) == (8, 6, 17, 90000)
    assert o.repeat_rate == 0.75
    assert o.orders_per_customer == 17 / 8
    assert o.average_order == 5294  # 90000 / 17 = 5294.1
    assert o.segments == {S.NEW: 2, S.REGULAR: 3, S.HIGH_VALUE: 1, S.LAPSING: 1, S.LOST: 1}
    per = {f.platform: f for f in report.platforms}
    assert {p: (f.customers, f.repeat_customers, f.orders, f.spent) for p, f in per.items()} == {
        "eleme": (3, 2, 5, 18000),
        "manual": (1, 0, 1, 5000),
        "meituan": (4, 3, 9, 57000),
        "own": (1, 1, 2, 10000),
    }
    assert per["meituan"].segments == {S.NEW: 1, S.REGULAR: 1, S.HIGH_VALUE: 1, S.LAPSING: 0, S.LOST: 1}
    assert per["own"].segments[S.REGULAR] == 1 and per["manual"].segments[S.NEW] == 1


def test_one_platform_scope_counts_that_platforms_orders_only(db: Database, arun: Any) -> None:
    seed(db)
    report = arun(CustomerService(db, clock=lambda: NOW).segments(platform="own"))
    assert [(c.name, c.orders, c.spent, c.segment) for c in report.customers] == [("陈", 2, 10000, S.REGULAR)]
    assert report.overall.customers == 8  # the overall figures stay


def test_history_of_the_regular_on_two_channels(db: Database, arun: Any) -> None:
    seed(db)
    service = CustomerService(db, clock=lambda: NOW)
    regular = next(c for c in arun(service.segments()).customers if len(c.platforms) == 2)
    orders = arun(service.history(regular.key))
    assert [(o.platform, (NOW - o.placed_at).days) for o in orders] == [
        ("manual", 2),
        ("own", 10),
        ("own", 45),
    ]
    lookalike = next(c for c in arun(service.segments()).customers if c.name == "李女士")
    assert [(NOW - o.placed_at).days for o in arun(service.history(lookalike.key))] == [3, 40]


def test_csv_holds_every_customer_with_money_as_decimals(db: Database, arun: Any, tmp_path: Path) -> None:
    seed(db)
    report = arun(CustomerService(db, clock=lambda: NOW).segments())
    path = write_csv(report, tmp_path / "segments.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 8
    first = rows[0]
    assert (first["segment"], first["name"], first["phone"], first["orders"]) == (
        "high-value",
        "王先生",
        "138****5678",
        "4",
    )
    assert (first["spent"], first["average_order"], first["currency"]) == ("320.00", "80.00", "CNY")
    assert rows[1]["platforms"] == "manual own"


def test_csv_keeps_a_formula_like_name_as_text(db: Database, arun: Any, tmp_path: Path) -> None:
    from tests.segment_fixtures import put

    put(db, "meituan", "+86 138****0000", '=HYPERLINK("http://x")', 1, 1000)
    report = arun(CustomerService(db, clock=lambda: NOW).segments())
    with write_csv(report, tmp_path / "s.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][1:3] == ['\'=HYPERLINK("http://x")', "'+86 138****0000"]


def test_cli_prints_rules_figures_and_writes_the_csv(data_dir: Path, capsys: Any, tmp_path: Path) -> None:
    from posapp.cli import main
    from posapp.store.db import open_database

    db = open_database(data_dir)
    seed(db)
    db.close()
    out_csv = tmp_path / "customers.csv"
    argv = [
        "customers",
        "segments",
        "--data-dir",
        str(data_dir),
        "--now",
        NOW.isoformat(),
        "--csv",
        str(out_csv),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "lapsing: 2+ orders, last order 31–60 days ago" in out
    table = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:4] in ("all ", "own ")}
    assert table["all"] == ["8", "75%", "2.1", "¥52.94", "2", "3", "1", "1", "1"]
    assert table["own"] == ["1", "100%", "2.0", "¥50.00", "0", "1", "0", "0", "0"]
    assert "  lost       孙先生\t150****2222\tmeituan\t2\t2026-04-01 (61 d)\t¥120.00" in out
    with out_csv.open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == 8


def test_cli_one_platform_lists_its_customers_only(data_dir: Path, capsys: Any) -> None:
    from posapp.cli import main
    from posapp.store.db import open_database

    db = open_database(data_dir)
    seed(db)
    db.close()
    assert (
        main(
            [
                "customers",
                "segments",
                "--platform",
                "eleme",
                "--data-dir",
                str(data_dir),
                "--now",
                NOW.isoformat(),
            ]
        )
        == 0
    )
    listed = [
        line.split()[1]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("  ") and "\t" in line
    ]
    assert listed == ["张先生", "赵女士", "张先生"]


def test_cli_without_a_database_says_so(tmp_path: Path, capsys: Any) -> None:
    from posapp.cli import main

    assert main(["customers", "segments", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no order database" in capsys.readouterr().err
