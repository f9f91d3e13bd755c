"""The manager's screens: Z-report with the hourly chart, audit log, repeat customers, kitchen screens.
Display only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.audit import AuditEntry
from posapp.domain.money import Money
from posapp.services.customers import CustomerLine
from posapp.services.reports import ZReport, minutes
from posapp.ui.i18n import t
from posapp.ui.manager.audit_text import action_text, detail_text, order_text, who_text
from posapp.ui.manager.payouts import outcome_word
from posapp.ui.manager.segments_page import SegmentsPage
from posapp.ui.theme import GO, platform_label
from posapp.ui.widgets import FlowLayout, TouchDialog, big_button, kinetic, touch_date


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(40)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[Any]], *, fit: bool = True) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c > 0 and isinstance(value, int | str) and str(value)[:1] in "-¥$€£0123456789":
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    if fit:
        header = table.horizontalHeader().height()
        table.setFixedHeight(header + 40 * max(len(rows), 1) + 4)


class Figure(QFrame):
    """One big number with its label: what a manager reads from a metre away."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.setObjectName("figure")
        self.value = QLabel("–")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(label)
        self.caption.setObjectName("figureLabel")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class ReportPage(QWidget):
    """Business-day picker, headline figures, hourly chart and the tables of the Z-report."""

    requested = Signal(object, object)  # first: date, last: date | None
    exportRequested = Signal()
    printRequested = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from posapp.ui.manager.chart import HourlyChart

        self.report: ZReport | None = None
        self.day = QDateEdit(_qdate(today))
        touch_date(self.day)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.range = QCheckBox(t("to"))
        self.to = QDateEdit(_qdate(today))
        touch_date(self.to)
        self.to.setDisplayFormat("yyyy-MM-dd")
        self.to.setEnabled(False)
        self.range.toggled.connect(self.to.setEnabled)
        self.currency = QComboBox()  # only shown when a period mixes currencies
        self.currency.hide()
        self.currency.currentIndexChanged.connect(lambda _i: self._request())
        self.show_button = QPushButton(t("Show"))
        self.export_button = QPushButton(t("Export CSV"))
        self.print_button = QPushButton(t("Print Z-report"))
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.currency_note = QLabel()
        self.currency_note.setObjectName("reportStatus")
        self.currency_note.setWordWrap(True)
        self.currency_note.hide()
        self.show_button.clicked.connect(self._new_period)
        self.day.dateChanged.connect(lambda _d: self._new_period())
        self.export_button.clicked.connect(self.exportRequested)
        self.print_button.clicked.connect(self.printRequested)

        bar = FlowLayout(spacing=8)  # one row on a wide screen, two on a 1024 px one
        for field in (QLabel(t("Business day")), self.day, self.range, self.to, self.currency):
            bar.addWidget(field)
        for button in (self.show_button, self.export_button, self.print_button):
            bar.addWidget(button)

        self.figures: dict[str, Figure] = {}
        grid = QGridLayout()
        names = [
            ("orders", t("Orders")),
            ("gross", t("Gross sales")),
            ("average", t("Average order")),
            ("payout", t("Expected payout")),
            ("commission", t("Commission")),
            ("discount", t("Discounts")),
            ("fees", t("Fees · tips · tax")),
            ("lost", t("Cancelled / rejected")),
            ("prep", t("Prep median / p90")),
            ("late", t("Late orders")),
            ("refunds", t("Refunds")),
            ("compare", t("vs same day last week")),
        ]
        for i, (key, label) in enumerate(names):
            self.figures[key] = Figure(label)
            grid.addWidget(self.figures[key], i // 4, i % 4)

        self.chart = HourlyChart()
        from posapp.ui.manager.cash_page import CashReportBox

        self.cash_box = CashReportBox()  # the day's cash-up: expected, counted, variance, who counted
        self.platforms = _table(
            [t("Platform"), t("Orders"), t("Gross"), t("Commission"), t("Payout"), t("Lost"), t("Late")]
        )
        self.payments = _table([t("Payment"), t("Orders"), t("Amount")])
        self.cancellations = _table([t("Platform"), t("Status"), t("Reason"), t("Orders"), t("Value")])
        self.prep = _table([t("Prep"), t("Orders"), t("Median"), t("p90")])
        self.items = _table([t("Top items"), t("Qty"), t("Sales")])
        # The platforms' money: their refunds and the imported statements' outcomes (hidden when neither).
        self.payouts = _table([t("Platform money"), t("Count"), t("Expected"), t("Paid"), t("Difference")])
        self.payouts.hide()
        # Offer codes issued and redeemed in the period (hidden when there were none).
        self.offers = _table([t("Offer"), t("Issued"), t("Redeemed"), t("Redemption rate"), t("Discount")])
        self.offers.hide()

        body = QWidget()
        content = QVBoxLayout(body)
        content.addLayout(grid)
        content.addWidget(self.cash_box)
        content.addWidget(self.chart)
        content.addWidget(self.platforms)
        pair = QHBoxLayout()
        pair.addWidget(self.payments)
        pair.addWidget(self.prep)
        content.addLayout(pair)
        pair2 = QHBoxLayout()
        pair2.addWidget(self.cancellations, 3)
        pair2.addWidget(self.items, 2)
        content.addLayout(pair2)
        content.addWidget(self.payouts)
        content.addWidget(self.offers)
        content.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(scroll)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.currency_note)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

    def _new_period(self) -> None:
        self.currency.hide()  # a new period starts without a currency; a mixed one offers the choice again
        self.currency_note.hide()
        self._request()

    def _request(self) -> None:
        first = _pydate(self.day.date())
        last = _pydate(self.to.date()) if self.range.isChecked() else None
        self.requested.emit(first, last)

    @property
    def chosen_currency(self) -> str | None:
        return self.currency.currentData() if not self.currency.isHidden() else None

    def offer_currencies(self, codes: Sequence[str]) -> None:
        """The period mixes currencies: let the manager pick one (the report is made per currency)."""
        self.currency.blockSignals(True)
        self.currency.clear()
        for code in codes:
            self.currency.addItem(code, code)
        self.currency.blockSignals(False)
        mixed = len(codes) > 1
        self.currency.setVisible(mixed)
        self.currency_note.setVisible(mixed)
        self.currency_note.setText(
            t(
                "This period has sales in {currencies}. Amounts in different currencies are never added "
                "together: pick the currency to report on in the list beside the dates."
            ).format(currencies=", ".join(codes))
        )

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def show_report(self, r: ZReport) -> None:
        self.report = r

        def m(amount: int) -> str:
            return Money(amount, r.currency).format()

        f = self.figures
        f["orders"].value.setText(str(r.orders))
        f["gross"].value.setText(m(r.gross))
        f["average"].value.setText(m(r.average_order))
        f["payout"].value.setText(m(r.payout))
        f["commission"].value.setText(m(r.commission))
        f["discount"].value.setText(m(r.discount))
        f["fees"].value.setText(m(r.fees + r.tip + r.tax))
        f["lost"].value.setText(f"{r.cancelled} / {r.rejected}  {m(r.lost_value)}")
        f["prep"].value.setText(f"{minutes(r.prep.median_s)} / {minutes(r.prep.p90_s)}")
        f["late"].value.setText(str(r.late))
        f["late"].caption.setText(
            t("Late (ready after due or >{minutes} min)").format(minutes=r.late_threshold_minutes)
        )
        f["refunds"].value.setText(f"{len(r.refunds)}  {m(r.refund_total)}")
        c = r.comparison
        if c is None:
            f["compare"].value.setText("–")
            f["compare"].caption.setText(t("vs same day last week"))
        else:
            pct = c.gross_change_pct
            f["compare"].value.setText(t("new", "compared with nothing") if pct is None else f"{pct:+.1f}%")
            f["compare"].caption.setText(
                t("sales vs {day} ({before} → {now} orders)").format(
                    day=c.label[5:], before=c.previous_orders, now=c.orders
                )
            )

        self.cash_box.show_cash(r.cash)
        self.chart.set_hours(r.hours, r.currency)
        _fill(
            self.platforms,
            [
                [platform_label(p.platform), p.orders, m(p.gross), m(p.commission), m(p.payout),
                 f"{p.cancelled + p.rejected}  {m(p.lost_value)}", p.late]
                for p in r.platforms
            ],
        )  # fmt: skip
        _fill(self.payments, [[t(p.method), p.orders, m(p.amount)] for p in r.payments])
        _fill(
            self.cancellations,
            [[platform_label(x.platform), t(x.status), t(x.reason), x.orders, m(x.value)] for x in r.lost],
        )
        prep_rows = [[t("All"), r.prep.orders, minutes(r.prep.median_s), minutes(r.prep.p90_s)]] + [
            [platform_label(p.key), p.orders, minutes(p.median_s), minutes(p.p90_s)]
            for p in r.prep_by_platform
        ]
        _fill(self.prep, prep_rows)
        _fill(self.items, [[i.name, i.quantity, m(i.sales)] for i in r.top_items])
        self._show_payouts(r)
        self._show_offers(r)
        self.status.setText(
            t("{period} · business day from {cutoff} · {currency}").format(
                period=r.period.label(), cutoff=f"{r.period.cutoff:%H:%M}", currency=r.currency
            )
        )

    def _show_offers(self, r: ZReport) -> None:
        summary = r.offers
        self.offers.setVisible(summary is not None)
        if summary is None:
            return

        def m(amount: int) -> str:
            return Money(-amount, summary.currency).format()

        def pct(rate: float | None) -> str:
            return "–" if rate is None else f"{rate:.1f} %"

        rows: list[list[Any]] = [
            [x.text, x.issued, x.redeemed, pct(x.redemption_rate), m(x.discount)] for x in summary.lines
        ]
        _fill(self.offers, rows)

    def _show_payouts(self, r: ZReport) -> None:
        summary = r.payouts
        self.payouts.setVisible(summary is not None)
        if summary is None:
            return

        def m(amount: int) -> str:
            return Money(amount, summary.currency).format()

        rows: list[list[Any]] = [
            [
                t("Refunded by {platform}").format(platform=platform_label(x.platform)),
                x.count,
                "",
                m(-x.amount),
                "",
            ]
            for x in summary.refunds
        ]
        rows += [
            [outcome_word(x.outcome), x.count, m(x.expected), m(x.paid), m(x.difference)]
            for x in summary.outcomes
        ]
        _fill(self.payouts, rows)


