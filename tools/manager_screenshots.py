"""Render the manager section on a demo day and save docs/manager-report.png, docs/manager-pin.png and
docs/z-report.txt (the Z-report exactly as it is sent to the printer, 48 and 32 columns).

    QT_QPA_PLATFORM=offscreen python tools/manager_screenshots.py
    QT_QPA_PLATFORM=offscreen python tools/manager_screenshots.py --language zh_CN

With --language zh_CN the screens are in Simplified Chinese and only docs/manager-report-zh.png and
docs/manager-pin-zh.png are saved.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: tools/_data_key.py)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.lifecycle import Action  # noqa: E402
from posapp.domain.order import LineItem  # noqa: E402
from posapp.domain.roles import Role  # noqa: E402
from posapp.reports.ztext import z_report_text  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.customers import CustomerService  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tests.report_fixtures import DAY, OPTIONS, build_day, flow, local, put  # noqa: E402

MENU = [
    ("宫保鸡丁", 3200),
    ("麻婆豆腐", 2200),
    ("米饭", 200),
    ("酸辣汤", 1500),
    ("Iced Lemon Tea", 395),
    ("小笼包", 1800),
]


def busy_day(db) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    for n in range(140):
        hour = rng.choice([11, 11, 12, 12, 12, 13, 13, 17, 18, 18, 18, 19, 19, 20, 21, 22, 23, 0, 1])
        day = 11 if hour < 4 else 10
        items = tuple(
            LineItem(*rng.choice(MENU)[:1], rng.randint(1, 2), rng.choice(MENU)[1]) for _ in range(3)
        )
        total = sum(i.line_total() for i in items) + 300
        platform = rng.choice(["meituan", "meituan", "eleme", "eleme", "manual"])
        steps = flow(rng.randint(6, 32), accept_after=1)
        reason = None
        if n % 23 == 0:
            steps, reason = [(Action.ACCEPT, 1), (Action.CANCEL, 6)], "customer cancelled"
        put(
            db,
            platform=platform,
            placed=local(day, hour, rng.randint(0, 59)),
            total=total,
            delivery_fee=300,
            items=items,
            commission=None if platform == "manual" else total * 18 // 100,
            payment=rng.choice(["cash", "card"]) if platform == "manual" else "online",
            steps=steps,
            reason=reason,
        )


def receipt_png(lines: list[str], path: Path) -> None:
    """Draw the lines as a 58 mm thermal printer would: a monospace font, CJK glyphs two cells wide."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

    from posapp.reports.ztext import display_width

    font = QFont("WenQuanYi Micro Hei Mono")
    font.setPixelSize(22)
    cell = QFontMetrics(font).horizontalAdvance("0")
    line_h = QFontMetrics(font).height() + 2
    image = QImage(cell * 32 + 40, line_h * len(lines) + 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("#111111"))
    for row, line in enumerate(lines):
        x = 20
        for ch in line:  # place every glyph on the printer's grid, as the printer does
            painter.drawText(x, 20 + row * line_h, cell * 2, line_h, Qt.AlignmentFlag.AlignLeft, ch)
            x += cell * display_width(ch)
    painter.end()
    image.save(str(path))


async def main(language: str = "en") -> None:
    suffix = "" if language == "en" else "-" + language.split("_")[0]  # zh_CN -> -zh
    folder = Path(tempfile.mkdtemp(prefix="posapp-shots-"))
    db = open_database(folder)
    build_day(db)
    busy_day(db)
    now = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # 2026-03-11 02:00 in Shanghai: still business day 03-10
    clock = lambda: now  # noqa: E731
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    reports = ReportService(db, OPTIONS, clock=clock)
    section = ManagerSection(
        auth, reports, AuditService(db), CustomerService(db, clock=clock), clock=clock, store_name="老王面馆"
    )
    section.resize(1366, 1400)
    section.show()
    for d in "48":
        section.pinpad.press(d)
    await asyncio.sleep(0.3)
    docs = ROOT / "docs"
    section.grab().save(str(docs / f"manager-pin{suffix}.png"))
    for d in "29":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    for _ in range(100):
        await asyncio.sleep(0.1)
        if section.view.report_page.report is not None:
            break
    await asyncio.sleep(0.5)
    section.grab().save(str(docs / f"manager-report{suffix}.png"))
    if suffix:
        print("saved", docs / f"manager-report{suffix}.png", docs / f"manager-pin{suffix}.png")
        db.close()
        return
    section.view.setCurrentIndex(1)
    audit_page = section.view.audit_page
    audit_page.request()
    await asyncio.sleep(1.0)
    section.grab().save(str(docs / "manager-audit.png"))
    report = await reports.z_report(DAY)
    text = (
        z_report_text(report, width=48, store_name="老王面馆")
        + "\n\n"
        + z_report_text(report, width=32, store_name="老王面馆")
    )
    (docs / "z-report.txt").write_text(text, encoding="utf-8")
    receipt_png(z_report_text(report, width=32, store_name="老王面馆").splitlines(), docs / "z-report.png")
    print(
        "saved",
        docs / "manager-report.png",
        docs / "manager-pin.png",
        docs / "z-report.txt",
        docs / "z-report.png",
    )
    db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--language", choices=["en", "zh_CN"], default="en", help="screen language (default en)"
    )
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    if install_language(args.language) != args.language:
        sys.exit(f"no translation for {args.language}; run tools/make_translations.py")
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.language))
