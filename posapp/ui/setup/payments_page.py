"""Shop setup → Payments: WeChat Pay, Alipay and card readers (Stripe Terminal) for Take payment at the counter.

Per gateway: offer it at the counter or not, its ids from the merchant console, test mode (the gateway's sandbox),
and its keys, pasted once: they go to the OS keyring and are never shown again (an empty box keeps the stored key).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from posapp.services.setup import GATEWAY_FORMS, SetupService
from posapp.ui.i18n import t
from posapp.ui.payment import GATEWAY_LABELS
from posapp.ui.setup.base import TOUCH, Page, button, field

GATEWAY_ORDER = ("wechat", "alipay", "stripe")


class PaymentsPage(Page):
    """Pick a gateway, type its ids, paste its keys once, Save."""

    def __init__(self, service: SetupService, parent: QWidget | None = None) -> None:
        super().__init__(
            t("Payments"),
            t(
                "Take WeChat Pay, Alipay or cards at the counter. Type the ids from the merchant console and paste "
                "each key once: keys go to this computer's keyring and are never shown again (leave a stored key's "
                "box empty to keep it)."
            ),
            parent,
        )
        self.service = service
        self.picks: dict[str, QPushButton] = {}
        line = QHBoxLayout()
        for name in GATEWAY_ORDER:
            b = QPushButton(t(GATEWAY_LABELS[name]))
            b.setCheckable(True)
            b.setObjectName("chip")
            b.setMinimumHeight(TOUCH)
            b.clicked.connect(lambda _c=False, n=name: self.pick(n))
            line.addWidget(b)
            self.picks[name] = b
        line.addStretch(1)
        self.body.addLayout(line)
        self.enabled = QCheckBox(t("Offer it at the counter"))
        self.sandbox = QCheckBox(t("Test mode (the gateway's sandbox: no real money)"))
        self.row(self.enabled)
        self.row(self.sandbox)
        self.form_layout = self.form()
        self.boxes: dict[str, QLineEdit] = {}
        self.save_button = button(t("Save"), "#1E8E4E")
        self.save_button.setObjectName("savePayments")
        self.save_button.clicked.connect(self.save)
        self.row(self.save_button)
        self.body.addStretch(1)
        self.gateway = ""
        self.doc: dict[str, Any] = {}
        self.stored: dict[str, bool] = {}
        self.pick(GATEWAY_ORDER[0])

    def load(self) -> None:
        self.run(self.service.document(), self._fill)

    def _fill(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        for name, b in self.picks.items():
            on = name in ((doc.get("payments") or {}).get("enabled") or [])
            b.setText(f"{'● ' if on else ''}{t(GATEWAY_LABELS[name])}")
        if not any(b.text() for b in self.boxes.values()):  # never wipe what the manager is typing
            said, level = self.message.text(), str(self.message.property("level") or "info")
            self.pick(self.gateway or GATEWAY_ORDER[0])
            self.say(said, level)

    def pick(self, name: str) -> None:
        self.gateway = name
        for n, b in self.picks.items():
            b.setChecked(n == name)
        while self.form_layout.rowCount():
            self.form_layout.removeRow(0)
        self.boxes = {}
        section = self.doc.get("payments") or {}
        table = section.get(name) or {}
        for spec in GATEWAY_FORMS[name]:
            box = field(secret=spec.secret)
            box.setObjectName(f"payment-{spec.key}")
            if spec.secret:
                box.setPlaceholderText(self._paste_hint(spec.key))
            elif spec.key == "readers":
                box.setText(", ".join(str(r) for r in table.get("readers") or []))
            else:
                box.setText(str(table.get(spec.key, "")))
            self.boxes[spec.key] = box
            self.form_layout.addRow(t(spec.label), box)
        self.enabled.setChecked(name in (section.get("enabled") or []))
        self.sandbox.setChecked(bool(table.get("sandbox", False)))
        self.say("")
        self.run(self.service.payment_secrets_stored(name), lambda stored: self._show_stored(name, stored))

    def _show_stored(self, name: str, stored: dict[str, bool]) -> None:
        """A stored key says so in its empty box; its value never comes back to the screen."""
        if name != self.gateway:
            return
        self.stored = stored
        for key, has in stored.items():
            box = self.boxes.get(key)
            if box is not None and not box.text():
                box.setPlaceholderText(t("stored in the keyring") if has else self._paste_hint(key))

    def _paste_hint(self, key: str) -> str:
        """What an empty key box says before anything is stored: optional keys say they are."""
        spec = next((s for s in GATEWAY_FORMS[self.gateway] if s.key == key), None)
        return t("paste it once (optional)") if spec is not None and not spec.required else t("paste the key")

    def fields(self) -> dict[str, str]:
        secret = {spec.key for spec in GATEWAY_FORMS[self.gateway] if spec.secret}
        return {k: b.text().strip() for k, b in self.boxes.items() if k not in secret}

    def secrets(self) -> dict[str, str]:
        secret = {spec.key for spec in GATEWAY_FORMS[self.gateway] if spec.secret}
        return {k: b.text() for k, b in self.boxes.items() if k in secret and b.text()}

    def save(self) -> None:
        name = self.gateway
        self.run(
            self.service.save_payment_gateway(
                name,
                self.fields(),
                self.secrets(),
                enabled=self.enabled.isChecked(),
                sandbox=self.sandbox.isChecked(),
                by="settings",
            ),
            lambda _s: self._saved(name),
            busy=t("Saving…"),
        )

    def _saved(self, name: str) -> None:
        for spec in GATEWAY_FORMS[name]:
            box = self.boxes.get(spec.key)
            if spec.secret and box is not None:
                box.clear()  # pasted once: gone from the screen, kept in the keyring
        self.say(t("Saved. Keys are in the keyring."), "ok")
        self.load()
        self.run(self.service.payment_secrets_stored(name), lambda stored: self._show_stored(name, stored))
