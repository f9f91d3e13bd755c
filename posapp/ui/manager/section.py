"""The manager section: locked behind the PIN pad, locks itself again after inactivity."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.cash import Movement
from posapp.domain.money import Money
from posapp.domain.roles import Permission, Role, User
from posapp.errors import CurrencyMismatch, LockedOut, PosappError
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService, check_new_pin
from posapp.services.cash import CashOptions, CashService
from posapp.services.customers import CustomerService, write_segments_csv
from posapp.services.offers import OfferService
from posapp.services.payout_fetch import FETCHABLE, PayoutFetch
from posapp.services.payouts import PayoutResult, PayoutService
from posapp.services.privacy import PrivacyService
from posapp.services.reports import ReportService, export_csv, print_lines
from posapp.ui.fit import fit_to_screen
from posapp.ui.i18n import t
from posapp.ui.manager.cash_page import CashEntryDialog, CashPage, cash_style
from posapp.ui.manager.offers_page import OfferRequests, OffersPage
from posapp.ui.manager.payouts import PayoutsPage, StatementPicker
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.manager.privacy_page import CustomerDataPage, CustomerDataRequests
from posapp.ui.manager.privacy_page import choose_export_file as choose_export_file_dialog
from posapp.ui.manager.segments_page import HistoryDialog
from posapp.ui.manager.view import ManagerView, NoteDialog, PairedScreen
from posapp.ui.sentences import say
from posapp.ui.theme import DARK, Palette, style_sheet

log = logging.getLogger(__name__)

PrintZ = Callable[[list[str]], Any]  # the lead wires this to the printing service
CODE_VALID = timedelta(minutes=10)  # as the engine's screen API (docs/screen-api.md "Pairing and tokens")


@dataclass(frozen=True, slots=True)
class KitchenScreens:
    """The engine's screen API as the manager uses it; the coroutines run on the engine's thread."""

    new_code: Callable[[], Awaitable[str]]
    screens: Callable[[], Awaitable[Sequence[PairedScreen]]]
    revoke: Callable[[int], Awaitable[bool]]
    address: Callable[[], tuple[str, int | None]]  # (the [screens] host, the port it serves on)


def manager_style(p: Palette = DARK, scale: float = 1.0) -> str:
    """The app's style sheet plus the manager's figures, tables and 64 px PIN keys."""
    return (
        style_sheet(p, scale)
        + f"""
    ManagerSection, QStackedWidget, QTabWidget > QWidget, QScrollArea > QWidget > QWidget {{
        background: {p.window}; }}
    QPushButton#pinKey, QPushButton#pinAction {{ min-height: 64px; font-size: {int(30 * scale)}px; }}
    QLabel#pinTitle {{ font-size: {int(28 * scale)}px; font-weight: 700; }}
    QLabel#pinDots {{ font-size: {int(40 * scale)}px; letter-spacing: 6px; padding: 8px; }}
    QLabel#pinMessage {{ font-size: {int(22 * scale)}px; color: #FF6B5E; font-weight: 700; min-height: 64px; }}
    QFrame#figure {{ background: {p.card}; border: 1px solid {p.card_border}; border-radius: 8px; }}
    QLabel#figureValue {{ font-size: {int(28 * scale)}px; font-weight: 700; }}
    QLabel#figureLabel {{ font-size: {int(16 * scale)}px; color: {p.muted}; }}
    QLabel#reportStatus {{ font-size: {int(18 * scale)}px; color: {p.muted}; }}
    QLabel#managerUser {{ font-size: {int(18 * scale)}px; color: {p.muted}; }}
    QTableWidget {{ background: {p.card}; color: {p.text}; gridline-color: {p.card_border};
                    font-size: {int(18 * scale)}px; }}
    QHeaderView::section {{ background: {p.card_border}; color: {p.text}; font-size: {int(17 * scale)}px;
                            font-weight: 700; padding: 4px; border: none; }}
    QTabWidget::pane {{ border: 1px solid {p.card_border}; }}
    QTabBar::tab {{ min-height: 48px; min-width: 100px; font-size: {int(20 * scale)}px; padding: 4px 12px;
                    background: {p.card}; color: {p.muted}; }}
    QTabBar::tab:selected {{ background: {p.button}; color: {p.button_text}; }}
    QDateEdit, QComboBox, QLineEdit {{ min-height: 48px; font-size: {int(20 * scale)}px; padding: 0 8px;
                                       background: {p.card}; color: {p.text}; border: 1px solid {p.card_border}; }}
    QCheckBox {{ font-size: {int(20 * scale)}px; }}
    QCheckBox::indicator {{ width: 32px; height: 32px; border: 2px solid {p.card_border}; border-radius: 4px;
                            background: {p.card}; }}
    QCheckBox::indicator:checked {{ background: {p.button}; }}
    QPushButton#pairButton {{ min-height: 64px; font-size: {int(26 * scale)}px; font-weight: 700; }}
    QLabel#pairCode {{ font-size: {int(96 * scale)}px; font-weight: 800; color: {p.text};
                       letter-spacing: 8px; padding: 0; }}
    QLabel#pairValid {{ font-size: {int(24 * scale)}px; font-weight: 700; color: {p.text}; }}
    QLabel#pairAddress {{ font-size: {int(30 * scale)}px; font-weight: 700; color: {p.text}; }}
    QLabel#pairNote {{ font-size: {int(18 * scale)}px; color: {p.muted}; }}
    QPushButton#revokeButton {{ min-height: 48px; min-width: 180px; font-size: {int(18 * scale)}px;
                                background: #B3261E; color: #FFFFFF; font-weight: 700; }}
    """
    )


class ManagerSection(QWidget):
    """PIN pad first; the reports, audit log, customers and kitchen screens after a manager PIN; locks after
    inactivity."""

    locked = Signal()
    unlocked = Signal(object)  # User

    def __init__(
        self,
        auth: AuthService,
        reports: ReportService,
        audit: AuditService,
        customers: CustomerService | None = None,
        *,
        screens: KitchenScreens | None = None,
        cash: CashService | None = None,
        print_z: PrintZ | None = None,
        choose_folder: Callable[[], Path | None] | None = None,
        lock_after_ms: int = 120_000,
        print_width: int = 48,
        store_name: str = "",
        payouts: PayoutService | None = None,
        statement_folder: Path | None = None,
        payout_fetch: PayoutFetch | None = None,
        offers: OfferService | None = None,
        privacy: PrivacyService | None = None,
        choose_export_file: Callable[[str], Path | None] | None = None,
        clock: Callable[[], datetime] | None = None,
        palette: Palette = DARK,
        scale: float = 1.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.auth = auth
        self.reports = reports
        self.audit = audit
        self.customers = customers
        self.screens = screens
        self.print_z = print_z
        self.choose_folder = choose_folder or self._ask_folder
        self.print_width = print_width
        self.store_name = store_name
        self.user: User | None = None
        self.note_dialog: NoteDialog | None = None
        self._first_run = False
        self._new_pin: str | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setStyleSheet(manager_style(palette, scale) + cash_style(palette.muted, scale))

        self.pinpad = PinPad(clock=clock or reports.clock)  # titled "Manager PIN" by default
        self.pinpad.submitted.connect(self._on_pin)
        pin_page = QWidget()
        pin_layout = QHBoxLayout(pin_page)
        pin_layout.addStretch(1)
        pin_layout.addWidget(self.pinpad)
        pin_layout.addStretch(1)

        self.view = ManagerView(reports.today(), screens=screens is not None)
        self.view.audit_page.tz = reports.options.tz
        self.view.customers_page.tz = reports.options.tz
        self.view.customers_page.segments.tz = reports.options.tz
        self.view.screens_page.tz = reports.options.tz
        self._code_until: datetime | None = None
        self._paired_count = 0
        # While a code is showing, the list is read every 2 s: the new screen appears as soon as it pairs.
        self.screen_poll = QTimer(self)
        self.screen_poll.setInterval(2000)
        self.screen_poll.timeout.connect(self._poll_screens)
        self.who = QLabel()
        self.who.setObjectName("managerUser")
        lock_button = QPushButton(t("Lock"))
        lock_button.clicked.connect(self.lock)
        self.lock_button = lock_button
        top = QHBoxLayout()
        top.addWidget(self.who)
        top.addStretch(1)
        top.addWidget(lock_button)
        view_page = QWidget()
        view_layout = QVBoxLayout(view_page)
        view_layout.addLayout(top)
        view_layout.addWidget(self.view, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(pin_page)
        self.stack.addWidget(view_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.view.report_page.requested.connect(
            lambda first, last: self._spawn(self._load_report(first, last))
        )
        self.view.report_page.exportRequested.connect(lambda: self._spawn(self._export()))
        self.view.report_page.printRequested.connect(lambda: self._spawn(self._print()))
        self.view.audit_page.requested.connect(lambda f: self._spawn(self._load_audit(f)))
        self.view.customers_page.requested.connect(lambda: self._spawn(self._load_customers()))
        self.view.customers_page.noteEditRequested.connect(self.edit_note)
        segments = self.view.customers_page.segments
        segments.requested.connect(lambda platform: self._spawn(self._load_segments(platform)))
        segments.exportRequested.connect(lambda: self._spawn(self._export_segments()))
        segments.historyRequested.connect(lambda key: self._spawn(self._show_history(key)))
        self.history_dialog: HistoryDialog | None = None
        screens_page = self.view.screens_page
        screens_page.codeRequested.connect(lambda: self._spawn(self._new_code()))
        screens_page.requested.connect(lambda: self._spawn(self._load_screens()))
        screens_page.revokeRequested.connect(lambda sid: self._spawn(self._revoke(sid)))
        self.view.currentChanged.connect(self._tab_changed)
        self.cash = cash
        self.cash_page: CashPage | None = None
        self.cash_dialog: CashEntryDialog | None = None
        if cash is not None:
            self._add_cash_tab(cash)

        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(lock_after_ms)
        self.idle.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.payout_fetch = payout_fetch  # statements fetched by API through the engine (Uber Eats)
        self._setup_payouts(payouts, statement_folder)
        self.offer_requests: OfferRequests | None = None  # Customers → Offers: bounce-back offers
        if offers is not None:
            offers_page = OffersPage(reports.options.currency)
            self.view.customers_page.inner.addTab(offers_page, t("Offers"))
            self.offer_requests = OfferRequests(offers_page, offers, lambda: self.user, self._spawn)
        self.data_requests: CustomerDataRequests | None = None
        if privacy is not None:
            page = CustomerDataPage()
            page.tz = reports.options.tz
            self.view.customers_page.inner.addTab(page, t("Customer data"))
            self.data_requests = CustomerDataRequests(
                page,
                privacy,
                lambda: self.user,
                self._spawn,
                choose_file=choose_export_file or (lambda name: choose_export_file_dialog(self, name)),
            )

    def open(self) -> None:
        """Show the section (locked unless still signed in); on first run the pad asks for a new PIN."""
        self.show()
        self.activateWindow()
        if self.user is None:
            self._spawn(self.check_first_run())

    # -- locking -----------------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.user is None

    def set_lock_after(self, ms: int) -> None:
        """A new inactivity time (Shop setup changed it); a running countdown starts again with it."""
        self.idle.setInterval(ms)

    def lock(self) -> None:
        self.idle.stop()
        self.screen_poll.stop()
        self._code_until = None
        self.view.screens_page.clear_code()  # a code is never left on an unattended screen
        if self.data_requests is not None:
            self.data_requests.clear()  # nor a customer's data
        self.user = None
        self.pinpad.reset()
        self.stack.setCurrentIndex(0)
        self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Any touch, click or key while unlocked restarts the inactivity countdown.
        if self.user is not None and event.type() in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.KeyPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.Wheel,
        ):
            self.idle.start()
        return False

    def _on_pin(self, pin: str) -> None:
        if self._first_run:
            self._spawn(self._set_first_pin(pin))
        else:
            self._spawn(self._sign_in(pin))

    async def check_first_run(self) -> None:
        """No staff yet: the pad asks for a new manager PIN, twice, instead of a sign-in."""
        self._first_run = await self.auth.needs_first_manager()
        if self._first_run:
            self.pinpad.title.setText(t("Set a new manager PIN (4–8 digits)"))

    async def _set_first_pin(self, pin: str) -> None:
        if self._new_pin is None:
            try:
                check_new_pin(pin)
            except PosappError as exc:
                self.pinpad.show_error(say(str(exc)))
                return
            self._new_pin = pin
            self.pinpad.title.setText(t("Enter the new PIN again"))
            self.pinpad.reset()
            return
        first, self._new_pin = self._new_pin, None
        if pin != first:
            self.pinpad.title.setText(t("Set a new manager PIN (4–8 digits)"))
            self.pinpad.show_error(t("The two PINs differ. Start again."))
            return
        await self.auth.create_user("manager", Role.MANAGER, pin, by="first-run")
        self._first_run = False
        self.pinpad.title.setText(t("Manager PIN"))
        await self._sign_in(pin)

    async def _sign_in(self, pin: str) -> None:
        try:
            user = await self.auth.sign_in(pin, need=Permission.REPORTS)
        except LockedOut as exc:
            self.pinpad.lock_until(exc.until)  # type: ignore[arg-type]
            return
        except PosappError as exc:
            self.pinpad.show_error(say(str(exc)))
            return
        self.user = user
        self.pinpad.reset()
        self.who.setText(
            t("Signed in: {name} ({role}) · locks after inactivity").format(
                name=user.name, role=t(user.role.value)
            )
        )
        self.stack.setCurrentIndex(1)
        self.idle.start()
        self.unlocked.emit(user)
        page = self.view.report_page
        await self._load_report(page.day.date().toPython(), None)  # type: ignore[arg-type]
        await self._load_actions()
        if self.customers is not None:
            await self._load_customers()
            await self._load_segments(self.view.customers_page.segments.platform)
        if self.screens is not None:
            await self._load_screens()
        await self._load_cash()
        if self.offer_requests is not None:
            await self.offer_requests.load()

    # -- data ---------------------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("manager view task failed", exc_info=task.exception())
            self.view.report_page.show_message(t("Something went wrong; see the log."))

    async def _load_report(self, first: date, last: date | None) -> None:
        if self.user is None:
            return
        page = self.view.report_page
        page.show_message(t("Adding up…"))

        def progress(done: int, total: int) -> None:  # days without a summary yet are summed up first
            page.show_message(t("Adding up… {done} of {total} days").format(done=done, total=total))

        try:
            try:
                report = await self.reports.z_report(
                    first, last, currency=page.chosen_currency, progress=progress
                )
            except CurrencyMismatch as exc:
                page.offer_currencies(exc.currencies)  # one report per currency: the manager picks
                report = await self.reports.z_report(first, last, currency=page.chosen_currency)
        except PosappError as exc:
            page.show_message(say(str(exc)))
            return
        page.show_report(report)

    async def _export(self) -> None:
        report = self.view.report_page.report
        if self.user is None or report is None:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        try:
            paths = await asyncio.to_thread(export_csv, report, folder)
        except OSError as exc:
            self.view.report_page.show_message(
                t("Cannot write the CSV files: {error}").format(error=exc.strerror)
            )
            return
        self.view.report_page.show_message(
            t("Saved {n} CSV files in {folder}").format(n=len(paths), folder=folder)
        )

    async def _print(self) -> None:
        report = self.view.report_page.report
        if self.user is None or report is None:
            return
        if self.print_z is None:
            self.view.report_page.show_message(t("No receipt printer is set up."))
            return
        lines = print_lines(
            report, width=self.print_width, store_name=self.store_name, printed_at=self.reports.clock()
        )
        result = self.print_z(lines)
        if asyncio.iscoroutine(result):
            await result
        await self.audit.record(
            "print_z_report", at=self.reports.clock(), by=self.user.actor, detail=report.period.label()
        )
        self.view.report_page.show_message(t("Z-report sent to the printer."))

    async def _load_audit(self, filters: dict[str, Any]) -> None:
        if self.user is None:
            return
        # Dates are business days, as on the Z-report: the night after midnight belongs to the day before.
        period = self.reports.period(filters["first"], max(filters["first"], filters["last"]))
        since, until = period.start, period.end
        entries = await self.audit.entries(
            since=since, until=until, by=filters["by"], action=filters["action"]
        )
        self.view.audit_page.show_entries(entries)

    async def _load_actions(self) -> None:
        self.view.audit_page.set_actions(await self.audit.actions())
        self.view.audit_page.request()

    async def _load_customers(self) -> None:
        if self.user is None or self.customers is None:
            return
        self.view.customers_page.show_customers(await self.customers.repeat_customers())

    async def _load_segments(self, platform: str | None) -> None:
        if self.user is None or self.customers is None:
            return
        self.view.customers_page.segments.show_report(await self.customers.segments(platform=platform))

    async def _export_segments(self) -> None:
        page = self.view.customers_page.segments
        if self.user is None or page.report is None:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        path = folder / f"customer-segments-{page.report.now:%Y-%m-%d}.csv"
        try:
            await asyncio.to_thread(write_segments_csv, page.report, path)
        except OSError as exc:
            page.show_message(t("Cannot write the CSV files: {error}").format(error=exc.strerror))
            return
        page.show_message(t("Saved {file}").format(file=path))

    async def _show_history(self, key: str) -> None:
        page = self.view.customers_page.segments
        customer = next((c for c in page.customers if c.key == key), None)
        if self.user is None or self.customers is None or customer is None:
            return
        orders = await self.customers.history(key)
        self.history_dialog = HistoryDialog(customer, orders, page.tz, self)
        self.history_dialog.open()

    def edit_note(self, key: str, note: str) -> NoteDialog | None:
        """A tapped note opens for editing; Save stores it (audited) and the list shows it."""
        if self.user is None or self.customers is None:
            return None
        dialog = NoteDialog(note, self)
        dialog.saved.connect(lambda text: self._spawn(self._save_note(key, text)))
        dialog.open()
        self.note_dialog = dialog
        return dialog

    async def _save_note(self, key: str, note: str) -> None:
        if self.user is None or self.customers is None:
            return
        await self.customers.set_note(key, note, by=self.user)
        await self._load_customers()

    # -- payouts -------------------------------------------------------------------------------------------

    def _setup_payouts(self, payouts: PayoutService | None, folder: Path | None) -> None:
        """The Payouts tab (when the app hands a payout service): statements imported and reconciled."""
        self.payouts = payouts
        self.statement_folder = folder or Path.home() / "Downloads"
        self.statement_picker: StatementPicker | None = None
        self.payout_result: PayoutResult | None = None
        self.payouts_page: PayoutsPage | None = None
        if payouts is None:
            return
        page = PayoutsPage(self.reports.today(), fetchable=tuple(FETCHABLE) if self.payout_fetch else ())
        page.importRequested.connect(lambda platform: self._spawn(self._pick_statement(platform)))
        page.fetchRequested.connect(lambda p, first, last: self._spawn(self._fetch_statement(p, first, last)))
        page.requested.connect(lambda first, last: self._spawn(self._load_payouts(first, last)))
        page.exportRequested.connect(lambda: self._spawn(self._export_payouts()))
        self.view.addTab(page, t("Payouts"))
        self.payouts_page = page

    async def _pick_statement(self, platform: str) -> None:
        if self.user is None or self.payouts_page is None:
            return
        folder = self.statement_folder
        files = await asyncio.to_thread(_statements_in, folder)
        picker = StatementPicker(platform, folder, files, self)
        picker.chosen.connect(lambda path: self._spawn(self._import_statement(platform, path)))
        picker.otherFolder.connect(lambda: self._other_folder(platform))
        self.statement_picker = picker
        picker.open()

    def _other_folder(self, platform: str) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("Statements are in…"), str(self.statement_folder))
        if chosen:
            self.statement_folder = Path(chosen)
            self._spawn(self._pick_statement(platform))

    async def _import_statement(self, platform: str, path: Path) -> None:
        page = self.payouts_page
        if self.user is None or self.payouts is None or page is None:
            return
        page.show_message(t("Importing {file}…").format(file=path.name))
        try:
            result = await self.payouts.import_file(
                platform, path, by=self.user.actor, currency=self.reports.options.currency
            )
        except PosappError as exc:  # StatementError: the line and the reason; nothing was stored
            page.show_message(
                t("{file} was not imported, nothing was kept: {reason}").format(
                    file=path.name, reason=say(str(exc))
                )
            )
            return
        self.payout_result = result
        if result.first is not None and result.last is not None:
            page.show_days(result.first, result.last)
        page.show_reconciliation(result.reconciliation, _payout_title(result, path.name))

    async def _fetch_statement(self, platform: str, first: date, last: date) -> None:
        page, fetch = self.payouts_page, self.payout_fetch
        if self.user is None or fetch is None or page is None:
            return
        if last < first:
            first, last = last, first
        page.fetch_button.setEnabled(False)  # one report at a time: a second tap would ask Uber twice
        page.show_message(
            t(
                "Asked Uber Eats for the payment details of {first} to {last}: the report comes in a few minutes…"
            ).format(first=first.isoformat(), last=last.isoformat())
        )
        try:
            result = await fetch.fetch(
                platform, first, last, by=self.user.actor, currency=self.reports.options.currency
            )
        except PosappError as exc:  # the report failed, never came, or was refused: nothing was imported
            page.show_message(t("Nothing was imported from Uber Eats: {reason}").format(reason=say(str(exc))))
            return
        finally:
            page.fetch_button.setEnabled(True)
        self.payout_result = result
        page.show_days(first, last)
        source = result.imported.source if result.imported is not None else None
        page.show_reconciliation(result.reconciliation, _payout_title(result, source))

    async def _load_payouts(self, first: date, last: date) -> None:
        page = self.payouts_page
        if self.user is None or self.payouts is None or page is None:
            return
        if last < first:
            first, last = last, first
        result = await self.payouts.between(first, last)
        self.payout_result = result
        page.show_reconciliation(result.reconciliation, _payout_title(result, None))

    async def _export_payouts(self) -> None:
        page, result = self.payouts_page, self.payout_result
        if self.user is None or self.payouts is None or page is None or result is None:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        try:
            path = await self.payouts.export_csv(result, folder)
        except OSError as exc:
            page.show_message(t("Cannot write the CSV files: {error}").format(error=exc.strerror))
            return
        page.show_message(t("Saved {file}").format(file=path))

    # -- kitchen screens ----------------------------------------------------------------------------------

    def _tab_changed(self, _index: int) -> None:
        if self.view.currentWidget() is self.view.screens_page:
            self._spawn(self._load_screens())

    async def _new_code(self) -> None:
        if self.user is None or self.screens is None:
            return
        page = self.view.screens_page
        await self._load_screens()  # counts the screens paired so far: the next one is the code's
        code = await self.screens.new_code()
        now = self.reports.clock()
        self._code_until = now + CODE_VALID
        page.show_code(code, self._code_until)
        page.show_address(*self.screens.address())
        page.show_message("")
        await self.audit.record("screen_code", at=now, by=self.user.actor)
        self.screen_poll.start()

    async def _load_screens(self) -> None:
        if self.user is None or self.screens is None:
            return
        page = self.view.screens_page
        page.show_address(*self.screens.address())
        screens = list(await self.screens.screens())
        page.show_screens(screens)
        if self._code_until is not None and len(screens) > self._paired_count:
            new = screens[-1]  # the code was used: the screen it paired is the newest
            page.clear_code(
                t("Paired: {name}. Tap the button again for another screen.").format(name=new.name)
            )
            self._code_until = None
            self.screen_poll.stop()
        self._paired_count = len(screens)

    def _poll_screens(self) -> None:
        if self.user is None or self._code_until is None or not self.isVisible():
            self.screen_poll.stop()
            return
        if self.reports.clock() >= self._code_until:
            self.screen_poll.stop()
            self._code_until = None
            self.view.screens_page.clear_code(t("That code has expired. Tap the button for a new one."))
            return
        self._spawn(self._load_screens())

    async def _revoke(self, screen_id: int) -> None:
        if self.user is None or self.screens is None:
            return
        page = self.view.screens_page
        name = page.names.get(screen_id, f"#{screen_id}")
        if await self.screens.revoke(screen_id):
            await self.audit.record(
                "screen_revoked", at=self.reports.clock(), by=self.user.actor, detail=f"#{screen_id} {name}"
            )
            page.show_message(t("{name} can no longer reach the orders.").format(name=name))
        await self._load_screens()

    # -- cash: the drawer's count, paid in / out, Open drawer -------------------------------------------------

    def _add_cash_tab(self, cash: CashService) -> None:
        page = self.cash_page = CashPage()
        page.set_denominations(cash.options.currency, cash.denominations())
        page.requested.connect(lambda: self._spawn(self._load_cash()))
        page.countSaved.connect(lambda pieces: self._spawn(self._save_count(pieces)))
        page.entryRequested.connect(self.open_cash_entry)
        page.drawerRequested.connect(lambda: self.open_cash_entry("open_drawer"))
        self.view.addTab(page, t("Cash"))

    def configure_cash(self, options: CashOptions) -> None:
        """Shop setup changed the currency, float or denominations: the next count uses them."""
        if self.cash is None:
            return
        self.cash.configure(options)
        if self.cash_page is not None:
            self.cash_page.set_denominations(options.currency, self.cash.denominations())

    async def _load_cash(self) -> None:
        if self.user is None or self.cash is None or self.cash_page is None:
            return
        self.cash_page.show_cash(await self.cash.summary())

    async def _save_count(self, pieces: dict[int, int]) -> None:
        if self.user is None or self.cash is None or self.cash_page is None:
            return
        try:
            cash = await self.cash.count(pieces, self.user)
        except PosappError as exc:
            self.cash_page.show_message(say(str(exc)), ok=False)
            return
        self.cash_page.show_cash(cash)
        self.cash_page.show_message(t("Count saved for the Z-report."))

    def open_cash_entry(self, kind: str) -> CashEntryDialog | None:
        """Paid in / paid out / opening float / Open drawer: a dialog with the reason and a PIN pad."""
        if self.user is None or self.cash is None:
            return None
        dialog = CashEntryDialog(kind, self.cash.options.currency, self)
        dialog.submitted.connect(
            lambda pin, amount, reason: self._spawn(self._cash_entry(dialog, kind, pin, amount, reason))
        )
        self.cash_dialog = dialog
        dialog.open()
        return dialog

    async def _cash_entry(
        self, dialog: CashEntryDialog, kind: str, pin: str, amount: int, reason: str
    ) -> None:
        assert self.cash is not None and self.cash_page is not None
        try:
            if kind == "open_drawer":
                await self.cash.open_drawer(pin, reason)
                done = t("The drawer is opening.")
            else:
                entry = await self.cash.record(Movement(kind), amount, reason, pin)
                done = t("{what} of {amount} recorded.").format(
                    what=dialog.windowTitle(), amount=Money(entry.amount, entry.currency).format()
                )
        except LockedOut as exc:
            dialog.pinpad.lock_until(exc.until)  # type: ignore[arg-type]
            return
        except PosappError as exc:
            dialog.refused(say(str(exc)))
            return
        dialog.accept()
        self.cash_page.show_message(done)
        await self._load_cash()

    def _ask_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, t("Export the Z-report as CSV into…"))
        return Path(folder) if folder else None

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_to_screen(self)

    def closeEvent(self, event: Any) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.screen_poll.stop()
        super().closeEvent(event)


def _statements_in(folder: Path) -> list[tuple[Path, datetime]]:
    """The .csv and .xlsx files of ``folder``, newest first (blocking: run it in a thread)."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()]
        dated = [(p, datetime.fromtimestamp(p.stat().st_mtime)) for p in found]
    except OSError:
        return []
    return sorted(dated, key=lambda pair: pair[1], reverse=True)[:200]


def _payout_title(result: PayoutResult, source: str | None) -> str:
    days = ""
    if result.first is not None and result.last is not None:
        days = f"{result.first}" if result.first == result.last else f"{result.first} – {result.last}"
    if source is not None:
        return t("{file} imported: matched to our orders of {days}").format(file=source, days=days or "–")
    return t("Every imported statement line of {days}").format(days=days)
