"""Settings → Printers: each printer with its role, address and live state; Test print shows and sends a page."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosappError
from posapp.services.hub import Notice
from posapp.services.printing import PrintService
from posapp.ui.fit import fit_to_screen
from posapp.ui.i18n import t
from posapp.ui.sentences import say

log = logging.getLogger(__name__)

_STATE_COLOURS = {"offline": "#FF6B6B", "misconfigured": "#FF6B6B", "printing": "#FFD166", "ready": "#2ECC71"}


# The roles posapp knows, as the screens name them (setup/printers_page.ROLE_CHOICES' words; t() below).
ROLES = [("kitchen", "Kitchen"), ("bar", "Bar"), ("counter", "Counter (receipts)")]

_STATE_TEXT = {
    "ready": "{printer} ready",
    "printing": "{printer} printing — {n} waiting",
    "offline": "{printer} offline — {n} tickets waiting",
}


def printer_label(name: str, label: str) -> str:
    """What staff call a printer: the label the shop gave it, or, where it gave none, the one made from its
    name ("Kitchen printer", config.PrinterSettings.display) in the screen's language ("后厨打印机")."""
    made = f"{name.replace('_', ' ').capitalize()} printer"
    if label and label != made:
        return label
    if t(made) != made:
        return t(made)
    return t("{name} printer").format(name=name.replace("_", " ").capitalize())


def printer_status_text(notice: Notice) -> str:
    """A printer notice in the screen's language (the service's English sentence when no translation applies)."""
    key = _STATE_TEXT.get(str(notice.data.get("state")))
    if key is None or t(key) == key:
        return notice.text
    label = printer_label(str(notice.data.get("printer") or ""), str(notice.data.get("label") or ""))
    text = t(key).format(printer=label, n=notice.data.get("waiting", 0))
    if notice.data.get("parked"):
        text += t(" — {n} failed").format(n=notice.data["parked"])
    if notice.data.get("backup_label"):  # failed over: its tickets come out of the backup printer
        text += t(" — printing on {backup}").format(backup=notice.data["backup_label"])
    return text


def pil_to_qimage(image: Any) -> QImage:
    """A PIL image as a QImage that owns its pixels (greyscale is all a thermal preview needs)."""
    grey = image.convert("L")
    data = grey.tobytes()
    return QImage(data, grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()


class PrintersDialog(QDialog):
    """Lists printers with state from hub notices; Test print previews the page and sends it now."""

    testFinished = Signal(str, bool, str)  # printer name, ok, sentence

    COLUMNS = ("Printer", "Role", "Address", "State")  # passed through t() below

    def __init__(self, service: PrintService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Printers"))
        self.setObjectName("printersDialog")
        self.service = service
        self._tasks: set[asyncio.Task[None]] = set()
        self.names: list[str] = [*service.printers, *service.errors]

        self.table = QTableWidget(len(self.names), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        font = self.table.font()
        font.setPointSize(15)
        self.table.setFont(font)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long address keeps both ends
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 180)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the state sentence gets the room
        for row, name in enumerate(self.names):
            printer = service.printers.get(name)
            if printer is not None:
                role = dict(ROLES).get(printer.role)
                cells = (
                    printer_label(name, printer.label),
                    t(role) if role else printer.role,  # a station's own name stays as the shop wrote it
                    printer.settings.uri,
                    t("not tried yet"),
                )
            else:
                cells = (printer_label(name, ""), "", "", say(service.errors[name]))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if printer is not None:
                self.on_notice(service.notice_for(name))
            else:
                self._set_state(row, say(service.errors[name]), "misconfigured")
        if self.names:
            self.table.selectRow(0)

        self.test_button = QPushButton(t("Test print"))
        self.test_button.setMinimumHeight(56)
        self.test_button.clicked.connect(self.test_selected)
        self.test_button.setEnabled(bool(service.printers))
        close = QPushButton(t("Close"))
        close.setMinimumHeight(56)
        close.clicked.connect(self.accept)
        self.close_button = close
        self.result_label = QLabel("")  # not self.result: that would hide QDialog.result()
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("printResult")
        result_font = self.result_label.font()
        result_font.setPointSize(15)
        self.result_label.setFont(result_font)
        self.result_label.setMinimumHeight(72)

        self.preview = QLabel(t("Select a printer and tap Test print to see the page it prints."))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #FFFFFF; color: #555555; padding: 8px;")
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)  # the table keeps ~600 px on a 1024 px screen
        scroll.setMaximumWidth(680)

        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.result_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(scroll, 2)
        self.setStyleSheet(
            "QDialog#printersDialog { font-size: 18px; } QPushButton { font-size: 20px; padding: 0 24px; }"
        )
        self.resize(1400, 760)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_to_screen(self)

    # -- state -----------------------------------------------------------------------------------
    def _row(self, name: str) -> int:
        return self.names.index(name) if name in self.names else -1

    def _set_state(self, row: int, text: str, state: str) -> None:
        item = self.table.item(row, 3)
        if item is None:
            return
        item.setText(text)
        item.setForeground(Qt.GlobalColor.black)
        colour = _STATE_COLOURS.get(state)
        if colour:
            from PySide6.QtGui import QColor

            item.setBackground(QColor(colour))

    def on_notice(self, notice: Notice) -> None:
        """Connect to the bridge's notice signal: printer notices update their row."""
        if not notice.source.startswith("printer:"):
            return
        row = self._row(notice.source.removeprefix("printer:"))
        if row < 0:
            return
        self._set_state(row, printer_status_text(notice), str(notice.data.get("state", "")))
        item = self.table.item(row, 3)
        if item is not None:
            item.setToolTip(str(notice.data.get("error") or ""))
        self.table.resizeRowToContents(row)
        self.table.setRowHeight(row, max(56, self.table.rowHeight(row)))  # a touch target, read from a metre

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        name = self.names[rows[0].row()]
        return name if name in self.service.printers else None

    # -- test print ------------------------------------------------------------------------------
    def test_selected(self) -> None:
        name = self.selected()
        if name is None:
            self.result_label.setText(t("Select a printer first."))
            return
        printer = self.service.printers[name]
        image = self.service.preview_test(name)
        self.preview.setPixmap(QPixmap.fromImage(pil_to_qimage(image)))
        self.result_label.setText(t("Sending a test page to {printer}…").format(printer=printer.label))
        self.test_button.setEnabled(False)
        task = asyncio.get_running_loop().create_task(self._send(name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, name: str) -> None:
        label = printer_label(name, self.service.printers[name].label)
        try:
            await self.service.test_print(name)
        except PosappError as exc:
            self.result_label.setText(say(str(exc)))
            self.testFinished.emit(name, False, str(exc))
        except Exception as exc:  # show a sentence, log the traceback
            log.exception("test print on %s failed", name)
            self.result_label.setText(
                t("{printer}: the test page could not be sent ({error}).").format(
                    printer=label, error=type(exc).__name__
                )
            )
            self.testFinished.emit(name, False, str(exc))
        else:
            self.result_label.setText(t("Test page sent to {printer}.").format(printer=label))
            self.testFinished.emit(name, True, "")
        finally:
            self.test_button.setEnabled(True)
