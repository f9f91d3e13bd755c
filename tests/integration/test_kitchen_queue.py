"""The kitchen queue as staff use it: taps, dialogs, alerts, modes, filters and bump-bar keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from posapp.app import PosApp
from posapp.domain import bounds
from posapp.domain.lifecycle import Action
from posapp.domain.order import Customer, LineItem, Modifier, OrderStatus
from posapp.services.hub import ChangeKind
from posapp.store import orders as repo
from posapp.store import settings as settings_repo
from posapp.ui.alerts import Speaker
from posapp.ui.dialogs import OrderDetailDialog, ReasonDialog, RecallDialog, SoldOutDialog
from tests.factories import make_order
from tests.integration.apps import demo_app


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    yield posapp
    if posapp.db is not None:  # a test may already have stopped it to restart on the same data dir
        assert posapp.window is not None
        posapp.window.close()
        arun(posapp.stop())


def add(arun: Any, app: PosApp, **kwargs: Any) -> int:
    order = make_order(platform="demo", **kwargs)
    return arun(app.intake.ingest(order)).order_id


def status_of(app: PosApp, order_id: int) -> OrderStatus:
    assert app.db is not None
    return app.db.call(lambda s: repo.get_order(s, order_id)).status


def tap(qtbot: Any, app: PosApp, order_id: int, action: Action) -> None:
    assert app.window is not None
    rect = app.window.button_rect(order_id, action)
    qtbot.waitUntil(lambda: not app.window.tap_guard.blocked(rect.center()))  # a second tap, not a double tap
    qtbot.mouseClick(app.window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def shown_actions(app: PosApp, order_id: int) -> list[Action]:
    window = app.window
    assert window is not None
    order = window.proxy_index(order_id).data(Qt.ItemDataRole.UserRole + 1)
    return [a for _, a in window.delegate.button_rects(window.card_rect(order_id), order)]


def test_each_card_button_moves_the_order_and_the_buttons_follow_the_lifecycle(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) >= 0)
    assert shown_actions(app, order_id) == [Action.ACCEPT, Action.REJECT]
    for action, expected, buttons in [
        (Action.ACCEPT, OrderStatus.ACCEPTED, [Action.START]),
        (Action.START, OrderStatus.PREPARING, [Action.READY]),
        (Action.READY, OrderStatus.READY, [Action.COMPLETE]),
    ]:
        tap(qtbot, app, order_id, action)
        qtbot.waitUntil(lambda e=expected: status_of(app, order_id) is e)
        qtbot.waitUntil(lambda b=buttons: shown_actions(app, order_id) == b)
    tap(qtbot, app, order_id, Action.COMPLETE)
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.COMPLETED)
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) < 0)  # done orders leave the queue


def test_reject_asks_for_a_reason_and_the_platform_hears_it(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app, external_id="REJ-1")
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) >= 0)
    tap(qtbot, app, order_id, Action.REJECT)
    dialog = app.controller.dialog
    assert isinstance(dialog, ReasonDialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "reason-too_busy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.REJECTED)
    assert app.db.call(lambda s: repo.get_order(s, order_id)).status_reason == "Kitchen too busy"
    qtbot.waitUntil(lambda: len(app.simulator.pushes_for("demo", "REJ-1")) == 1, timeout=10000)
    assert app.simulator.pushes_for("demo", "REJ-1")[0].body == {
        "action": "reject",
        "reason": "Kitchen too busy",
    }


def test_detail_view_shows_history_and_cancels_by_store_with_reason(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    order_id = add(arun, app, notes="花生过敏")
    arun(app.orders.accept(order_id, by="kitchen"))
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) >= 0)
    rect = app.window.card_rect(order_id)
    qtbot.mouseClick(
        app.window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.topLeft() + QPoint(40, 120)
    )
    qtbot.waitUntil(lambda: isinstance(app.controller.dialog, OrderDetailDialog))
    dialog = app.controller.dialog
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "花生过敏" in texts and "New → Accepted · kitchen" in texts  # the history in words
    qtbot.mouseClick(dialog.findChild(QPushButton, "action-cancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(app.controller.dialog, ReasonDialog))
    qtbot.mouseClick(
        app.controller.dialog.findChild(QPushButton, "reason-sold_out"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.CANCELLED)


def test_chime_rings_while_an_order_waits_and_stops_on_accept(qtbot: Any, arun: Any, app: PosApp) -> None:
    alerts = app.alerts
    assert not alerts.chiming
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: alerts.chiming)
    assert alerts.chime.starts == 1
    arun(app.orders.accept(order_id))
    qtbot.waitUntil(lambda: not alerts.chiming)


def test_overdue_new_order_raises_the_alarm_until_accepted(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app, placed_at=datetime.now(UTC) - timedelta(minutes=5))
    qtbot.waitUntil(lambda: app.alerts.alarming, timeout=3000)
    assert app.window.alarm_banner.isVisible()
    assert "Accept now" in app.window.alarm_banner.text()
    assert f"Demo #{app.window.model.orders()[0].display_id}" in app.window.alarm_banner.text()  # which #1
    arun(app.orders.accept(order_id))
    qtbot.waitUntil(lambda: not app.alerts.alarming, timeout=3000)


def test_auto_accept_takes_new_orders_and_survives_restart(
    qtbot: Any, arun: Any, app: PosApp, data_dir: Path
) -> None:
    arun(app.kitchen.set_auto_accept("demo", True))
    order_id = add(arun, app)
    assert status_of(app, order_id) is OrderStatus.ACCEPTED
    events = app.db.call(lambda s: repo.events_for(s, order_id))
    assert events[-1].by == "auto-accept"
    assert "demo" in app.db.call(lambda s: settings_repo.get_setting(s, "auto_accept"))
    app.window.close()
    arun(app.stop())
    again = demo_app(data_dir, language="en")
    arun(again.start())
    try:
        assert "demo" in again.intake.auto_accept
        second = add(arun, again)
        assert status_of(again, second) is OrderStatus.ACCEPTED
    finally:
        again.window.close()
        arun(again.stop())


def test_undo_takes_back_the_last_bump(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app)
    arun(app.orders.accept(order_id))
    arun(app.orders.start(order_id))
    qtbot.waitUntil(lambda: shown_actions(app, order_id) == [Action.READY])
    tap(qtbot, app, order_id, Action.READY)
    qtbot.waitUntil(lambda: app.window.undo_bar.isVisible())
    assert "→ Ready" in app.window.undo_bar.text() and "Demo #" in app.window.undo_bar.text()
    qtbot.wait(600)  # a later tap, not the second half of a double tap
    qtbot.mouseClick(app.window.undo_bar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.PREPARING)
    events = app.db.call(lambda s: repo.events_for(s, order_id))
    assert (events[-1].from_status, events[-1].to_status, events[-1].reason) == ("ready", "preparing", "undo")


def test_recall_brings_a_completed_order_back(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app)
    for step in (app.orders.accept, app.orders.start, app.orders.ready, app.orders.complete):
        arun(step(order_id))
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) < 0)
    qtbot.mouseClick(app.window.recall_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(app.controller.dialog, RecallDialog))
    dialog = app.controller.dialog
    assert dialog.list.count() == 1
    item = dialog.list.item(0)
    qtbot.mouseClick(
        dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=dialog.list.visualItemRect(item).center()
    )
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.READY)
    qtbot.waitUntil(lambda: app.window.model.row_of(order_id) >= 0)


def test_all_day_counts_and_tap_filters_cards(qtbot: Any, arun: Any, app: PosApp) -> None:
    kp = LineItem("宫保鸡丁", 2, 3200)
    tea = LineItem("Iced Lemon Tea", 1, 395)
    a = add(arun, app, items=(kp, tea))
    b = add(arun, app, items=(LineItem("宫保鸡丁", 3, 3200),))
    c = add(arun, app, items=(tea,))
    qtbot.waitUntil(lambda: app.window.model.rowCount() == 3)
    qtbot.mouseClick(app.window.all_day_button, Qt.MouseButton.LeftButton)
    assert app.window.all_day_rows() == ["5 × 宫保鸡丁", "2 × Iced Lemon Tea"]
    first = app.window.all_day.item(1)
    qtbot.mouseClick(
        app.window.all_day.viewport(),
        Qt.MouseButton.LeftButton,
        pos=app.window.all_day.visualItemRect(first).center(),
    )
    assert sorted(o.id for o in app.window.visible_orders()) == sorted([a, b])
    assert c not in [o.id for o in app.window.visible_orders()]


def test_filters_by_state_platform_and_search(qtbot: Any, arun: Any, app: PosApp) -> None:
    a = add(arun, app, customer=None)
    b = add(arun, app)
    arun(app.orders.accept(b))
    model = app.window.model
    qtbot.waitUntil(
        lambda: model.rowCount() == 2 and model.order_at(model.row_of(b)).status is OrderStatus.ACCEPTED
    )
    app.window.state_chips[OrderStatus.ACCEPTED].click()
    assert [o.id for o in app.window.visible_orders()] == [b]
    app.window.state_chips[OrderStatus.ACCEPTED].click()
    app.window.search.setText("王")
    assert [o.id for o in app.window.visible_orders()] == [b]
    display = app.window.model.order_at(app.window.model.row_of(a)).display_id
    app.window.search.setText(display)
    assert a in [o.id for o in app.window.visible_orders()]
    app.window.search.clear()
    app.window.platform_chips["demo"].click()
    assert len(app.window.visible_orders()) == 2


def test_bump_bar_digits_select_and_enter_bumps(qtbot: Any, arun: Any, app: PosApp) -> None:
    now = datetime.now(UTC)
    first = add(arun, app, placed_at=now - timedelta(minutes=2))
    second = add(arun, app, placed_at=now - timedelta(minutes=1))
    qtbot.waitUntil(lambda: app.window.model.rowCount() == 2)
    app.window.activateWindow()
    app.window.select_card(2)
    assert app.window.selected_order().id == second
    app.window.bump_selected()
    qtbot.waitUntil(lambda: status_of(app, second) is OrderStatus.ACCEPTED)
    assert status_of(app, first) is OrderStatus.NEW


def test_bump_bar_key_events(qtbot: Any, arun: Any, app: PosApp) -> None:
    now = datetime.now(UTC)
    add(arun, app, placed_at=now - timedelta(minutes=2))
    second = add(arun, app, placed_at=now - timedelta(minutes=1))
    qtbot.waitUntil(lambda: app.window.model.rowCount() == 2)
    app.window.view.setFocus()
    qtbot.keyClick(app.window.view, Qt.Key.Key_2)
    assert app.window.selected_order().id == second
    qtbot.keyClick(app.window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_of(app, second) is OrderStatus.ACCEPTED)


def test_bulk_accept_accepts_every_new_order(qtbot: Any, arun: Any, app: PosApp) -> None:
    ids = [add(arun, app) for _ in range(4)]
    qtbot.waitUntil(lambda: app.window.accept_all.text() == "Accept all (4)")
    qtbot.mouseClick(app.window.accept_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(status_of(app, i) is OrderStatus.ACCEPTED for i in ids))


def test_platform_cancellation_and_rush_reminder_flash_a_banner(qtbot: Any, arun: Any, app: PosApp) -> None:
    from posapp.domain.events import PlatformEvent, PlatformEventKind

    order_id = add(arun, app, external_id="CX-1")
    arun(app.orders.accept(order_id))
    arun(app.intake.apply_event(PlatformEvent("demo", "CX-1", PlatformEventKind.REMINDER)))
    qtbot.waitUntil(lambda: "Rush reminder" in app.window.banner.text())
    arun(app.intake.apply_event(PlatformEvent("demo", "CX-1", PlatformEventKind.CANCELLED, "用户取消")))
    qtbot.waitUntil(lambda: "CANCELLED by Demo" in app.window.banner.text())
    assert "用户取消" in app.window.banner.text()
    assert app.window.banner_level == "alarm"
    assert app.window.model.row_of(order_id) < 0


def test_sold_out_toggle_is_pushed_to_the_platform_selling_it(qtbot: Any, arun: Any, app: PosApp) -> None:
    add(arun, app, items=(LineItem("宫保鸡丁", 1, 3200, sku="KP1"),))
    qtbot.mouseClick(app.window.sold_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(app.controller.dialog, SoldOutDialog))
    app.controller.dialog.toggles["宫保鸡丁"].click()
    app.controller.dialog.toggles["宫保鸡丁"].click()  # the second tap confirms
    qtbot.waitUntil(
        lambda: any(p.body.get("action") == "sold_out" for p in app.simulator.pushes), timeout=10000
    )
    push = next(p for p in app.simulator.pushes if p.body.get("action") == "sold_out")
    assert push.body["item"] == "宫保鸡丁"
    assert ("宫保鸡丁", None, False) in [(n, None, a) for n, _c, a in arun(app.kitchen.menu())]
    # The platform's answer is shown in the dialog the cook tapped in, once the push has gone.
    answers = app.controller.dialog.result_label
    qtbot.waitUntil(lambda: answers.isVisible() and "sold out sent" in answers.text(), timeout=10000)
    assert "宫保鸡丁" in answers.text()


def test_pause_is_pushed_to_every_platform_and_shown(qtbot: Any, arun: Any, app: PosApp) -> None:
    qtbot.mouseClick(app.window.pause_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(app.controller.dialog.confirm_button, Qt.MouseButton.LeftButton)  # it asks first
    qtbot.waitUntil(lambda: any(p.body.get("action") == "pause" for p in app.simulator.pushes), timeout=10000)
    qtbot.waitUntil(lambda: "paused" in app.window.status_text("store"))


def test_new_order_is_announced_when_speech_is_on(qtbot: Any, arun: Any, app: PosApp) -> None:
    app.alerts.speak = True
    app.alerts.speaker = Speaker("mock")  # Qt's own test engine: no speech daemon on CI
    order_id = add(arun, app)
    number = app.db.call(lambda s: repo.get_order(s, order_id)).display_id
    qtbot.waitUntil(lambda: f"New Demo order {number}" in app.alerts.speaker.said)


def test_created_change_reaches_the_controller(qtbot: Any, arun: Any, app: PosApp) -> None:
    seen: list[Any] = []
    app.bridge.orderChanged.connect(seen.append)
    add(arun, app)
    qtbot.waitUntil(lambda: any(c.kind is ChangeKind.CREATED for c in seen))


def test_new_order_button_opens_the_counter_form_and_the_order_joins_the_queue(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    assert app.window.new_order_button is not None
    qtbot.mouseClick(app.window.new_order_button, Qt.MouseButton.LeftButton)
    dialog = app.manual_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.menu_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.platform == "manual" for o in app.window.model.orders()), timeout=10000)
    manual = next(o for o in app.window.model.orders() if o.platform == "manual")
    assert manual.display_id == "M-001"
    assert manual.status is OrderStatus.ACCEPTED  # typed at the counter: straight to the kitchen


def test_settings_open_the_printers_dialog(qtbot: Any, arun: Any, app: PosApp) -> None:
    from posapp.ui.dialogs import SettingsDialog
    from posapp.ui.printers import PrintersDialog

    qtbot.mouseClick(app.window.settings_button, Qt.MouseButton.LeftButton)
    dialog = app.controller.dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "printers"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: isinstance(app.printers_dialog, PrintersDialog) and app.printers_dialog.isVisible()
    )


def test_demo_accept_prints_a_kitchen_ticket_to_the_demo_printer_file(
    qtbot: Any, arun: Any, app: PosApp, data_dir: Path
) -> None:
    from tests.escpos_decoder import decode

    order_id = add(arun, app, items=(LineItem("宫保鸡丁", 2, 3200),))
    tap(qtbot, app, order_id, Action.ACCEPT)
    ticket = data_dir / "printed" / "kitchen.bin"
    qtbot.waitUntil(lambda: ticket.exists() and ticket.stat().st_size > 0, timeout=10000)
    decoded = decode(ticket.read_bytes())
    assert "宫保鸡丁" in decoded.plain
    assert decoded.cuts


def test_manager_button_unlocks_with_the_demo_pin_and_prints_the_z_report(
    qtbot: Any, arun: Any, app: PosApp, data_dir: Path
) -> None:
    from tests.escpos_decoder import decode

    order_id = add(arun, app)
    for step in (app.orders.accept, app.orders.start, app.orders.ready, app.orders.complete):
        arun(step(order_id))
    assert app.window.manager_button is not None and app.manager is not None
    qtbot.mouseClick(app.window.manager_button, Qt.MouseButton.LeftButton)
    section = app.manager
    qtbot.waitUntil(section.isVisible)
    for digit in "1234":
        qtbot.mouseClick(section.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.is_locked, timeout=10000)
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    receipt = data_dir / "printed" / "counter.bin"
    qtbot.waitUntil(lambda: receipt.exists() and receipt.stat().st_size > 0, timeout=10000)
    decoded = decode(receipt.read_bytes())
    assert "Z-REPORT" in decoded.plain
    assert decoded.cuts


def test_refund_from_the_detail_view_needs_a_refund_pin_and_is_audited(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    from posapp.store import audit as audit_repo
    from posapp.ui.refund import RefundDialog

    order_id = add(arun, app)
    arun(app.orders.accept(order_id))
    arun(app.controller.open_detail(order_id))
    detail = app.controller.dialog
    qtbot.mouseClick(detail.findChild(QPushButton, "refund"), Qt.MouseButton.LeftButton)
    dialog = app.controller.dialog
    assert isinstance(dialog, RefundDialog)
    dialog.amount.setValue(5.00)
    dialog.reason.setText("cold noodles")
    for digit in "9999":  # nobody's PIN
        qtbot.mouseClick(dialog.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pinpad.message.text() == "Wrong PIN.", timeout=10000)
    assert dialog.isVisible()
    for digit in "1234":  # the demo manager
        qtbot.mouseClick(dialog.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Refund of ¥5.00 recorded on Demo #" in detail.result_label.text(), timeout=10000
    )  # where it was asked, naming the platform with the number
    refunds = app.db.call(lambda s: audit_repo.entries(s, action="refund"))
    assert len(refunds) == 1 and refunds[0].order_id == order_id and refunds[0].by == "manager:manager"


def test_sold_out_toggle_is_audited_with_who_and_which_dish(qtbot: Any, arun: Any, app: PosApp) -> None:
    from posapp.store import audit as audit_repo

    add(arun, app, items=(LineItem("宫保鸡丁", 1, 3200, sku="KP1"),))
    arun(app.kitchen.set_available("宫保鸡丁", False, by="kitchen"))
    entries = app.db.call(lambda s: audit_repo.entries(s, action="sold_out"))
    assert [(e.by, e.detail) for e in entries] == [("kitchen", "宫保鸡丁")]


def test_an_order_with_huge_fields_keeps_the_window_on_the_screen(qtbot: Any, arun: Any, app: PosApp) -> None:
    assert app.window is not None
    huge = dataclasses.replace(
        make_order(notes="n" * 100_000),
        display_id="9" * 10_000,
        items=(LineItem("饭" * 100_000, 1, 100, note="x" * 10_000, modifiers=(Modifier("m" * 10_000),)),),
        customer=Customer(name="王" * 10_000, address="a" * 10_000),
    )
    assert len(huge.display_id) == bounds.DISPLAY_ID_MAX  # bounded at intake, clipped with an ellipsis
    order_id = arun(app.intake.ingest(huge)).order_id
    qtbot.waitUntil(lambda: app.window is not None and app.window.model.row_of(order_id) >= 0)
    tap(qtbot, app, order_id, Action.ACCEPT)
    qtbot.waitUntil(lambda: Action.START in shown_actions(app, order_id))
    tap(qtbot, app, order_id, Action.START)  # a bump: the undo bar shows the number too
    qtbot.waitUntil(lambda: app.window is not None and app.window.undo_bar.isVisible())
    app.window.view.viewport().repaint()
    assert app.window.minimumSizeHint().width() <= 1280
    assert app.window.width() <= 1280
    card = app.window.card_rect(order_id)
    assert card.width() <= app.window.view.viewport().width()
    assert card.height() < 1000  # each line is elided, not wrapped over the screen
