"""Render the manager's Payouts tab at 1024x768 after importing a Meituan bill and save
docs/1024-payouts-en.png (or docs/1024-payouts-zh.png with --language zh_CN).

    xvfb-run python tools/payout_screenshots.py [--language zh_CN]   (or QT_QPA_PLATFORM=offscreen)

The statement is tests/fixtures/meituan/statements/statement_2026-03-10.csv, imported through the tab's own
picker; the orders are the day the reconciliation test uses (one short-paid, one missing, one unknown).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: tools/_data_key.py)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.events import PlatformEvent, PlatformEventKind  # noqa: E402
from posapp.domain.roles import Role  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.intake import IntakeService  # noqa: E402
from posapp.services.payouts import PayoutService  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tests.report_fixtures import OPTIONS  # noqa: E402
from tests.unit.test_payouts import FIXTURES, put  # noqa: E402

ORDERS = (
    ("27000100001001", 5000, 900),
    ("27000100001002", 3000, 540),
    ("27000100001003", 2000, 360),
    ("27000100001004", 4000, 720),
)


async def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise SystemExit("the Payouts tab did not show the statement in time")


async def main(language: str) -> None:
    suffix = "en" if language == "en" else language.split("_")[0]
    folder = Path(tempfile.mkdtemp(prefix="posapp-payouts-"))
    db = open_database(folder / "data")
    for external_id, total, commission in ORDERS:
        put(db, "meituan", external_id, total, commission)
    now = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
    clock = lambda: now  # noqa: E731
    refund = PlatformEvent("meituan", "27000100001004", PlatformEventKind.REFUNDED, "少送了", amount=1000)
    await IntakeService(db, Hub(), clock=clock).apply_event(refund)
    downloads = folder / "Downloads"
    downloads.mkdir()
    shutil.copy(
        FIXTURES / "meituan" / "statements" / "statement_2026-03-10.csv", downloads / "美团账单-0310.csv"
    )
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    reports = ReportService(db, OPTIONS, clock=clock)
    section = ManagerSection(
        auth,
        reports,
        AuditService(db),
        clock=clock,
        store_name="老王面馆",
        payouts=PayoutService(db, reports),
        statement_folder=downloads,
    )
    section.resize(1024, 768)
    section.show()
    for d in "4829":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    await wait_for(lambda: not section.is_locked)
    page = section.payouts_page
    assert page is not None
    section.view.setCurrentWidget(page)
    page.import_button.click()
    await wait_for(lambda: section.statement_picker is not None and section.statement_picker.isVisible())
    picker = section.statement_picker
    assert picker is not None
    await asyncio.sleep(0.3)
    picker.grab().save(str(ROOT / "docs" / f"1024-payouts-picker-{suffix}.png"))
    picker.list.itemClicked.emit(picker.list.item(0))
    await wait_for(lambda: page.table.rowCount() > 0)
    await asyncio.sleep(0.5)
    path = ROOT / "docs" / f"1024-payouts-{suffix}.png"
    section.grab().save(str(path))
    print("saved", path, ROOT / "docs" / f"1024-payouts-picker-{suffix}.png")
    db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--language", choices=["en", "zh_CN"], default="en")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    if install_language(args.language) != args.language:
        sys.exit(f"no translation for {args.language}")
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.language))
