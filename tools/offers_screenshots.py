"""Render Customers → Offers at 1024x768 with one offer saved and another being written, and the counter's order
form with a code applied; save docs/offers-editor-en.png and docs/offers-order-form-en.png (with
--language zh_CN: the -zh pair).

    Xvfb :88 -screen 0 1280x800x24 &  DISPLAY=:88 python tools/offers_screenshots.py [--language zh_CN]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")  # nothing real touched

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.offers import Offer, OfferKind, format_code  # noqa: E402
from posapp.domain.roles import Role, User  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.customers import CustomerService, Segment  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.intake import IntakeService  # noqa: E402
from posapp.services.manual import DEFAULT_QUICK_MENU, ManualDraft, ManualLine, ManualOrderService  # noqa: E402
from posapp.services.offers import OfferService  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store import orders as repo  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from posapp.ui.manual_order import ManualOrderDialog  # noqa: E402
from tests.report_fixtures import OPTIONS  # noqa: E402

NOW = datetime(2026, 12, 4, 6, tzinfo=UTC)


async def wait_for(check: object, tries: int = 100) -> None:
    for _ in range(tries):
        await asyncio.sleep(0.1)
        if callable(check) and check():
            return


async def main(language: str) -> None:
    suffix = "en" if language == "en" else "zh"
    docs = ROOT / "docs"
    db = open_database(Path(tempfile.mkdtemp(prefix="posapp-offers-")))
    clock = lambda: NOW  # noqa: E731
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    offers = OfferService(db, clock=clock)
    manager = User(1, "alice", Role.MANAGER)
    await offers.save(
        Offer(
            "10 % off your next pickup",
            OfferKind.PERCENT,
            10,
            "CNY",
            min_spend=5000,
            valid_days=30,
            segments=frozenset({"new", "lapsing"}),
        ),
        by=manager,
    )
    await offers.save(
        Offer(
            "¥5 off, thank you for coming back",
            OfferKind.FIXED,
            500,
            "CNY",
            valid_days=14,
            segments=frozenset({"lost"}),
            active=False,
        ),
        by=manager,
    )
    section = ManagerSection(
        auth,
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        offers=offers,
        clock=clock,
    )
    section.resize(1024, 768)
    section.show()
    for d in "4829":
        section.pinpad.press(d)
    section.pinpad.press("OK")
    requests = section.offer_requests
    assert requests is not None
    page = requests.page
    await wait_for(lambda: page.list.count() == 2)
    section.view.setCurrentWidget(section.view.customers_page)
    section.view.customers_page.inner.setCurrentWidget(page)
    page.new_offer()
    page.text.setText("Free bubble tea with your next order" if language == "en" else "下次点单送珍珠奶茶")
    page.kind_buttons[OfferKind.FIXED].setChecked(True)
    page.value.setText("15.00")
    page.min_spend.setText("40.00")
    page.days.setText("21")
    page.segment_buttons[Segment.NEW].setChecked(False)
    page.segment_buttons[Segment.REGULAR].setChecked(True)
    page.segment_buttons[Segment.HIGH_VALUE].setChecked(True)
    await asyncio.sleep(0.5)
    section.grab().save(str(docs / f"offers-editor-{suffix}.png"))

    # The order form with a code from an earlier receipt applied.
    intake = IntakeService(db, Hub(), clock=clock)
    intake.offers = offers
    manual = ManualOrderService(intake, currency="CNY", tz=OPTIONS.tz, clock=clock)
    first = await manual.create(
        ManualDraft((ManualLine("小笼包 Soup Dumplings", 2, 2200),), customer_phone="13812345678")
    )
    issued = db.call(lambda s: offers.for_receipt(s, repo.get_order(s, first.order_id)))
    assert issued is not None
    form = ManualOrderDialog(DEFAULT_QUICK_MENU, "CNY", manual.create, check_code=manual.check_code)
    form.resize(1024, 768)
    form.show()
    for entry in (DEFAULT_QUICK_MENU[0], DEFAULT_QUICK_MENU[4], DEFAULT_QUICK_MENU[6]):
        form.add_item(entry)
    form.name.setText("Li")
    form.phone.setText("138 1234 5678")
    form.code.setText(format_code(issued.code))
    form.apply_code()
    await wait_for(lambda: form.code_result.text() != "")
    await asyncio.sleep(0.3)
    form.grab().save(str(docs / f"offers-order-form-{suffix}.png"))
    print("saved", docs / f"offers-editor-{suffix}.png", docs / f"offers-order-form-{suffix}.png")
    form.close()
    section.close()
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
