"""Render the Customers tab's "Customer data" at 1024x768: a search by phone that finds two look-alike masked
numbers, one customer's orders with Export and Erase, and the Erase dialog. Saves docs/customer-data-en.png and
docs/customer-data-erase-en.png (with --language zh_CN: the -zh pair).

    Xvfb :87 -screen 0 1280x800x24 &  DISPLAY=:87 python tools/privacy_screenshots.py [--language zh_CN]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

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
from posapp.services.privacy import PrivacyService  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.report_fixtures import OPTIONS  # noqa: E402
from tests.segment_fixtures import NOW, seed  # noqa: E402


async def until(check: object, tries: int = 100) -> None:
    for _ in range(tries):
        await asyncio.sleep(0.1)
        if callable(check) and check():
            return


async def main(language: str) -> None:
    suffix = "en" if language == "en" else "zh"
    db = open_database(Path(tempfile.mkdtemp(prefix="posapp-privacy-")))
    seed(db)
    clock = lambda: NOW  # noqa: E731
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    section = ManagerSection(
        auth,
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        privacy=PrivacyService(db, auth, clock=clock),
        clock=clock,
    )
    section.resize(1024, 768)
    section.show()
    for d in "4829":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    await until(lambda: section.user is not None)
    section.view.setCurrentWidget(section.view.customers_page)
    inner = section.view.customers_page.inner
    inner.setCurrentIndex(inner.count() - 1)
    assert section.data_requests is not None
    page = section.data_requests.page
    page.query.setText("138 1234 5678")
    page.search_button.click()
    await until(lambda: page.found.rowCount() == 2)
    row = next(r for r in range(2) if page.found.item(r, 0).text() == "王先生")
    page.found.cellClicked.emit(row, 0)
    await until(lambda: page.history.rowCount() > 0)
    await asyncio.sleep(0.5)
    docs = ROOT / "docs"
    section.grab().save(str(docs / f"customer-data-{suffix}.png"))
    page.erase_button.click()
    dialog = section.data_requests.erase_dialog
    assert dialog is not None
    dialog.reason.setText("顾客来电要求删除" if suffix == "zh" else "the customer asked by phone")
    dialog.confirm.setChecked(True)
    for d in "48":
        dialog.pinpad.press(d)
    await asyncio.sleep(0.5)
    dialog.grab().save(str(docs / f"customer-data-erase-{suffix}.png"))
    dialog.reject()
    print("saved", docs / f"customer-data-{suffix}.png", docs / f"customer-data-erase-{suffix}.png")
    db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--language", choices=["en", "zh_CN"], default="en")
    args = parser.parse_args()
    import keyring

    keyring.set_keyring(MemoryKeyring())  # the demo's data key lives only as long as this run
    app = QApplication(sys.argv[:1])
    if install_language(args.language) != args.language:
        sys.exit(f"no translation for {args.language}")
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.language))
