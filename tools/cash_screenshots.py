"""Render the manager's Cash tab (the count pad) and the Z-report with its cash-up at 1024x768, and the printed
Z-report's CASH-UP part, on a demo day of counter sales:

    QT_QPA_PLATFORM=offscreen python tools/cash_screenshots.py                 # docs/1024-cash-up-en.png ...
    QT_QPA_PLATFORM=offscreen python tools/cash_screenshots.py --language zh_CN

Saves docs/1024-cash-up{-en,-zh}.png, docs/1024-z-report-cash{-en,-zh}.png and (English) docs/z-report-cash.png.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: tools/_data_key.py)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zoneinfo import ZoneInfo  # noqa: E402

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.cash import Movement  # noqa: E402
from posapp.domain.roles import Role  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.cash import CashOptions, CashService  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.intake import IntakeService  # noqa: E402
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService  # noqa: E402
from posapp.services.reports import ReportOptions, ReportService, print_lines  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tools.manager_screenshots import receipt_png  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
SALES = [("宫保鸡丁", 3200), ("麻婆豆腐", 2600), ("扬州炒饭", 2400), ("小笼包", 2200), ("红烧牛肉面", 3600)]


async def main(language: str) -> None:
    suffix = "-en" if language == "en" else "-zh"
    now = datetime(2026, 12, 3, 11, 0, tzinfo=TZ)

    def clock() -> datetime:
        return now

    db = open_database(Path(tempfile.mkdtemp(prefix="posapp-cash-")))
    auth = AuthService(db, clock)
    await auth.create_user("lin", Role.MANAGER, "4829", by="setup")
    await auth.create_user("amy", Role.CASHIER, "1357", by="setup")
    manual = ManualOrderService(IntakeService(db, Hub(), clock=clock), currency="CNY", tz=TZ, clock=clock)
    first = None
    for n in range(23):  # a lunch and a dinner of walk-ins, two in three paid in cash
        name, price = SALES[n % len(SALES)]
        payment = "card" if n % 3 == 2 else "cash"
        made = await manual.create(ManualDraft((ManualLine(name, 1 + n % 2, price),), payment=payment))
        first = first or made.order_id
        now += timedelta(minutes=23)
    options = ReportOptions(tz=TZ, opening_float=50000)
    reports = ReportService(db, options, clock=clock)
    cash = CashService(auth, reports.period, reports.today, CashOptions("CNY", 50000), clock=clock)
    assert first is not None
    await reports.mark_refund(first, 1000, reason="汤凉了 Cold soup", by="cashier:amy")
    await cash.record(Movement.PAID_IN, 10000, "Change from the bank", "4829")
    await cash.record(Movement.PAID_OUT, 4550, "蔬菜 Vegetables from the market", "1357")
    section = ManagerSection(auth, reports, AuditService(db), cash=cash, clock=clock, store_name="老王面馆")
    section.resize(1024, 768)
    section.show()
    for d in "4829":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    for _ in range(100):
        await asyncio.sleep(0.1)
        if section.cash_page is not None and section.cash_page.cash is not None:
            break
    page = section.cash_page
    assert page is not None and page.cash is not None
    # ¥1,212.50 counted against ¥1,214.50 expected: two yuan short, as a real drawer often is
    counts = {10000: 10, 5000: 3, 2000: 2, 1000: 1, 500: 1, 100: 7, 50: 1}
    for denomination, n in counts.items():
        page.spins[denomination].setValue(n)
    await section._save_count(page.pieces())
    await asyncio.sleep(0.3)
    section.view.setCurrentWidget(page)
    await asyncio.sleep(0.5)
    docs = ROOT / "docs"
    section.grab().save(str(docs / f"1024-cash-up{suffix}.png"))
    section.view.setCurrentWidget(section.view.report_page)
    await section._load_report(reports.today(), None)
    await asyncio.sleep(0.5)
    section.grab().save(str(docs / f"1024-z-report-cash{suffix}.png"))
    if language == "en":
        report = await reports.z_report(reports.today())
        lines = print_lines(report, width=32, store_name="老王面馆", printed_at=clock())
        start = lines.index("CASH-UP") - 1
        receipt_png(lines[start:], docs / "z-report-cash.png")
    print("saved", docs / f"1024-cash-up{suffix}.png", docs / f"1024-z-report-cash{suffix}.png")
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
