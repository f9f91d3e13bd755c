"""Settings behind the manager PIN: platforms, printers, staff, store, reports and backups — every change
validated with a sentence, audited and applied on the running app (the engine rebuilds what changed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from posapp.domain.roles import Permission, User
from posapp.errors import LockedOut, PosappError
from posapp.services.auth import AuthService
from posapp.services.catalogue import CatalogueService
from posapp.services.setup import SetupService
from posapp.ui.i18n import t
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.sentences import say
from posapp.ui.setup.base import TOUCH, Page, button, scrolled, to_front
from posapp.ui.setup.menu_page import MenuPage
from posapp.ui.setup.options_page import OptionsPage
from posapp.ui.setup.pages import PlatformsPage, StaffPage, StorePage
from posapp.ui.setup.payments_page import PaymentsPage
from posapp.ui.setup.printers_page import PrintersPage
from posapp.ui.setup.style import setup_style
from posapp.ui.theme import DARK, Palette
from posapp.ui.widgets import FlowLayout

log = logging.getLogger(__name__)


class SettingsWindow(QWidget):
    """A PIN pad, then one tab per part of the shop; ``changed`` after a save so the window can refresh."""

    changed = Signal()
    closed = Signal()
    wizardRequested = Signal()

    def __init__(
        self,
        service: SetupService,
        auth: AuthService,
        *,
        backup_now: Callable[[], Awaitable[Any]] | None = None,
        catalogue: CatalogueService | None = None,
        palette: Palette = DARK,
        scale: float = 1.0,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsWindow")
        self.setWindowTitle(t("Shop setup"))
        self.setStyleSheet(setup_style(palette, scale))
        self.service, self.auth = service, auth
        self.user: User | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.pin = PinPad(t("Manager PIN"))
        self.pin.submitted.connect(self._sign_in)
        gate = QWidget()
        gate_layout = QHBoxLayout(gate)
        gate_layout.addStretch(1)
        gate_layout.addWidget(self.pin)
        gate_layout.addStretch(1)
        self.stack.addWidget(gate)

        inside = QWidget()
        inner = QVBoxLayout(inside)
        tabs = FlowLayout(spacing=6)  # a second row of tabs on a 1024 px screen rather than cut-off ones
        self.platforms = PlatformsPage(service, settings=True)
        self.printers = PrintersPage(service)
        self.staff = StaffPage(service)
        self.store = StorePage(service, language=language)
        self.options = OptionsPage(service, backup_now)
        self.payments = PaymentsPage(service)
        self.pages: list[tuple[str, Page]] = [
            ("Platforms", self.platforms),
            ("Printers", self.printers),
            ("Payments", self.payments),
            ("Staff", self.staff),
            ("Store", self.store),
            ("Reports and backups", self.options),
        ]
        self.menu: MenuPage | None = None
        if catalogue is not None:  # the menu catalogue (issue 15): after Printers, where stations are named
            self.menu = MenuPage(catalogue)
            self.pages.insert(2, ("Menu", self.menu))
        self.tabs: list[QPushButton] = []
        self.pages_stack = QStackedWidget()
        for i, (label, page) in enumerate(self.pages):
            tab = QPushButton(t(label))
            tab.setObjectName("navTab")
            tab.setCheckable(True)
            tab.setMinimumHeight(TOUCH)
            tab.clicked.connect(lambda _c=False, n=i: self.show_page(n))
            tabs.addWidget(tab)
            self.tabs.append(tab)
            self.pages_stack.addWidget(scrolled(page))
            page.busyChanged.connect(lambda busy: None if busy else self.changed.emit())
        self.wizard_button = button(t("Setup wizard"), "#5D6770")
        self.wizard_button.clicked.connect(self.wizardRequested.emit)
        self.close_button = button(t("Lock and close"), "#5D6770")
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.wizard_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        inner.addLayout(tabs)
        inner.addWidget(self.pages_stack, 1)
        inner.addLayout(bottom)
        self.stack.addWidget(inside)

    def open(self) -> None:
        self.lock()
        self.show()
        to_front(self)

    def lock(self) -> None:
        self.user = None
        self.pin.reset()
        self.stack.setCurrentIndex(0)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        self.lock()
        super().closeEvent(event)
        self.closed.emit()

    def show_page(self, index: int) -> None:
        for i, tab in enumerate(self.tabs):
            tab.setChecked(i == index)
        self.pages_stack.setCurrentIndex(index)
        self.pages[index][1].load()

    def _sign_in(self, pin: str) -> None:
        task = asyncio.get_event_loop().create_task(self._check(pin))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _check(self, pin: str) -> None:
        try:
            self.user = await self.auth.sign_in(pin, need=Permission.SETTINGS)
        except LockedOut as exc:
            self.pin.show_error(say(str(exc)))
            if exc.until is not None:  # counts down in the screen's language
                self.pin.lock_until(exc.until)  # type: ignore[arg-type]
            return
        except PosappError as exc:
            self.pin.show_error(say(str(exc)))
            return
        self.stack.setCurrentIndex(1)
        self.show_page(0)
