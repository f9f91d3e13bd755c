"""The Customers tab's "Customer data": find a customer by phone or name, see their orders, Export everything we
hold about them to a file, or Erase it (reason, a tick to confirm, manager PIN). Display and wiring only: the
rules are services/privacy.py's."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import Money
from posapp.domain.roles import User
from posapp.errors import LockedOut, PosappError
from posapp.services.privacy import CustomerMatch, Erasure, PersonalOrder, PrivacyService
from posapp.ui.i18n import t
from posapp.ui.manager.audit_text import status_word
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.sentences import say
from posapp.ui.theme import platform_label
from posapp.ui.widgets import TouchDialog, big_button, kinetic

ROW = 52  # px: a row a finger hits
STOP = "#C0392B"


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(ROW)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(ROW)  # the page fits the screen: the tables give way (and scroll), not the window
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    kinetic(table)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class CustomerDataPage(QWidget):
    """Search, the customers found, the chosen one's orders, Export and Erase; emits what was asked."""

    searched = Signal(str)
    chosen = Signal(str)  # customer key
    exportRequested = Signal(str)
    eraseRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz: Any = None
        self.matches: list[CustomerMatch] = []
        self.current: CustomerMatch | None = None
        intro = QLabel(
            t("A customer's data on request: find them by phone or name, export what we hold, or erase it.")
            + "\n"
            + t("* A masked number may be someone else's on another platform: check the name and the orders.")
        )
        intro.setWordWrap(True)
        self.query = QLineEdit()
        self.query.setObjectName("customerQuery")
        self.query.setMinimumHeight(56)
        self.query.setPlaceholderText(t("Phone number or name"))
        self.query.returnPressed.connect(self._search)
        search = big_button(t("Find"), min_height=56)
        search.setObjectName("customerFind")
        search.clicked.connect(self._search)
        self.search_button = search
        bar = QHBoxLayout()
        bar.addWidget(self.query, 1)
        bar.addWidget(search)

        self.found = _table([t("Name"), t("Phone"), t("Platforms"), t("Orders"), t("Last order")])
        self.found.cellClicked.connect(self._tapped)
        self.history = _table([t("Placed"), t("Platform"), t("Order"), t("Status"), t("Total"), t("Address")])
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column in (0, 2, 4):  # the time, the number and the money are read whole
            self.history.horizontalHeader().setSectionResizeMode(column, fit)
        self.who = QLabel(t("Tap a customer to see their orders."))
        self.who.setObjectName("customerWho")
        self.who.setWordWrap(True)
        self.export_button = big_button(t("Export…"), min_height=56)
        self.export_button.setObjectName("customerExport")
        self.export_button.clicked.connect(lambda: self._ask(self.exportRequested))
        self.erase_button = big_button(t("Erase…"), STOP, min_height=56)
        self.erase_button.setObjectName("customerErase")
        self.erase_button.clicked.connect(lambda: self._ask(self.eraseRequested))
        self.status = QLabel("")
        self.status.setObjectName("customerDataStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.who, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.erase_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.found, 1)
        layout.addLayout(actions)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.status)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.export_button.setEnabled(on)
        self.erase_button.setEnabled(on)

    def _search(self) -> None:
        self.searched.emit(self.query.text().strip())

    def _tapped(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.matches):
            self.current = self.matches[row]
            self.chosen.emit(self.current.key)

    def _ask(self, signal: Any) -> None:
        if self.current is not None:
            signal.emit(self.current.key)

    def _when(self, match_at: Any) -> str:
        local = match_at.astimezone(self.tz) if self.tz is not None else match_at
        return f"{local:%Y-%m-%d %H:%M}"

    # -- what the section tells it -------------------------------------------------------------------

    def show_matches(self, matches: Sequence[CustomerMatch]) -> None:
        self.matches = list(matches)
        self.current = None
        self._enable(False)
        self.history.setRowCount(0)
        self.who.setText(t("Tap a customer to see their orders."))
        rows = []
        for m in self.matches:
            phone = (m.phone or "") + (" *" if m.masked else "")
            platforms = ", ".join(platform_label(p) for p in m.platforms)
            rows.append([m.name or "", phone, platforms, str(m.orders), self._when(m.last_order_at)[:10]])
        _fill(self.found, rows)
        self.status.setText(
            t("{n} customers found").format(n=len(self.matches)) if self.matches else t("Nobody found.")
        )

    def show_history(self, key: str, orders: Sequence[PersonalOrder]) -> None:
        match = next((m for m in self.matches if m.key == key), None)
        if match is None:
            return
        self.current = match
        row = self.matches.index(match)
        self.found.selectRow(row)
        self._enable(True)
        self.who.setText(
            t("{name} · {phone} · {n} orders").format(
                name=match.name or "–", phone=match.phone or "–", n=match.orders
            )
        )
        _fill(
            self.history,
            [
                [
                    self._when(o.placed_at),
                    platform_label(o.platform),
                    f"#{o.display_id}",
                    status_word(o.status),
                    Money(o.total, o.currency).format(),
                    o.address or "",
                ]
                for o in orders
            ],
        )

    def show_message(self, text: str) -> None:
        self.status.setText(text)