class AuditPage(QWidget):
    """Every status change, reprint, refund and setting change: who and when, filterable."""

    requested = Signal(object)  # dict of filters

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = QLineEdit()
        self.who.setPlaceholderText(t("who"))
        self.action = QComboBox()
        self.action.addItem(t("all actions"), None)
        self.since = QDateEdit(_qdate(today))
        touch_date(self.since)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.until = QDateEdit(_qdate(today))
        touch_date(self.until)
        self.until.setDisplayFormat("yyyy-MM-dd")
        refresh = QPushButton(t("Filter"))
        refresh.clicked.connect(self.request)
        bar = FlowLayout(spacing=8)
        for w in (self.who, self.action, QLabel(t("from")), self.since, QLabel(t("to")), self.until, refresh):
            bar.addWidget(w)
        self.table = _table([t("When"), t("Who"), t("Action"), t("Order"), t("Detail")])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.tz: Any = None

    def set_actions(self, actions: Sequence[str]) -> None:
        current = self.action.currentData()
        self.action.clear()
        self.action.addItem(t("all actions"), None)
        for name in actions:
            self.action.addItem(action_text(name), name)
        index = self.action.findData(current)
        self.action.setCurrentIndex(max(index, 0))

    def request(self) -> None:
        self.requested.emit(
            {
                "by": self.who.text().strip() or None,
                "action": self.action.currentData(),
                "first": _pydate(self.since.date()),
                "last": _pydate(self.until.date()),
            }
        )

    def show_entries(self, entries: Sequence[AuditEntry]) -> None:
        def when(e: AuditEntry) -> str:
            at = e.at.astimezone(self.tz) if self.tz is not None else e.at
            return f"{at:%m-%d %H:%M:%S}"

        _fill(
            self.table,
            [
                [when(e), who_text(e.by), action_text(e.action), order_text(e.order_label), detail_text(e)]
                for e in entries
            ],
            fit=False,
        )


