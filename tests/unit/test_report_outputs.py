"""Z-report outputs: thermal-paper text, CSV files Excel opens, JSON, and the ``posapp report`` command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from posapp.cli import main
from posapp.reports.csv import write_csv
from posapp.reports.zreport import ZReport
from posapp.reports.ztext import display_width, z_report_lines
from posapp.services.reports import ReportService
from posapp.store.db import Database
from tests.report_fixtures import DAY, OPTIONS, build_day, flow, local, put


@pytest.fixture
def report(db: Database) -> ZReport:
    build_day(db)
    return ReportService(db, OPTIONS).z_report_now(DAY)


@pytest.mark.parametrize("width", [32, 48])
def test_text_report_fits_the_paper_counting_chinese_double(report: ZReport, width: int) -> None:
    lines = z_report_lines(report, width=width, store_name="老王面馆")
    assert all(display_width(line) <= width for line in lines), [
        line for line in lines if display_width(line) > width
    ]
    text = "\n".join(lines)
    assert "Business day 2026-03-10" in text
    assert any(line.startswith("Gross sales") and line.endswith("¥157.00") for line in lines)
    assert any("宫保鸡丁" in line and line.endswith("¥70.00") for line in lines)
    assert any(line.startswith("CANCELLED") and line.endswith("1") for line in lines)


def test_display_width_counts_cjk_as_two() -> None:
    assert display_width("宫保鸡丁") == 8
    assert display_width("Tea") == 3


def test_csv_has_bom_and_chinese_intact(report: ZReport, tmp_path: Path) -> None:
    paths = write_csv(report, tmp_path)
    names = sorted(p.name for p in paths)
    assert "z-2026-03-10-CNY_items.csv" in names and "z-2026-03-10-CNY_platforms.csv" in names
    raw = (tmp_path / "z-2026-03-10-CNY_items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "z-2026-03-10-CNY_items.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["rank", "name", "quantity", "sales", "currency"]
    assert rows[1] == ["top", "宫保鸡丁", "3", "70.00", "CNY"]
    with (tmp_path / "z-2026-03-10-CNY_summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        summary = dict(csv.reader(fh))
    assert summary["gross_sales"] == "157.00" and summary["orders"] == "5"


def test_cli_text_report(
    db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build_day(db)
    config = tmp_path / "config.toml"
    config.write_text(
        '[store]\nname = "老王面馆"\ntimezone = "Asia/Shanghai"\n[reports]\nday_cutoff = "04:00"\n'
    )
    code = main(
        [
            "report",
            "--day",
            "2026-03-10",
            "--format",
            "text",
            "--data-dir",
            str(data_dir),
            "--config",
            str(config),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "老王面馆" in out and "Z-REPORT" in out and "¥157.00" in out


def test_cli_json_and_range(
    db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build_day(db)
    config = tmp_path / "config.toml"
    config.write_text('[store]\ntimezone = "Asia/Shanghai"\n[reports]\nday_cutoff = "04:00"\n')
    args = ["report", "--day", "2026-03-09", "--to", "2026-03-11", "--format", "json"]
    assert main([*args, "--data-dir", str(data_dir), "--config", str(config)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["orders"] == 7 and data["gross"] == 15700 + 9999 + 8888 and data["currency"] == "CNY"
    assert data["period"]["first"] == "2026-03-09" and data["period"]["tz"] == "Asia/Shanghai"


def test_cli_csv_writes_files_to_out(
    db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build_day(db)
    config = tmp_path / "config.toml"
    config.write_text('[reports]\nday_cutoff = "04:00"\n')
    out = tmp_path / "export"
    code = main(
        [
            "report",
            "--day",
            "2026-03-10",
            "--format",
            "csv",
            "--data-dir",
            str(data_dir),
            "--config",
            str(config),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out.split()
    # 8 report tables, and a one-day report's cash-up (figures and the count by denomination)
    assert len(printed) == 10 and all(Path(p).parent == out for p in printed)
    assert {Path(p).name.split("_", 1)[1] for p in printed} >= {"cashup.csv", "cash_count.csv"}


def test_cli_refuses_mixed_currencies_with_the_sentence(
    db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build_day(db)
    put(db, platform="ubereats", placed=local(10, 15), total=1250, currency="USD", steps=flow(10))
    config = tmp_path / "config.toml"
    config.write_text('[reports]\nday_cutoff = "04:00"\n')
    base = ["report", "--day", "2026-03-10", "--data-dir", str(data_dir), "--config", str(config)]
    assert main(base) == 2
    assert "once per currency" in capsys.readouterr().err
    assert main([*base, "--currency", "USD", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["gross"] == 1250


def test_cli_without_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--day", "2026-03-10", "--data-dir", str(tmp_path / "nothing")]) == 2
    assert "no order database" in capsys.readouterr().err


def test_cli_adds_a_manager_from_stdin_and_lists_staff(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("4829\n"))
    assert (
        main(["users", "add", "alice", "--role", "manager", "--pin-stdin", "--data-dir", str(data_dir)]) == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["users", "add", "bob", "--role", "cashier", "--pin-stdin", "--data-dir", str(data_dir)]) == 2
    assert "4 to 8 digits" in capsys.readouterr().err
    assert main(["users", "list", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.split() == ["alice", "manager"]