class EraseDialog(TouchDialog):
    """What will be erased, the reason, a tick that says it cannot be undone, and the manager PIN. Emits
    ``submitted(pin, reason)``; shows the answer it is given."""

    submitted = Signal(str, str)

    def __init__(self, match: CustomerMatch, parent: QWidget | None = None) -> None:
        super().__init__(t("Erase a customer's data"), parent)
        what = QLabel(
            t("{name} · {phone} · {n} orders").format(
                name=match.name or "–", phone=match.phone or "–", n=match.orders
            )
            + "\n\n"
            + t(
                "Name, phone, address and notes are blanked on every order, in the platforms' raw messages, "
                "in upload rows not sent yet, in quarantined messages and in customer notes. The money "
                "figures stay. The audit log keeps who did it and why."
            )
        )
        what.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("eraseReason")
        self.reason.setMinimumHeight(56)
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText(t("Reason (for the audit log)"))
        self.confirm = QCheckBox(t("Erase for good: this cannot be undone"))
        self.confirm.setObjectName("eraseConfirm")
        self.confirm.setMinimumHeight(56)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(what)
        left.addWidget(QLabel(t("Reason")))
        left.addWidget(self.reason)
        left.addWidget(self.confirm)
        left.addWidget(self.result_label)
        left.addStretch(1)
        self.pinpad = PinPad(t("Manager PIN"), self)
        self.pinpad.submitted.connect(self._submit)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addWidget(self.pinpad)
        self.content.addLayout(row)
        self.resize(1000, 640)

    def _submit(self, pin: str) -> None:
        if not self.reason.text().strip():
            self.refused(t("Say why the data is erased."))
        elif not self.confirm.isChecked():
            self.refused(t("Tick the box to confirm."))
        else:
            self.submitted.emit(pin, self.reason.text().strip())

    def refused(self, text: str) -> None:
        self.pinpad.reset()
        self.pinpad.show_error(text)


def choose_export_file(parent: QWidget, suggested: str) -> Path | None:
    """The file the manager picks for an export (a save dialog)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, t("Export the customer's data to…"), suggested, t("JSON files (*.json)")
    )
    return Path(name) if name else None


class CustomerDataRequests:
    """Wires the page to the privacy service for the signed-in manager: find, history, export, erase."""

    def __init__(
        self,
        page: CustomerDataPage,
        privacy: PrivacyService,
        user: Callable[[], User | None],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
        *,
        choose_file: Callable[[str], Path | None],
    ) -> None:
        self.page = page
        self.privacy = privacy
        self.user = user
        self.spawn = spawn
        self.choose_file = choose_file
        self.erase_dialog: EraseDialog | None = None
        page.searched.connect(lambda q: spawn(self.find(q)))
        page.chosen.connect(lambda key: spawn(self.history(key)))
        page.exportRequested.connect(lambda key: spawn(self.export(key)))
        page.eraseRequested.connect(self.open_erase)

    async def find(self, query: str) -> None:
        user = self.user()
        if user is None:
            return
        try:
            matches = await self.privacy.find(query, by=user)
        except PosappError as exc:
            self.page.show_message(say(str(exc)))
            return
        self.page.show_matches(matches)

    async def history(self, key: str) -> None:
        user = self.user()
        if user is None:
            return
        try:
            orders = await self.privacy.history(key, by=user)
        except PosappError as exc:
            self.page.show_message(say(str(exc)))
            return
        self.page.show_history(key, orders)

    async def export(self, key: str) -> None:
        user, match = self.user(), self.page.current
        if user is None or match is None:
            return
        path = self.choose_file(f"customer-data-{date.today():%Y-%m-%d}.json")  # a file name names no one
        if path is None:
            return
        try:
            await self.privacy.export_to(key, path, by=user)
        except OSError as exc:
            self.page.show_message(t("Cannot write {file}: {error}").format(file=path, error=exc.strerror))
            return
        except PosappError as exc:
            self.page.show_message(say(str(exc)))
            return
        self.page.show_message(t("Saved {file}").format(file=path))

    def open_erase(self, key: str) -> EraseDialog | None:
        match = self.page.current
        if self.user() is None or match is None or match.key != key:
            return None
        dialog = EraseDialog(match, self.page)
        dialog.submitted.connect(lambda pin, reason: self.spawn(self.erase(dialog, key, pin, reason)))
        dialog.open()
        self.erase_dialog = dialog
        return dialog

    async def erase(self, dialog: EraseDialog, key: str, pin: str, reason: str) -> None:
        try:
            done: Erasure = await self.privacy.erase(key, reason=reason, pin=pin)
        except LockedOut as exc:
            dialog.pinpad.lock_until(exc.until)  # type: ignore[arg-type]
            return
        except PosappError as exc:
            dialog.refused(say(str(exc)))
            return
        dialog.accept()
        self.page.show_matches([m for m in self.page.matches if m.key != key])
        self.page.show_message(
            t(
                "Erased: {orders} orders, {uploads} upload rows, {quarantine} quarantined messages, {notes} notes."
            ).format(orders=done.orders, uploads=done.uploads, quarantine=done.quarantine, notes=done.notes)
        )

    def clear(self) -> None:
        """The section locked: nothing of the customer stays on screen."""
        if self.erase_dialog is not None:
            self.erase_dialog.reject()
            self.erase_dialog = None
        self.page.query.clear()
        self.page.show_matches([])
        self.page.show_message("")