class CustomersPage(QWidget):
    """Segments (ui/manager/segments_page.py), and repeat customers: a tap on a customer's note edits it."""

    requested = Signal()
    noteEditRequested = Signal(str, str)  # customer key, the note as it is
    NOTE = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        refresh = QPushButton(t("Refresh"))
        refresh.clicked.connect(self.requested)
        self.table = _table(
            [t("Name"), t("Phone"), t("Platforms"), t("Orders"), t("Last order"), t("Spent"), t("Note")]
        )
        # Two views in the tab: the segments (rules, figures, history) first, the repeat customers' notes next.
        self.segments = SegmentsPage()
        repeat = QWidget()
        self.inner = QTabWidget()
        self.inner.addTab(self.segments, t("Segments"))
        self.inner.addTab(self.segments.by_platform, t("By platform"))
        self.inner.addTab(repeat, t("Repeat customers"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.inner)
        layout = QVBoxLayout(repeat)
        bar = QHBoxLayout()
        intro = QLabel(
            t("Repeat customers (as the platforms show them; purged after the retention period)")
            + "\n"
            + t("Tap a customer's note to write or change it.")
        )
        intro.setWordWrap(True)  # wraps on a narrow screen rather than squeezing Refresh
        bar.addWidget(intro, 1)
        bar.addStretch(1)
        bar.addWidget(refresh)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.tz: Any = None
        self.customers: list[CustomerLine] = []
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.cellClicked.connect(self._cell_tapped)
        self.table.verticalHeader().setDefaultSectionSize(52)

    def _cell_tapped(self, row: int, column: int) -> None:
        if 0 <= row < len(self.customers):
            c = self.customers[row]
            self.noteEditRequested.emit(c.key, c.note or "")

    def show_customers(self, customers: Sequence[CustomerLine]) -> None:
        self.customers = list(customers)
        rows = []
        for c in customers:
            last = c.last_order_at.astimezone(self.tz) if self.tz is not None else c.last_order_at
            spent = Money(c.spent, c.currency.rstrip("*")).format() + (
                "*" if c.currency.endswith("*") else ""
            )
            rows.append(
                [c.name or "", c.phone or "", ", ".join(platform_label(p) for p in c.platforms), c.orders,
                 f"{last:%Y-%m-%d}", spent, c.note or ""]
            )  # fmt: skip
        _fill(self.table, rows, fit=False)


class NoteDialog(TouchDialog):
    """Write or change one customer's note ("allergic to peanuts", "regular: extra chili")."""

    saved = Signal(str)

    def __init__(self, note: str, parent: QWidget | None = None) -> None:
        super().__init__(t("Customer note"), parent)
        self.field = QLineEdit(note)
        self.field.setMinimumHeight(56)
        self.field.setMaxLength(500)
        self.field.setPlaceholderText(t("A note staff see on this customer's orders"))
        self.content.addWidget(self.field)
        self.content.addStretch(1)
        save = big_button(t("Save"), GO)
        save.setObjectName("saveNote")
        save.clicked.connect(self._save)
        self.buttons.insertWidget(self.buttons.count() - 1, save)
        self.save_button = save
        self.resize(760, 420)

    def _save(self) -> None:
        self.saved.emit(self.field.text().strip())
        self.accept()


class PairedScreen(Protocol):
    """A row of ``posapp.store.screens.all_screens``."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def station(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def revoked_at(self) -> datetime | None: ...


ANY_HOST = ("0.0.0.0", "::", "")


class ScreensPage(QWidget):
    """Pair a kitchen screen (a six-digit code in big type, the address to type) and revoke paired ones."""

    codeRequested = Signal()
    requested = Signal()
    revokeRequested = Signal(int)  # screen id, after a second tap on its Revoke button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz: Any = None
        self.code_value: str | None = None
        self.pair_button = QPushButton(t("Pair a kitchen screen"))
        self.pair_button.setObjectName("pairButton")
        self.pair_button.clicked.connect(self.codeRequested)
        self.code = QLabel("––– –––")
        self.code.setObjectName("pairCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.valid = QLabel(t("Tap “Pair a kitchen screen” for a code, then type it on the new screen."))
        self.valid.setObjectName("pairValid")
        self.valid.setWordWrap(True)
        self.valid.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address = QLabel()
        self.address.setObjectName("pairAddress")
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address_note = QLabel()
        self.address_note.setObjectName("pairNote")
        self.address_note.setWordWrap(True)
        self.address_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        refresh = QPushButton(t("Refresh"))
        refresh.clicked.connect(self.requested)
        self.table = _table([t("Screen"), t("Station"), t("Paired"), t("Status"), ""])
        self.table.verticalHeader().setDefaultSectionSize(56)
        self.revoke_buttons: dict[int, QPushButton] = {}
        self.names: dict[int, str] = {}
        self._armed: int | None = None
        self._disarm = QTimer(self)
        self._disarm.setSingleShot(True)
        self._disarm.setInterval(4000)
        self._disarm.timeout.connect(self._reset_armed)

        card = QFrame()
        card.setObjectName("figure")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.pair_button)
        card_layout.addWidget(self.code)
        card_layout.addWidget(self.valid)
        card_layout.addWidget(self.address)
        card_layout.addWidget(self.address_note)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Paired screens")))
        bar.addWidget(self.status, 1)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(card)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def show_address(self, host: str, port: int | None) -> None:
        if port is None:
            self.address.setText("–")
            self.address_note.setText(t("The screen API is not running, so no screen can pair now."))
            return
        shown = t("this computer's network address") if host in ANY_HOST else host
        self.address.setText(t("Screen address: {address}").format(address=f"{shown}:{port}"))
        if host in ("127.0.0.1", "localhost", "::1"):
            self.address_note.setText(
                t(
                    "127.0.0.1 means only this computer: for a screen on another device, set [screens] host "
                    "in config.toml to this computer's network address."
                )
            )
        elif host in ANY_HOST:
            self.address_note.setText(t("The engine listens on every network of this computer."))
        else:
            self.address_note.setText("")

    def show_code(self, code: str, until: datetime) -> None:
        self.code_value = code
        self.code.setText(f"{code[:3]} {code[3:]}")
        at = until.astimezone(self.tz) if self.tz is not None else until
        self.valid.setText(
            t("Valid for 10 minutes, once (until {time}). Type it on the new screen.").format(
                time=f"{at:%H:%M}"
            )
        )

    def clear_code(self, note: str | None = None) -> None:
        self.code_value = None
        self.code.setText("––– –––")
        self.valid.setText(
            note or t("Tap “Pair a kitchen screen” for a code, then type it on the new screen.")
        )

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def show_screens(self, screens: Sequence[PairedScreen]) -> None:
        def when(at: datetime, form: str = "%Y-%m-%d %H:%M") -> str:
            return (at.astimezone(self.tz) if self.tz is not None else at).strftime(form)

        rows = [
            [
                s.name,
                s.station or t("all stations"),
                when(s.created_at),
                t("paired")
                if s.revoked_at is None
                else t("revoked {when}").format(when=when(s.revoked_at, "%m-%d %H:%M")),
                "",
            ]
            for s in screens
        ]
        _fill(self.table, rows, fit=False)
        self._armed = None
        self.revoke_buttons = {}
        self.names = {s.id: s.name for s in screens}
        for r, s in enumerate(screens):
            self.table.removeCellWidget(r, 4)  # a row revoked since the last reading keeps no button
            if s.revoked_at is not None:
                continue
            button = QPushButton(t("Revoke"))
            button.setObjectName("revokeButton")
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _checked=False, sid=s.id: self._tap_revoke(sid))
            self.revoke_buttons[s.id] = button
            self.table.setCellWidget(r, 4, button)

    def _tap_revoke(self, screen_id: int) -> None:
        """First tap arms the button ("Tap again to revoke"), a second within 4 s revokes."""
        if self._armed == screen_id:
            self._reset_armed()
            self.revokeRequested.emit(screen_id)
            return
        self._reset_armed()
        self._armed = screen_id
        self.revoke_buttons[screen_id].setText(t("Tap again to revoke"))
        self._disarm.start()

    def _reset_armed(self) -> None:
        self._disarm.stop()
        if self._armed is not None and self._armed in self.revoke_buttons:
            self.revoke_buttons[self._armed].setText(t("Revoke"))
        self._armed = None


class ManagerView(QTabWidget):
    def __init__(self, today: date, parent: QWidget | None = None, *, screens: bool = False) -> None:
        super().__init__(parent)
        self.report_page = ReportPage(today)
        self.audit_page = AuditPage(today)
        self.customers_page = CustomersPage()
        self.screens_page = ScreensPage()
        self.addTab(self.report_page, t("Z-report"))
        self.addTab(self.audit_page, t("Audit log"))
        self.addTab(self.customers_page, t("Customers"))
        if screens:
            self.addTab(self.screens_page, t("Kitchen screens"))
