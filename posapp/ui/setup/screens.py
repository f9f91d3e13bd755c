"""What the desktop app holds of setup: the wizard on a first start, Settings behind the manager PIN, and the
status strip's backup line. The app passes its dependencies in; nothing here reaches for a global."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from posapp.services.auth import AuthService
from posapp.services.hub import Notice
from posapp.services.setup import SetupService
from posapp.ui.i18n import t
from posapp.ui.setup.base import to_front
from posapp.ui.setup.settings_window import SettingsWindow
from posapp.ui.setup.wizard import SetupWizard
from posapp.ui.theme import DARK, Palette

log = logging.getLogger(__name__)


class SetupScreens(QObject):
    """Opens the wizard and Settings; calls ``refresh`` when what the main window shows may have changed."""

    def __init__(
        self,
        service: SetupService,
        auth: AuthService,
        *,
        backups: Any,
        catalogue: Any = None,
        window: Callable[[], Any],
        refresh: Callable[[], None],
        palette: Palette = DARK,
        scale: float = 1.0,
        language: Callable[[], str] = lambda: "en",
    ) -> None:
        super().__init__()
        self.language = language
        self.service, self.auth, self.backups = service, auth, backups
        self.catalogue = catalogue  # the menu catalogue's service (Settings → Menu), when the engine has one
        self.window, self.refresh = window, refresh
        self.palette, self.scale = palette, scale
        self.wizard: SetupWizard | None = None
        self.settings: SettingsWindow | None = None
        self._dirty = False

    async def needs_setup(self) -> bool:
        return await self.service.needs_setup()

    def open_wizard(self) -> SetupWizard:
        if self.wizard is None:
            self.wizard = SetupWizard(
                self.service, palette=self.palette, scale=self.scale, language=self.language()
            )
            self.wizard.done.connect(self._wizard_done)
            self.wizard.resize(1024, 768)
        main = self.window()
        if main is not None and main.isFullScreen():
            self.wizard.showFullScreen()
        else:
            self.wizard.show()
        to_front(self.wizard)
        return self.wizard

    def _wizard_done(self) -> None:
        if self.wizard is not None:
            self.wizard.deleteLater()
            self.wizard = None
        self.refresh()

    def open_settings(self) -> SettingsWindow:
        if self.settings is None:
            backup_now = None
            if self.backups is not None:
                backups = self.backups

                def backup_now() -> Any:
                    return backups.backup_now(by="settings")

            self.settings = SettingsWindow(
                self.service,
                self.auth,
                backup_now=backup_now,
                catalogue=self.catalogue,
                palette=self.palette,
                scale=self.scale,
                language=self.language(),
            )
            self.settings.resize(1024, 768)
            self.settings.changed.connect(self._changed)
            self.settings.closed.connect(self._settings_closed)
            self.settings.wizardRequested.connect(self._wizard_from_settings)
        self.settings.open()
        return self.settings

    def _changed(self) -> None:
        self._dirty = True

    def _settings_closed(self) -> None:
        if self._dirty:
            self._dirty = False
            self.refresh()

    def _wizard_from_settings(self) -> None:
        if self.settings is not None:
            self.settings.close()
        self.open_wizard()

    def on_notice(self, notice: Notice) -> None:
        """The status strip's backup line: empty while backups are fresh; a warning once two days pass."""
        if notice.source != "backup":
            return
        main = self.window()
        if main is None:
            return
        if notice.data.get("failed"):
            main.set_status(
                "backup", t("! Backup failed: {reason}").format(reason=notice.data["failed"]), "error"
            )
        elif notice.data.get("stale"):
            days = int(notice.data.get("days") or 0)
            text = (
                t("! Last backup {days} days ago").format(days=days)
                if notice.data.get("last_at")
                else t("! No backup yet: choose a backup folder in Shop setup")
            )
            main.set_status("backup", text, "warning")
        elif "backup" in getattr(main, "_strip", {}):  # clear a warning shown before; add no empty label
            main.set_status("backup", "", "info")
