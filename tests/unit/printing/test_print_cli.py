"""``posapp print``: an order's ticket or a test page to a URI or a configured printer; exit 2 with one line."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from posapp.cli import commands
from posapp.printing.layouts import TicketContext, kitchen_ticket
from posapp.printing.preview import render_preview
from posapp.printing.profiles import get_profile
from posapp.store import orders as repo
from posapp.store.db import Database
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.printer_server import FakePrinter, free_port


def stored_order(db: Database, **kw: Any) -> int:
    order = make_order(**kw)
    return db.call(lambda s: repo.insert_order(s, order, now=datetime.now(UTC), by="test"))[0]


def test_print_kitchen_ticket_to_a_tcp_printer(db: Database, data_dir: Path, capsys: Any) -> None:
    order_id = stored_order(db)
    with FakePrinter() as printer:
        code = commands.run(
            "print", [str(order_id), "--kind", "kitchen", "--to", printer.uri, "--data-dir", str(data_dir)]
        )
        deadline = time.monotonic() + 5
        while not printer.tickets and time.monotonic() < deadline:
            time.sleep(0.01)
    assert code == 0
    assert capsys.readouterr().out.startswith(f"Printed the kitchen ticket for order {order_id} to tcp://")
    assert "2 x 宫保鸡丁" in decode(printer.tickets[0]).plain


def test_print_receipt_to_a_configured_printer_by_name(db: Database, data_dir: Path, tmp_path: Path) -> None:
    order_id = stored_order(db, external_id="ELM-7")
    out = tmp_path / "counter.bin"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\nname = "老王小馆"\n\n[printers.counter]\nuri = "file:{out}"\nrole = "counter"\nwidth = 58\n',
        encoding="utf-8",
    )
    args = [
        str(order_id),
        "--kind",
        "receipt",
        "--to",
        "counter",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
    ]
    assert commands.run("print", args) == 0
    ticket = decode(out.read_bytes())
    assert ticket.qr_codes == [] and ticket.images  # 58 mm generic profile: QR as an image
    assert "老王小馆" in ticket.plain and max(line.columns for line in ticket.lines) <= 32


def test_print_test_page_to_a_file_with_preview(tmp_path: Path) -> None:
    out, png = tmp_path / "t.bin", tmp_path / "t.png"
    assert commands.run("print", ["--test", "--to", f"file:{out}", "--preview", str(png)]) == 0
    assert "TEST PRINT" in decode(out.read_bytes()).plain
    with Image.open(png) as image:
        assert image.width == 576 + 32


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999", "--to", "file:/dev/null"], "posapp print: order 999 does not exist"),
        (
            ["--test", "--to", "tcp://127.0.0.1:{port}", "--timeout", "0.5"],
            "posapp print: Printer is offline",
        ),
        (["--test", "--to", "kitchen"], "posapp print: no printer named 'kitchen'"),
        (["--test", "--to", "tcp://"], "posapp print: printer address 'tcp://' has no host"),
    ],
)
def test_offline_printer_or_unknown_order_exits_2_with_one_line(
    args: list[str], message: str, data_dir: Path, tmp_path: Path, capsys: Any
) -> None:
    args = [a.replace("{port}", str(free_port())) for a in args]
    code = commands.run(
        "print", [*args, "--data-dir", str(data_dir), "--config", str(tmp_path / "none.toml")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1


def test_preview_draws_chinese_with_the_bundled_font(tmp_path: Path) -> None:
    ctx = TicketContext(printed_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    image = render_preview(kitchen_ticket(make_order(), ctx), get_profile("generic-80"))
    assert image.width == 576 + 32
    # The dish line is drawn (ink in the band where it sits), not left blank for a missing font.
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 5000
    image.save(tmp_path / "kitchen.png")


def test_preview_glyphs_are_real_chinese_not_boxes() -> None:
    from posapp.printing.document import NORMAL, Line, Paper
    from posapp.printing.preview import draw_line

    paper = Paper.for_width(80)
    dish = draw_line(Line("宫保鸡丁", NORMAL), paper)
    boxes = draw_line(Line("□□□□", NORMAL), paper)
    ink = sum(dish.histogram()[:128])
    assert ink > 200 and dish.tobytes() != boxes.tobytes()
