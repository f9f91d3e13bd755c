"""Setup and Settings → Printers: find a printer (CUPS, USB, an address, a network scan on purpose), set its
role, paper and profile, Test print with its preview, and which menu categories go to which station."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.printing.profiles import PROFILES
from posapp.services.printer_discovery import FoundPrinter
from posapp.services.setup import SetupService, TestPrint
from posapp.ui.i18n import t
from posapp.ui.setup.base import TOUCH, Page, button, choice, combo_value, field, set_combo

ROLE_CHOICES = [("kitchen", "Kitchen"), ("bar", "Bar"), ("counter", "Counter (receipts)")]
ENCODINGS = ["gb18030", "gbk", "big5", "cp437", "cp1252"]
FAILOVER_SECONDS = [30, 60, 120, 300]


class PrintersPage(Page):
    """Step 4: printers and routes. Discovery and Test print run on the engine, never on the GUI thread."""

    def __init__(self, service: SetupService, parent: QWidget | None = None) -> None:
        super().__init__(
            t("Printers"),
            t("Find the kitchen and counter printers, print a test page, and say which dishes go where."),
            parent,
        )
        self.service = service
        columns = QHBoxLayout()
        left = QVBoxLayout()
        self.find_button = button(t("Find printers"))
        self.find_button.clicked.connect(self.find_printers)
        self.scan_button = button(t("Scan the network"), "#5D6770")
        self.scan_button.clicked.connect(self.scan)
        finders = QHBoxLayout()
        finders.addWidget(self.find_button)
        finders.addWidget(self.scan_button)
        left.addLayout(finders)
        self.found = QListWidget()
        self.found.setMinimumHeight(56)
        self.found.setMaximumHeight(112)
        self.found.currentRowChanged.connect(self._picked)
        left.addWidget(self.found)
        form_host = QWidget()
        from PySide6.QtWidgets import QFormLayout

        form = QFormLayout(form_host)
        self.name = field("kitchen")
        self.uri = field("tcp://192.168.1.50:9100")
        self.label = field(t("Kitchen printer"))
        self.role = choice([(v, t(label)) for v, label in ROLE_CHOICES], editable=True)
        self.paper_width = choice([("80", "80 mm"), ("58", "58 mm")])
        self.profile = choice([(p, p) for p in sorted(PROFILES)], editable=True)
        set_combo(self.profile, "generic-80")
        self.encoding = choice([(e, e) for e in ENCODINGS], editable=True)
        # Failover: the printer that takes this one's tickets when it stays offline, and after how long.
        self.backup = choice([("", t("No backup"))])
        self.failover_after = choice(
            [(str(s), t("after {n} s offline").format(n=s)) for s in FAILOVER_SECONDS]
        )
        set_combo(self.failover_after, "60")
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup, 3)
        backup_row.addWidget(self.failover_after, 2)
        form.addRow(t("Name"), self.name)
        form.addRow(t("Address"), self.uri)
        form.addRow(t("Label"), self.label)
        form.addRow(t("Role"), self.role)
        form.addRow(t("Paper width"), self.paper_width)
        form.addRow(t("Profile"), self.profile)
        form.addRow(t("Encoding"), self.encoding)
        form.addRow(t("Backup printer"), backup_row)
        # A cash drawer plugged into this printer's drawer port: it opens for cash taken and "Open drawer".
        self.drawer = QCheckBox(t("A cash drawer is plugged into this printer"))
        self.drawer.setMinimumHeight(TOUCH)
        form.addRow(t("Cash drawer"), self.drawer)
        left.addWidget(form_host)
        actions = QHBoxLayout()
        self.check_button = button(t("Check address"), "#5D6770")
        self.check_button.clicked.connect(self.check_address)
        self.test_button = button(t("Test print"))
        self.test_button.clicked.connect(self.test_print)
        self.save_button = button(t("Save printer"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.remove_button = button(t("Remove"), "#5D6770")
        self.remove_button.clicked.connect(self.remove)
        for b in (self.check_button, self.test_button, self.save_button, self.remove_button):
            actions.addWidget(b)
        actions.addStretch(1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        self.configured = QListWidget()
        self.configured.setMaximumHeight(112)
        self.configured.setWordWrap(True)
        self.configured.currentRowChanged.connect(self._edit)
        right.addWidget(QLabel(t("Set up")))
        right.addWidget(self.configured)
        self.preview = QLabel(t("Test print shows the page here."))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #FFFFFF; color: #555555; padding: 8px;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        scroll.setMinimumWidth(320)
        scroll.setMinimumHeight(260)
        right.addWidget(scroll, 1)
        columns.addLayout(right, 2)
        self.body.addLayout(columns, 1)
        self.body.addLayout(actions)

        self.body.addWidget(QLabel(t("Menu category → station")))
        self.routes = QTableWidget(3, 2)
        self.routes.setHorizontalHeaderLabels([t("Menu category"), t("Station")])
        self.routes.verticalHeader().setDefaultSectionSize(TOUCH - 8)
        self.routes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.routes.verticalHeader().setVisible(False)
        self.routes.setMaximumHeight(170)
        self.body.addWidget(self.routes)
        self.default_station = field("kitchen")
        self.add_route_button = button(t("Add a row"), "#5D6770")
        self.add_route_button.clicked.connect(lambda: self.routes.insertRow(self.routes.rowCount()))
        self.routes_button = button(t("Save routes"), "#1E8E4E")
        self.routes_button.clicked.connect(self.save_routes)
        self.row(
            QLabel(t("Everything else goes to")),
            self.default_station,
            self.add_route_button,
            self.routes_button,
        )
        self.doc: dict[str, Any] = {}
        self.found_printers: list[FoundPrinter] = []

    def load(self) -> None:
        self.run(self.service.document(), self._fill)

    def _fill(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.configured.clear()
        self.backup.clear()
        self.backup.addItem(t("No backup"), "")
        for name, p in (doc.get("printers") or {}).items():
            self.backup.addItem(str(p.get("label") or name), name)
        for name, p in (doc.get("printers") or {}).items():
            drawer = " · " + t("Cash drawer") if p.get("drawer") else ""
            self.configured.addItem(
                f"{p.get('label') or name} · {p.get('role', 'kitchen')} · {p.get('uri')}{drawer}"
            )
        printing = doc.get("printing") or {}
        routes = printing.get("routes") or {}
        self.routes.setRowCount(max(3, len(routes) + 1))
        for r, (category, station) in enumerate(routes.items()):
            self.routes.setItem(r, 0, QTableWidgetItem(category))
            self.routes.setItem(r, 1, QTableWidgetItem(station))
        self.default_station.setText(str(printing.get("default_station") or "kitchen"))

    def _edit(self, row: int) -> None:
        printers = list((self.doc.get("printers") or {}).items())
        if not 0 <= row < len(printers):
            return
        name, p = printers[row]
        self.name.setText(name)
        self.uri.setText(str(p.get("uri", "")))
        self.label.setText(str(p.get("label", "")))
        set_combo(self.role, str(p.get("role", "kitchen")))
        set_combo(self.paper_width, str(p.get("width", 80)))
        set_combo(self.profile, p.get("profile") or "generic-80")
        set_combo(self.encoding, p.get("encoding") or "gb18030")
        set_combo(self.backup, str(p.get("backup") or ""))
        set_combo(self.failover_after, str(int(p.get("failover_after", 60))))
        self.drawer.setChecked(bool(p.get("drawer", False)))

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "uri": self.uri.text().strip(),
            "role": combo_value(self.role) or "kitchen",
            "width": int(combo_value(self.paper_width)),
            "profile": combo_value(self.profile) or None,
            "encoding": combo_value(self.encoding) or None,
        }
        if self.label.text().strip():
            out["label"] = self.label.text().strip()
        backup = combo_value(self.backup)
        if backup and backup != self.printer_name():
            out["backup"] = backup
            out["failover_after"] = float(combo_value(self.failover_after))
        if self.drawer.isChecked():
            out["drawer"] = True
        return {k: v for k, v in out.items() if v is not None}

    def printer_name(self) -> str:
        return self.name.text().strip() or "kitchen"

    def find_printers(self) -> None:
        self.run(self.service.find_printers(), self._found, busy=t("Looking for printers…"))

    def scan(self) -> None:
        self.run(
            self.service.scan_network(), self._found, busy=t("Knocking on port 9100 across the network…")
        )

    def _found(self, printers: list[FoundPrinter]) -> None:
        self.found_printers = printers
        self.found.clear()
        for p in printers:
            self.found.addItem(f"{p.label} ({p.kind})")
        self.say(t("{n} printers found.").format(n=len(printers)) if printers else t("No printer found."))

    def _picked(self, row: int) -> None:
        if 0 <= row < len(self.found_printers):
            self.uri.setText(self.found_printers[row].uri)

    def check_address(self) -> None:
        text = self.uri.text().strip().removeprefix("tcp://")
        host, _, port = text.partition(":")
        self.run(
            self.service.probe_address(host, int(port or 9100) if (port or "9100").isdigit() else 9100),
            lambda ok: self.say(
                t("A printer answers at {address}.").format(address=text)
                if ok
                else t("Nothing answers at {address}.").format(address=text),
                "ok" if ok else "error",
            ),
            busy=t("Checking…"),
        )

    def test_print(self) -> None:
        self.run(
            self.service.test_print(self.printer_name(), self.fields()), self._tested, busy=t("Printing…")
        )

    def _tested(self, result: TestPrint) -> None:
        if result.preview_png:
            pixmap = QPixmap()
            pixmap.loadFromData(result.preview_png)
            holder = self.preview.parentWidget()
            width = max(240, holder.width() - 24) if holder is not None else 320
            self.preview.setPixmap(
                pixmap.scaledToWidth(min(pixmap.width(), width), Qt.TransformationMode.SmoothTransformation)
            )
        if result.ok:
            self.say(t("Test page sent to {printer}.").format(printer=self.printer_name()), "ok")
        else:
            self.say(result.error, "error")

    def save(self) -> None:
        self.run(
            self.service.save_printer(self.printer_name(), self.fields(), by="setup"),
            lambda _s: self._saved(),
            busy=t("Saving…"),
        )

    def _saved(self) -> None:
        self.say(t("{printer} saved: tickets print there now.").format(printer=self.printer_name()), "ok")
        self.load()

    def remove(self) -> None:
        self.run(self.service.remove_printer(self.printer_name(), by="setup"), lambda _s: self.load())

    def save_routes(self) -> None:
        routes = {}
        for r in range(self.routes.rowCount()):
            cat, station = self.routes.item(r, 0), self.routes.item(r, 1)
            if cat is not None and station is not None and cat.text().strip():
                routes[cat.text().strip()] = station.text().strip()
        self.run(
            self.service.save_routes(routes, self.default_station.text().strip() or "kitchen", by="setup"),
            lambda _s: self.say(t("Routes saved."), "ok"),
        )
