"""The first-run wizard: five touch-first steps, each skippable and each reachable later from Settings."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from posapp.services.setup import SetupService
from posapp.ui.i18n import install_language, t
from posapp.ui.setup.base import Page, button, scrolled
from posapp.ui.setup.pages import ManagerPage, PlatformsPage, StaffPage, StorePage
from posapp.ui.setup.printers_page import PrintersPage
from posapp.ui.setup.style import setup_style
from posapp.ui.theme import DARK, Palette

log = logging.getLogger(__name__)


class SetupWizard(QWidget):
    """Step header, the page, and Back / Skip / Next; ``done`` when the owner finishes or skips it all."""

    done = Signal()
    languageChanged = Signal(str)

    def __init__(
        self,
        service: SetupService,
        *,
        palette: Palette = DARK,
        scale: float = 1.0,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.language = language
        self.service = service
        self.palette_, self.scale = palette, scale
        self.setStyleSheet(setup_style(palette, scale))
        self._layout = QVBoxLayout(self)
        self._content: QWidget | None = None
        self._build(0)

    def _build(self, step: int) -> None:
        if self._content is not None:
            self._layout.removeWidget(self._content)
            self._content.deleteLater()
        content = QWidget(self)
        self._content = content
        self.setWindowTitle(t("Set up your shop"))
        outer = QVBoxLayout(content)
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        outer.addWidget(self.step_label)
        self.stack = QStackedWidget()
        self.store = StorePage(self.service, language=self.language)
        self.manager = ManagerPage(self.service)
        self.platforms = PlatformsPage(self.service)
        self.printers = PrintersPage(self.service)
        self.staff = StaffPage(self.service)
        self.pages: list[Page] = [self.store, self.manager, self.platforms, self.printers, self.staff]
        for page in self.pages:
            self.stack.addWidget(scrolled(page))
        outer.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = button(t("Back"), "#5D6770")
        self.skip_button = button(t("Skip this step"), "#5D6770")
        self.later_button = button(t("Set up later"), "#5D6770")
        self.next_button = button(t("Next"), "#1E8E4E")
        self.back_button.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.skip_button.clicked.connect(lambda: self.go(self.stack.currentIndex() + 1))
        self.later_button.clicked.connect(self.finish)
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.later_button)
        nav.addStretch(1)
        for b in (self.back_button, self.skip_button, self.next_button):
            nav.addWidget(b)
        outer.addLayout(nav)
        self.store.languageChosen.connect(self._language)
        self.store.saved.connect(lambda: self.go(1))
        self.manager.saved.connect(lambda: self.go(2))
        self._layout.addWidget(content)
        self.go(step)

    def go(self, index: int) -> None:
        if index >= len(self.pages):
            self.finish()
            return
        index = max(0, index)
        self.stack.setCurrentIndex(index)
        self.step_label.setText(
            t("Set up your shop — step {n} of {total}").format(n=index + 1, total=len(self.pages))
        )
        self.back_button.setEnabled(index > 0)
        self.next_button.setText(t("Finish") if index == len(self.pages) - 1 else t("Next"))
        self.pages[index].load()

    @property
    def step(self) -> int:
        return self.stack.currentIndex()

    def next(self) -> None:
        """Next saves what the store and manager steps hold (their pages move on when saved)."""
        page = self.pages[self.stack.currentIndex()]
        if page is self.store:
            self.store.save()
        elif page is self.manager and self.manager.pin.text():
            self.manager.save()
        else:
            self.go(self.stack.currentIndex() + 1)

    def _language(self, language: str) -> None:
        if language == self.language or install_language(language) != language:
            return
        self.language = language
        self.languageChanged.emit(language)
        self._build(1)  # the same wizard, in the new language, at the next step

    def finish(self) -> None:
        def finished(_r: object) -> None:
            self.done.emit()
            self.close()

        self.pages[self.step].run(self.service.finish(by="setup"), finished)
