"""The manager's Kitchen screens tab on the real demo app: a pairing code pairs a screen over loopback HTTP,
the list shows it, Revoke makes its token refused; both are audited."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from posapp.app import PosApp
from posapp.store import audit as audit_repo
from posapp.ui.manager.section import ManagerSection
from tests.integration.apps import demo_app
from tests.integration.test_screen_api import call

SCREENSHOT = os.environ.get("POSAPP_MANAGER_SCREENS_PNG")  # set to save docs/manager-screens.png


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    yield posapp
    assert posapp.window is not None
    if posapp.manager is not None:
        posapp.manager.close()
    posapp.window.close()
    arun(posapp.stop())


def open_screens_tab(qtbot: Any, app: PosApp) -> ManagerSection:
    assert app.window is not None and app.window.manager_button is not None and app.manager is not None
    qtbot.mouseClick(app.window.manager_button, Qt.MouseButton.LeftButton)
    section = app.manager
    qtbot.waitUntil(section.isVisible)
    for digit in "1234":  # the demo manager
        qtbot.mouseClick(section.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.is_locked, timeout=10000)
    section.view.setCurrentWidget(section.view.screens_page)
    return section


def test_pair_a_kitchen_screen_from_the_manager_tab_then_revoke_it(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    section = open_screens_tab(qtbot, app)
    page = section.view.screens_page
    assert section.view.tabText(section.view.indexOf(page)) == "Kitchen screens"
    assert page.pair_button.height() >= 48

    qtbot.mouseClick(page.pair_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.code_value is not None, timeout=10000)
    code = page.code_value
    assert code is not None and len(code) == 6 and code.isdigit()
    assert page.code.text().replace(" ", "") == code
    assert "Valid for 10 minutes, once" in page.valid.text()
    assert app.engine.screens is not None and app.engine.screens.port is not None
    port = app.engine.screens.port
    assert page.address.text() == f"Screen address: 127.0.0.1:{port}"
    assert "only this computer" in page.address_note.text()

    base = f"http://127.0.0.1:{port}"
    status, body = arun(
        call("POST", f"{base}/api/pair", body={"code": code, "name": "Grill 1", "station": "grill"})
    )
    assert status == 200, body
    token = str(body["token"])
    assert arun(call("GET", f"{base}/api/snapshot", token))[0] == 200

    # While the code shows, the list is re-read: the new screen appears by itself and the code is cleared.
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10000)
    assert page.table.item(0, 0).text() == "Grill 1"
    assert page.table.item(0, 1).text() == "grill"
    assert page.table.item(0, 3).text() == "paired"
    qtbot.waitUntil(lambda: page.code_value is None and "Paired: Grill 1" in page.valid.text(), timeout=5000)

    screen_id = int(body["screen_id"])
    revoke = page.revoke_buttons[screen_id]
    assert revoke.height() >= 48
    qtbot.mouseClick(revoke, Qt.MouseButton.LeftButton)  # first tap only arms it
    assert revoke.text() == "Tap again to revoke"
    assert arun(call("GET", f"{base}/api/snapshot", token))[0] == 200
    qtbot.mouseClick(revoke, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.item(0, 3).text().startswith("revoked"), timeout=10000)
    assert screen_id not in page.revoke_buttons
    status, body = arun(call("GET", f"{base}/api/snapshot", token))
    assert status == 401 and body["error"] == "unauthorised"

    assert app.db is not None
    codes = app.db.call(lambda s: audit_repo.entries(s, action="screen_code"))
    revoked = app.db.call(lambda s: audit_repo.entries(s, action="screen_revoked"))
    assert [e.by for e in codes] == ["manager:manager"]
    assert [(e.by, e.detail) for e in revoked] == [("manager:manager", f"#{screen_id} Grill 1")]

    if SCREENSHOT:  # one more screen paired, and a fresh code showing, for docs/manager-screens.png
        expo = arun(app.engine.screens.new_code())
        assert (
            arun(call("POST", f"{base}/api/pair", body={"code": expo, "name": "Expo", "station": None}))[0]
            == 200
        )
        qtbot.mouseClick(page.pair_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.code_value is not None and page.table.rowCount() == 2, timeout=10000)
        section.resize(1024, 768)
        qtbot.wait(200)
        section.grab().save(SCREENSHOT)


def test_locking_the_section_clears_a_showing_code(qtbot: Any, arun: Any, app: PosApp) -> None:
    section = open_screens_tab(qtbot, app)
    page = section.view.screens_page
    qtbot.mouseClick(page.pair_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.code_value is not None, timeout=10000)
    section.lock()
    assert page.code_value is None and not section.screen_poll.isActive()
