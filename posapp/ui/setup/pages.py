"""The setup pages, shared by the first-run wizard and Settings: store, first manager, platforms, staff."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from posapp.domain.autocancel import DOCUMENTED
from posapp.services.setup import PLATFORM_FORMS, PLATFORM_ORDER, CheckResult, SetupService, StaffMember
from posapp.ui.i18n import LANGUAGES, t
from posapp.ui.setup.base import (
    TOUCH,
    Page,
    button,
    check_sentence,
    choice,
    combo_value,
    field,
    set_combo,
)
from posapp.ui.theme import platform_label

TIME_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
]
CURRENCIES = ["CNY", "HKD", "TWD", "SGD", "JPY", "USD", "CAD", "AUD", "GBP", "EUR"]
CUTOFFS = [f"{h:02d}:00" for h in range(0, 9)]


class StorePage(Page):
    """Step 1: language, store name, time zone, currency, when the business day ends."""

    languageChosen = Signal(str)
    saved = Signal()

    def __init__(self, service: SetupService, parent: QWidget | None = None, *, language: str = "en") -> None:
        super().__init__(
            t("Your shop"),
            t("The name printed on tickets, the shop's clock and money, and when a business day ends."),
            parent,
        )
        self.service = service
        form = self.form()
        self.language = choice(list(LANGUAGES.items()))
        set_combo(self.language, language)  # the screen's language until the owner picks another
        self.name = field(t("e.g. Lao Wang Noodles"))
        self.timezone = choice([(z, z) for z in TIME_ZONES], editable=True)
        self.currency = choice([(c, c) for c in CURRENCIES], editable=True)
        self.cutoff = choice([(c, c) for c in CUTOFFS], editable=True)
        set_combo(self.cutoff, "04:00")  # a kitchen's day runs past midnight
        form.addRow(t("Language"), self.language)
        form.addRow(t("Store name"), self.name)
        form.addRow(t("Time zone"), self.timezone)
        form.addRow(t("Currency"), self.currency)
        form.addRow(t("Business day ends at"), self.cutoff)
        self.save_button = button(t("Save"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.row(self.save_button)
        self.body.addStretch(1)

    def load(self) -> None:
        self.run(self.service.document(), self._fill)

    def _fill(self, doc: dict[str, Any]) -> None:
        store = doc.get("store", {})
        if not self.name.text():
            self.name.setText(str(store.get("name", "")) if store.get("name") != "posapp" else "")
        set_combo(self.timezone, store.get("timezone"))
        set_combo(self.currency, store.get("currency"))
        set_combo(self.cutoff, doc.get("reports", {}).get("day_cutoff"))
        language = doc.get("ui", {}).get("language")
        if language:
            set_combo(self.language, language)

    def save(self) -> None:
        language = combo_value(self.language)
        self.run(
            self.service.save_store(
                name=self.name.text(),
                timezone=combo_value(self.timezone),
                currency=combo_value(self.currency),
                day_cutoff=combo_value(self.cutoff),
                language=language,
                by="setup",
            ),
            lambda _s: self._saved(language),
        )

    def _saved(self, language: str) -> None:
        self.say(t("Saved."), "ok")
        self.saved.emit()
        self.languageChosen.emit(language)


class ManagerPage(Page):
    """Step 2: the first manager, whose PIN opens Settings and the manager section."""

    saved = Signal()

    def __init__(self, service: SetupService, parent: QWidget | None = None) -> None:
        super().__init__(
            t("The first manager"),
            t("A manager's PIN opens Settings, reports and refunds. Choose 4 to 8 digits."),
            parent,
        )
        self.service = service
        form = self.form()
        self.name = field(t("Name"))
        self.pin = pin_field()
        self.again = pin_field()
        form.addRow(t("Name"), self.name)
        form.addRow(t("PIN"), self.pin)
        form.addRow(t("PIN again"), self.again)
        self.save_button = button(t("Create manager"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.row(self.save_button)
        self.body.addStretch(1)

    def load(self) -> None:
        self.run(self.service.staff(), self._fill)

    def _fill(self, staff: list[StaffMember]) -> None:
        managers = [s.name for s in staff if s.role == "manager"]
        if managers:
            self.say(t("Managers: {names}. You may add another or go on.").format(names=", ".join(managers)))

    def save(self) -> None:
        self.run(
            self.service.add_staff(
                self.name.text(), "manager", self.pin.text(), self.again.text(), by="setup"
            ),
            self._saved,
            busy=t("Saving…"),
        )

    def _saved(self, member: StaffMember) -> None:
        self.pin.clear()
        self.again.clear()
        self.say(t("{name} is a manager now.").format(name=member.name), "ok")
        self.saved.emit()


def pin_field() -> QLineEdit:
    box = field("••••", secret=True)
    box.setMaxLength(8)
    box.setInputMethodHints(box.inputMethodHints())
    return box


class PlatformsPage(Page):
    """Step 3: each platform's credentials, Test connection, and the webhook address to register."""

    def __init__(
        self, service: SetupService, parent: QWidget | None = None, *, settings: bool = False
    ) -> None:
        super().__init__(
            t("Delivery platforms"),
            t("Pick a platform, type what its developer console shows, and test the connection."),
            parent,
        )
        self.service = service
        self.picks: dict[str, QPushButton] = {}
        line = QHBoxLayout()
        for name in PLATFORM_ORDER:
            b = QPushButton(platform_label(name))
            b.setCheckable(True)
            b.setObjectName("chip")
            b.setMinimumHeight(TOUCH)
            b.clicked.connect(lambda _c=False, n=name: self.pick(n))
            line.addWidget(b)
            self.picks[name] = b
        line.addStretch(1)
        self.body.addLayout(line)
        self.form_layout = self.form()
        self.boxes: dict[str, QLineEdit] = {}
        self.base_url = field(t("leave empty for the platform's own address"))
        self.enabled = QCheckBox(t("Take orders from this platform"))
        self.enabled.setChecked(True)
        self.auto_accept = QCheckBox(t("Accept its orders automatically"))
        self.auto_cancel = field()  # minutes until the platform cancels an order nobody accepted
        self.test_button = button(t("Test connection"))
        self.test_button.clicked.connect(self.test)
        self.save_button = button(t("Save"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.remove_button = button(t("Remove"), "#5D6770")
        self.remove_button.clicked.connect(self.remove)
        self.remove_button.setVisible(settings)
        self.row(self.enabled, self.auto_accept)
        self.row(self.test_button, self.save_button, self.remove_button)
        self.webhook = field()
        self.webhook.setReadOnly(True)
        self.copy_button = button(t("Copy"), "#5D6770")
        self.copy_button.clicked.connect(self.copy)
        self.webhook_row = self.row(self.webhook, self.copy_button)
        self.webhook.setMinimumWidth(520)
        self.set_up = QListWidget()
        self.set_up.setMaximumHeight(150)
        self.set_up.hide()
        self.body.addWidget(self.set_up)
        self.body.addStretch(1)
        self.platform = ""
        self.doc: dict[str, Any] = {}
        self._show_webhook("")
        self.pick(PLATFORM_ORDER[0])

    def load(self) -> None:
        self.run(self.service.document(), self._fill)

    def _fill(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.set_up.clear()
        for name, table in (doc.get("platforms") or {}).items():
            state = t("on") if table.get("enabled", True) else t("off")
            auto = t(", accepts automatically") if table.get("auto_accept") else ""
            self.set_up.addItem(QListWidgetItem(f"{platform_label(name)} — {state}{auto}"))
        self.set_up.setVisible(self.set_up.count() > 0)
        if not any(b.text() for b in self.boxes.values()):  # never wipe what the owner is typing
            self.pick(self.platform or PLATFORM_ORDER[0])

    def pick(self, name: str) -> None:
        self.platform = name
        for n, b in self.picks.items():
            b.setChecked(n == name)
        while self.form_layout.rowCount():
            self.form_layout.removeRow(0)
        self.boxes = {}
        table = (self.doc.get("platforms") or {}).get(name, {})
        for spec in PLATFORM_FORMS[name]:
            box = field(t("stored in the keyring") if spec.secret and table else "", secret=spec.secret)
            if not spec.secret:
                box.setText(str(table.get(spec.key, "")))
            self.boxes[spec.key] = box
            self.form_layout.addRow(t(spec.label), box)
        self.base_url = field(t("leave empty for the platform's own address"))
        if "base_url" not in self.boxes:
            self.base_url.setText(str(table.get("base_url", "")))
            self.form_layout.addRow(t("API address"), self.base_url)
        self.enabled.setChecked(bool(table.get("enabled", True)))
        self.auto_accept.setChecked(bool(table.get("auto_accept", False)))
        # A NEW card counts down to the platform's own cancel: its documented window, or what the shop knows.
        self.auto_cancel = field(auto_cancel_hint(name))
        minutes = table.get("auto_cancel_minutes")
        self.auto_cancel.setText(f"{minutes:g}" if isinstance(minutes, int | float) else "")
        self.form_layout.addRow(t("Cancels unaccepted orders after (minutes)"), self.auto_cancel)
        self._show_webhook(self.service.webhook_url(name) if table else "")
        self.say("")

    def fields(self) -> dict[str, str]:
        out = {k: b.text().strip() for k, b in self.boxes.items() if k != "secret"}
        if "base_url" not in out:
            out["base_url"] = self.base_url.text().strip()
        return out

    def secret(self) -> str | None:
        box = self.boxes.get("secret")
        return box.text() if box is not None and box.text() else None

    def test(self) -> None:
        self.run(
            self.service.test_connection(self.platform, self.fields(), self.secret()),
            self._tested,
            busy=t("Asking {platform}…").format(platform=platform_label(self.platform)),
        )

    def _tested(self, result: CheckResult) -> None:
        self.say(check_sentence(result), "ok" if result.ok else "error")
        if result.ok:
            self._show_webhook(self.service.webhook_url(self.platform))

    def save(self) -> None:
        text = self.auto_cancel.text().strip().replace(",", ".")
        try:
            minutes = float(text) if text else None
        except ValueError:
            self.say(t("Type the minutes as a number, e.g. 11.5, or leave it empty."), "error")
            return
        self.run(
            self.service.save_platform(
                self.platform,
                self.fields(),
                secret=self.secret(),
                enabled=self.enabled.isChecked(),
                auto_accept=self.auto_accept.isChecked(),
                auto_cancel_minutes=minutes,
                by="setup",
            ),
            lambda _s: self._saved(),
            busy=t("Saving…"),
        )

    def _saved(self) -> None:
        name = self.platform
        self.load()
        self._show_webhook(self.service.webhook_url(name))
        self.say(t("{platform} saved: it takes orders now.").format(platform=platform_label(name)), "ok")

    def remove(self) -> None:
        self.run(self.service.remove_platform(self.platform, by="setup"), lambda _s: self.load())

    def _show_webhook(self, url: str) -> None:
        self.webhook.setText(url)
        for w in (self.webhook, self.copy_button):
            w.setVisible(bool(url))
        if url:
            self.webhook.setToolTip(
                t("Register this address as the push (webhook) URL in the platform's console.")
            )

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.webhook.text())
        self.say(t("Copied. Paste it as the push URL in the platform's console."), "ok")


ROLES = [("kitchen", "Kitchen"), ("cashier", "Cashier"), ("manager", "Manager")]


class StaffPage(Page):
    """Step 5 (and Settings → Staff): people with roles and PINs; reset a PIN, lift a lock-out, remove."""

    def __init__(self, service: SetupService, parent: QWidget | None = None) -> None:
        super().__init__(
            t("Staff"),
            t(
                "Everyone who uses the counter gets a PIN. Kitchen staff run the queue, cashiers also take "
                "payments and refunds, managers open Settings and reports."
            ),
            parent,
        )
        self.service = service
        self.list = QListWidget()
        self.list.setMinimumHeight(160)
        self.body.addWidget(self.list)
        form = self.form()
        self.name = field(t("Name"))
        self.role = choice([(v, t(label)) for v, label in ROLES])
        self.pin = pin_field()
        self.again = pin_field()
        form.addRow(t("Name"), self.name)
        form.addRow(t("Role", "staff"), self.role)
        form.addRow(t("PIN"), self.pin)
        form.addRow(t("PIN again"), self.again)
        self.add_button = button(t("Add"), "#1E8E4E")
        self.add_button.clicked.connect(self.add)
        self.reset_button = button(t("Reset PIN"))
        self.reset_button.clicked.connect(self.reset_pin)
        self.unlock_button = button(t("Lift lock-out"), "#F39C12")
        self.unlock_button.clicked.connect(self.unlock)
        self.remove_button = button(t("Remove"), "#5D6770")
        self.remove_button.clicked.connect(self.remove)
        self.row(self.add_button, self.reset_button, self.unlock_button, self.remove_button)
        self.list.currentRowChanged.connect(self._selected)
        self.staff: list[StaffMember] = []

    def load(self) -> None:
        self.run(self.service.staff(), self._fill)

    def _fill(self, staff: list[StaffMember]) -> None:
        self.staff = staff
        self.list.clear()
        labels = dict(ROLES)
        for s in staff:
            locked = t(" — locked out") if s.locked else ""
            self.list.addItem(f"{s.name} · {t(labels.get(s.role, s.role))}{locked}")

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.staff):
            self.name.setText(self.staff[row].name)
            set_combo(self.role, self.staff[row].role)

    def add(self) -> None:
        self.run(
            self.service.add_staff(
                self.name.text(), combo_value(self.role), self.pin.text(), self.again.text(), by="setup"
            ),
            lambda m: self._done(t("{name} added.").format(name=m.name)),
            busy=t("Saving…"),
        )

    def reset_pin(self) -> None:
        name = self.name.text().strip()
        self.run(
            self.service.reset_pin(name, self.pin.text(), self.again.text(), by="setup"),
            lambda _r: self._done(t("New PIN set for {name}.").format(name=name)),
            busy=t("Saving…"),
        )

    def unlock(self) -> None:
        name = self.name.text().strip()
        self.run(
            self.service.lift_lockout(name, by="setup"),
            lambda _r: self._done(t("{name} may sign in again.").format(name=name)),
        )

    def remove(self) -> None:
        name = self.name.text().strip()
        self.run(
            self.service.remove_staff(name, by="setup"),
            lambda _r: self._done(t("{name} removed.").format(name=name)),
        )

    def _done(self, sentence: str) -> None:
        self.pin.clear()
        self.again.clear()
        self.say(sentence, "ok")
        self.load()


def auto_cancel_hint(platform: str) -> str:
    """The auto-cancel field's placeholder: the platform's documented window, or that its docs give none."""
    known = DOCUMENTED.get(platform)
    if known is not None:
        return t("{minutes:g} min, as the platform documents it").format(minutes=known.minutes)
    return t("none published: set one for a countdown")
