"""Render the Customers tab's segments at 1024x768 and save docs/customer-segments-en.png and
docs/customer-segments-history-en.png (with --language zh_CN: the -zh pair).

    Xvfb :93 -screen 0 1024x768x24 &  DISPLAY=:93 python tools/segments_screenshots.py [--language zh_CN]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: tools/_data_key.py)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.roles import Role  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.customers import CustomerService  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tests.report_fixtures import OPTIONS  # noqa: E402
from tests.segment_fixtures import NOW, seed  # noqa: E402


async def main(language: str) -> None:
    suffix = "en" if language == "en" else "zh"
    db = open_database(Path(tempfile.mkdtemp(prefix="posapp-segments-")))
    seed(db)
    clock = lambda: NOW  # noqa: E731
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    customers = CustomerService(db, clock=clock)
    section = ManagerSection(
        auth, ReportService(db, OPTIONS, clock=clock), AuditService(db), customers, clock=clock
    )
    section.resize(1024, 768)
    section.show()
    for d in "4829":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    page = section.view.customers_page
    for _ in range(100):
        await asyncio.sleep(0.1)
        if page.segments.report is not None:
            break
    section.view.setCurrentWidget(page)
    await asyncio.sleep(0.5)
    docs = ROOT / "docs"
    section.grab().save(str(docs / f"customer-segments-{suffix}.png"))
    regular = next(c for c in page.segments.customers if len(c.platforms) == 2)
    page.segments.historyRequested.emit(regular.key)
    for _ in range(50):
        await asyncio.sleep(0.1)
        if section.history_dialog is not None:
            break
    await asyncio.sleep(0.5)
    assert section.history_dialog is not None
    section.history_dialog.grab().save(str(docs / f"customer-segments-history-{suffix}.png"))
    print("saved", docs / f"customer-segments-{suffix}.png", docs / f"customer-segments-history-{suffix}.png")
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
