"""The Payouts tab: import a platform's statement, see its lines matched to our orders by outcome. Display only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import Money
from posapp.domain.payouts import Outcome, Reconciliation
from posapp.ui.i18n import t
from posapp.ui.theme import GO, platform_label
from posapp.ui.widgets import FlowLayout, TouchDialog, big_button, kinetic, touch_date

STATEMENT_PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")
# The payment gateways' settlement files (PayoutService.import_file reads them too): matched to our payments.
STATEMENT_GATEWAYS = ("alipay", "wechat", "stripe")


def statement_label(source: str) -> str:
    """Whose statement: a platform by its name, a payment gateway by the name the manager downloads it from."""
    if source == "alipay":
        return t("Alipay")
    if source == "wechat":
        return t("WeChat Pay")
    if source == "stripe":
        return t("Stripe (cards)")
    return platform_label(source)


def outcome_word(outcome: Outcome) -> str:
    return {
        Outcome.PAID: t("Paid as expected"),
        Outcome.SHORT: t("Short-paid"),
        Outcome.MISSING: t("Missing from the statement"),
        Outcome.UNKNOWN: t("Not one of our orders"),
        Outcome.REFUND: t("Refunds"),
        Outcome.ADJUSTMENT: t("Adjustments"),
    }[outcome]


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format()


class OutcomeFigure(QFrame):
    """One outcome's count and money, large: what a manager checks first."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.setObjectName("figure")
        self.value = QLabel("–")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(outcome_word(outcome))
        self.caption.setObjectName("figureLabel")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class PayoutsPage(QWidget):
    """Platform buttons, Import / Export, a range of days, the figures per outcome and every matched line."""

    importRequested = Signal(str)  # the platform whose statement to import
    fetchRequested = Signal(str, object, object)  # platform, first: date, last: date (fetched by API)
    requested = Signal(object, object)  # first: date, last: date
    exportRequested = Signal()

    def __init__(self, today: date, parent: QWidget | None = None, *, fetchable: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.fetchable = tuple(fetchable)  # platforms whose statement the engine can fetch by API
        self.result_currency: str | None = None
        self.platform_group = QButtonGroup(self)
        self.platform_buttons: dict[str, QPushButton] = {}
        bar = FlowLayout(spacing=8)
        # The chosen platform stands out in yellow (the others keep the app's blue).
        self.setStyleSheet(
            "QPushButton#platformChoice:checked { background: #F2C94C; color: #111111; border: 3px solid #FFFFFF; }"
        )
        for name in (*STATEMENT_PLATFORMS, *STATEMENT_GATEWAYS):
            button = QPushButton(statement_label(name))
            button.setObjectName("platformChoice")
            button.setCheckable(True)
            button.setMinimumHeight(56)
            self.platform_group.addButton(button)
            self.platform_buttons[name] = button
            bar.addWidget(button)
        self.platform_buttons[STATEMENT_PLATFORMS[0]].setChecked(True)
        self.import_button = big_button(t("Import statement…"), GO, min_height=56)
        self.import_button.clicked.connect(lambda: self.importRequested.emit(self.platform))
        self.export_button = QPushButton(t("Export CSV"))
        self.export_button.setMinimumHeight(56)
        self.export_button.clicked.connect(self.exportRequested)
        self.export_button.setEnabled(False)
        bar.addWidget(self.import_button)
        # Beside the file import: the platform's own API, for the platforms that have one (Uber Eats).
        self.fetch_button = big_button(t("Fetch from Uber Eats"), GO, min_height=56)
        self.fetch_button.clicked.connect(self._fetch)
        bar.addWidget(self.fetch_button)
        self.platform_group.buttonToggled.connect(lambda *_: self._show_fetch())

        self.first = touch_date(QDateEdit(QDate(today.year, today.month, today.day)))
        self.first.setDisplayFormat("yyyy-MM-dd")
        self.last = touch_date(QDateEdit(QDate(today.year, today.month, today.day)))
        self.last.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(t("Show"))
        self.show_button.setMinimumHeight(56)
        self.show_button.clicked.connect(self._request)
        range_bar = FlowLayout(spacing=8)
        for widget in (QLabel(t("Business days")), self.first, QLabel(t("to")), self.last, self.show_button):
            range_bar.addWidget(widget)
        range_bar.addWidget(self.export_button)

        self.status = QLabel(
            t(
                "Choose a platform or a payment gateway, then import the statement or settlement file you "
                "downloaded from it."
            )
        )
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.figures: dict[Outcome, OutcomeFigure] = {}
        grid = QGridLayout()
        for i, outcome in enumerate(
            (
                Outcome.PAID,
                Outcome.SHORT,
                Outcome.MISSING,
                Outcome.UNKNOWN,
                Outcome.REFUND,
                Outcome.ADJUSTMENT,
            )
        ):
            self.figures[outcome] = OutcomeFigure(outcome)
            grid.addWidget(self.figures[outcome], i // 3, i % 3)

        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            [t("Outcome"), t("Platform"), t("Order"), t("Expected"), t("Paid"), t("Difference"), t("Line")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long order id keeps its both ends
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the order: the widest, most read
        kinetic(self.table)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(range_bar)
        layout.addWidget(self.status)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        self._show_fetch()

    def _show_fetch(self) -> None:
        self.fetch_button.setVisible(self.platform in self.fetchable)

    def _fetch(self) -> None:
        first, last = self.days()
        self.fetchRequested.emit(self.platform, first, last)

    def days(self) -> tuple[date, date]:
        first, last = self.first.date(), self.last.date()
        return date(first.year(), first.month(), first.day()), date(last.year(), last.month(), last.day())

    @property
    def platform(self) -> str:
        for name, button in self.platform_buttons.items():
            if button.isChecked():
                return name
        return STATEMENT_PLATFORMS[0]

    def _request(self) -> None:
        self.requested.emit(*self.days())

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def show_days(self, first: date, last: date) -> None:
        """Set the range to the days a statement covers (without asking for them again)."""
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def show_reconciliation(self, recon: Reconciliation, title: str) -> None:
        """The figures per outcome and a table grouped by outcome, each group closed by its total."""
        self.status.setText(title)
        currencies = sorted({line.currency for line in recon.lines}) or ["CNY"]
        for outcome, figure in self.figures.items():
            parts = []
            for currency in currencies:
                total = recon.total(outcome, currency)
                if total.count == 0:
                    continue
                money = total.difference if outcome in (Outcome.SHORT, Outcome.MISSING) else total.paid
                parts.append(f"{total.count} · {_money(money, currency)}")
            figure.value.setText("  ".join(parts) or "0")
        rows: list[tuple[list[str], bool]] = []
        for total in recon.totals:
            lines = [x for x in recon.of(total.outcome) if x.currency == total.currency]
            for x in lines:
                order = x.display_id and f"#{x.display_id} · {x.external_id}" or x.external_id or x.note
                rows.append(
                    (
                        [
                            outcome_word(x.outcome),
                            statement_label(x.platform),
                            order,
                            _money(x.expected, x.currency),
                            _money(x.paid, x.currency),
                            _money(x.difference, x.currency),
                            " ".join(str(n) for n in x.line_nos),
                        ],
                        False,
                    )
                )
            rows.append(
                (
                    [
                        t("Total"),
                        "",
                        t("1 line") if total.count == 1 else t("{n} lines").format(n=total.count),
                        _money(total.expected, total.currency),
                        _money(total.paid, total.currency),
                        _money(total.difference, total.currency),
                        "",
                    ],
                    True,
                )
            )
        self.table.setRowCount(len(rows))
        for r, (cells, is_total) in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if 3 <= c <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if is_total:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.export_button.setEnabled(bool(recon.lines))


class StatementPicker(TouchDialog):
    """The statements in a folder as big rows, newest first: a tap imports one (no tiny file dialog)."""

    chosen = Signal(object)  # Path
    otherFolder = Signal()

    def __init__(
        self,
        platform: str,
        folder: Path,
        files: Sequence[tuple[Path, datetime]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            t("Import a {platform} statement").format(platform=statement_label(platform)), parent
        )
        where = QLabel(t("Statements in {folder}").format(folder=folder))
        where.setWordWrap(True)
        self.content.addWidget(where)
        self.list = QListWidget()
        self.list.setObjectName("statementList")
        kinetic(self.list)
        for path, modified in files:
            item = QListWidgetItem(f"{path.name}    {modified:%Y-%m-%d %H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setSizeHint(QSize(0, 64))
            self.list.addItem(item)
        self.list.setStyleSheet("QListWidget { font-size: 20px; }")
        self.list.itemClicked.connect(self._pick)
        if not files:
            self.content.addWidget(QLabel(t("No .csv or .xlsx files here.")))
        self.content.addWidget(self.list, 1)
        other = big_button(t("Another folder…"), "#5D6770")
        other.clicked.connect(self._other)
        self.buttons.insertWidget(self.buttons.count() - 1, other)
        self.other_button = other
        self.resize(860, 600)

    def _pick(self, item: QListWidgetItem) -> None:
        self.chosen.emit(Path(str(item.data(Qt.ItemDataRole.UserRole))))
        self.accept()

    def _other(self) -> None:
        self.otherFolder.emit()
        self.reject()
