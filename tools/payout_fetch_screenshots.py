"""Render the Payouts tab at 1024x768 after *Fetch from Uber Eats* against the platform simulator and save
docs/1024-payouts-fetch-en.png (or docs/1024-payouts-fetch-zh.png with --language zh_CN).

    xvfb-run python tools/payout_fetch_screenshots.py [--language zh_CN]   (or QT_QPA_PLATFORM=offscreen)

Three simulated Uber Eats orders arrive over loopback; the tab asks the simulator's Reporting API, whose
signed eats.report.success webhook the listener imports (one order paid short, one order we never got).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.connectors import registry  # noqa: E402
from posapp.connectors.simulator import Simulator  # noqa: E402
from posapp.domain.roles import Role  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.audit import AuditService  # noqa: E402
from posapp.services.auth import AuthService  # noqa: E402
from posapp.services.channels import ChannelService  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.intake import IntakeService  # noqa: E402
from posapp.services.payout_fetch import PayoutFetch  # noqa: E402
from posapp.services.payouts import PayoutService  # noqa: E402
from posapp.services.planner import JobPlanner  # noqa: E402
from posapp.services.reports import ReportService  # noqa: E402
from posapp.store.db import open_database  # noqa: E402
from posapp.store.sealing import ephemeral_keys  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.manager.section import ManagerSection  # noqa: E402
from tests.report_fixtures import OPTIONS  # noqa: E402


async def wait_for(condition, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise SystemExit("the Payouts tab did not show the fetched report in time")


async def main(language: str) -> None:
    suffix = "en" if language == "en" else language.split("_")[0]
    folder = Path(tempfile.mkdtemp(prefix="posapp-payout-fetch-"))
    db = open_database(folder / "data", keys=ephemeral_keys())  # a throwaway key: no keyring needed
    sim = Simulator(platforms=("ubereats",), seed=5)
    await sim.start()
    plat = sim.platforms["ubereats"]
    connector = registry.make(
        "ubereats", base_url=sim.url_for("ubereats"), app_id=plat.app_id, secret=plat.secret
    )
    connector.store_id = plat.store_id  # type: ignore[attr-defined]
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub, JobPlanner()), hub, [connector])
    sim.webhook_base = f"http://127.0.0.1:{await channels.start_listener()}"
    now = datetime.now(UTC)
    clock = lambda: now  # noqa: E731
    reports = ReportService(db, dataclasses.replace(OPTIONS, currency="USD"), clock=clock)
    payouts = PayoutService(db, reports)
    fetch = PayoutFetch(payouts, client=lambda: channels.client)
    fetch.connectors = lambda: channels.connectors
    channels.report_sink = fetch.take_notice
    await sim.emit("ubereats", 3)
    auth = AuthService(db, clock)
    await auth.create_user("alice", Role.MANAGER, "4829", by="setup")
    section = ManagerSection(
        auth,
        reports,
        AuditService(db),
        clock=clock,
        store_name="Lihua Kitchen",
        payouts=payouts,
        payout_fetch=fetch,
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
    page.platform_buttons["ubereats"].click()
    placed = sorted(date.fromisoformat(str(o["placed_at"])[:10]) for o in plat.orders.values())
    page.show_days(placed[0], placed[-1])
    page.fetch_button.click()
    await wait_for(lambda: page.table.rowCount() > 0)
    await asyncio.sleep(0.5)
    path = ROOT / "docs" / f"1024-payouts-fetch-{suffix}.png"
    section.grab().save(str(path))
    print("saved", path)
    await channels.stop()
    await sim.stop()
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
