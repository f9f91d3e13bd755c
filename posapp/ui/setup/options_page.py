"""Settings → Store & reports: lateness colours, the report options and the nightly backup folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFileDialog, QSpinBox, QWidget

from posapp.services.setup import SetupService
from posapp.ui.i18n import t
from posapp.ui.setup.base import TOUCH, Page, button, choice, combo_value, field, set_combo


def spin(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setMinimumHeight(TOUCH)
    return box


class OptionsPage(Page):
    """Report and queue options, and backups: a folder the manager picks, how many copies, Back up now."""

    def __init__(self, service: SetupService, backup_now: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(
            t("Reports and backups"),
            t("When an order counts as late, how reports add up, and where the nightly backup goes."),
            parent,
        )
        self.service = service
        self.backup_now_call = backup_now
        form = self.form()
        self.warn = spin(1, 240)
        self.late = spin(1, 480)
        self.late_prep = spin(1, 240)
        self.retention = spin(1, 3650)
        self.lock = spin(10, 3600)
        self.folder = field(t("e.g. the USB stick"))
        self.keep = spin(1, 365)
        self.at = choice([(f"{h:02d}:30", f"{h:02d}:30") for h in range(0, 24)], editable=True)
        form.addRow(t("Card turns amber after (minutes)"), self.warn)
        form.addRow(t("Card turns red after (minutes)"), self.late)
        form.addRow(t("A prep counts as late after (minutes)"), self.late_prep)
        form.addRow(t("Keep customers' names, phones and addresses for (days)"), self.retention)
        form.addRow(t("The manager section locks after (seconds)"), self.lock)
        form.addRow(t("Backup folder"), self.folder)
        form.addRow(t("Backups to keep"), self.keep)
        form.addRow(t("Nightly backup at"), self.at)
        self.choose_button = button(t("Choose folder…"), "#5D6770")
        self.choose_button.clicked.connect(self.choose)
        self.save_button = button(t("Save"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.backup_button = button(t("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_button.setVisible(backup_now is not None)
        self.row(self.choose_button, self.save_button, self.backup_button)
        self.autostart = QCheckBox(t("Start posapp full screen when this computer starts"))
        self.autostart.setChecked(service.starts_at_login())
        self.autostart.toggled.connect(self.set_autostart)
        self.body.addWidget(self.autostart)
        self.body.addStretch(1)
        self._dialog: QFileDialog | None = None

    def load(self) -> None:
        self.run(self.service.document(), self._fill)

    def _fill(self, doc: dict[str, Any]) -> None:
        ui, reports, backup = doc.get("ui", {}), doc.get("reports", {}), doc.get("backup", {})
        self.warn.setValue(int(ui.get("lateness_warn_minutes", 10)))
        self.late.setValue(int(ui.get("lateness_late_minutes", 20)))
        self.late_prep.setValue(int(reports.get("late_prep_minutes", 20)))
        self.retention.setValue(int(reports.get("retention_days", 90)))
        self.lock.setValue(int(reports.get("manager_lock_seconds", 120)))
        self.folder.setText(str(backup.get("folder", "")))
        self.keep.setValue(int(backup.get("keep", 7)))
        set_combo(self.at, str(backup.get("at", "03:30")))

    def choose(self) -> None:
        dialog = QFileDialog(self, t("Backup folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(self.folder.setText)
        dialog.open()  # not exec(): no nested event loop under qasync
        self._dialog = dialog

    def save(self) -> None:
        sections: dict[str, dict[str, Any]] = {
            "ui": {"lateness_warn_minutes": self.warn.value(), "lateness_late_minutes": self.late.value()},
            "reports": {
                "late_prep_minutes": self.late_prep.value(),
                "retention_days": self.retention.value(),
                "manager_lock_seconds": self.lock.value(),
            },
            "backup": {
                "folder": self.folder.text().strip(),
                "keep": self.keep.value(),
                "at": combo_value(self.at),
            },
        }
        self.run(
            self.service.save_sections(sections, by="settings"),
            lambda _r: self.say(t("Saved."), "ok"),
            busy=t("Saving…"),
        )

    def set_autostart(self, on: bool) -> None:
        self.run(
            self.service.set_start_at_login(on, by="settings"),
            lambda _r: self.say(
                t("posapp starts full screen when this computer starts.")
                if on
                else t("posapp no longer starts by itself."),
                "ok",
            ),
        )

    def backup_now(self) -> None:
        if self.backup_now_call is None:
            return
        self.run(
            self.backup_now_call(),
            lambda done: self.say(
                t("Backup written: {file} ({n} orders).").format(file=done.path.name, n=done.orders), "ok"
            ),
            busy=t("Backing up…"),
        )
