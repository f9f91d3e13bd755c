"""Setting up a shop from its own screens: the settings document kept in the database, validated as a whole,
applied live; platform credentials (secrets to the OS keyring only) with Test connection; printers with
discovery and Test print; staff. The first-run wizard and the Settings screens only present this."""

from __future__ import annotations

import asyncio
import copy
import io
import logging
import tomllib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from posapp.config import SETTINGS_DOCUMENT_KEY, PrinterSettings, Settings, settings_from_document
from posapp.connectors import registry
from posapp.connectors.base import CheckFailed, CheckProblem
from posapp.domain.roles import Role
from posapp.errors import NotFoundError, PinRejected, PosappError, PrinterOffline
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py
from posapp.services.auth import AuthService
from posapp.services.clock import Clock, utc_now
from posapp.services.printer_discovery import (
    FoundPrinter,
    cups_queues,
    local_address,
    probe,
    scan_network,
    usb_printers,
)
from posapp.settings_schema import Problem, SettingsInvalid, validate_document
from posapp.settings_toml import dumps as toml_dumps
from posapp.store import audit
from posapp.store import users as user_store
from posapp.store.db import Database
from posapp.store.settings import get_setting, set_setting

log = logging.getLogger(__name__)
DOC_KEY = SETTINGS_DOCUMENT_KEY  # the settings document (no secret in it: secrets are keyring names)
DONE_KEY = "setup.done"
MAX_SKEW = timedelta(minutes=5)  # signed platform calls are refused beyond a few minutes of clock difference


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One box of a platform's credentials form; ``label`` is English, the screens translate it."""

    key: str  # app_id, base_url, or an option name (poi_code, shop_id, store_id)
    label: str
    secret: bool = False
    required: bool = True


# What each platform needs, in the words of its developer console.
PLATFORM_FORMS: dict[str, tuple[FieldSpec, ...]] = {
    "meituan": (
        FieldSpec("app_id", "App ID"),
        FieldSpec("secret", "App secret", secret=True),
        FieldSpec("poi_code", "Store id (app_poi_code)"),
    ),
    "eleme": (
        FieldSpec("app_id", "App key"),
        FieldSpec("secret", "App secret", secret=True),
        FieldSpec("shop_id", "Shop id"),
    ),
    "ubereats": (
        FieldSpec("app_id", "Client id"),
        FieldSpec("secret", "Client secret", secret=True),
        FieldSpec("store_id", "Store id"),
    ),
    "doordash": (
        FieldSpec("app_id", "Developer id:Key id"),
        FieldSpec("secret", "Signing secret", secret=True),
        FieldSpec("store_id", "Store id"),
    ),
    "own": (
        FieldSpec("secret", "Shared signing secret", secret=True),
        FieldSpec("base_url", "Status callback address", required=False),
    ),
}

# What each payment gateway needs, in the words of its merchant console (posapp/payments/<gateway>.py reads the
# fields from [payments.<name>] and the secrets from the keyring as payments.<name>.<key>).
GATEWAY_FORMS: dict[str, tuple[FieldSpec, ...]] = {
    "wechat": (
        FieldSpec("appid", "AppID"),
        FieldSpec("mch_id", "Merchant ID (mchid)"),
        FieldSpec("serial_no", "API certificate serial number"),
        FieldSpec("platform_serial", "WeChat Pay platform certificate serial", required=False),
        FieldSpec(
            "notify_url", "Payment notification address (https://…; a QR payment needs it)", required=False
        ),
        FieldSpec("api_key", "API v2 key", secret=True),
        FieldSpec("apiv3_key", "API v3 key", secret=True),
        FieldSpec("private_key", "API certificate private key (apiclient_key.pem)", secret=True),
        FieldSpec("platform_public_key", "WeChat Pay platform public key", secret=True),
        # apiclient_cert.pem: the v2 reverse of a scanned payment is sent with it (payments/wechat.py)
        FieldSpec(
            "merchant_cert",
            "API certificate (apiclient_cert.pem; to reverse a scanned payment)",
            secret=True,
            required=False,
        ),
    ),
    "alipay": (
        FieldSpec("app_id", "APPID"),
        FieldSpec("notify_url", "Payment notification address (https://…, optional)", required=False),
        FieldSpec("private_key", "App private key (RSA2)", secret=True),
        FieldSpec("alipay_public_key", "Alipay public key", secret=True),
    ),
    "stripe": (
        FieldSpec("readers", "Card reader ids (tmr_…, comma between)"),
        FieldSpec("secret_key", "Secret key (sk_live_… or sk_test_…)", secret=True),
        # the webhook endpoint's signing secret: without it webhooks are refused and the cashier's wait asks
        FieldSpec(
            "webhook_secret", "Webhook signing secret (whsec_…, optional)", secret=True, required=False
        ),
    ),
}
# What a pasted key must look like, so a wrong paste is said at Save, not at the first payment:
# (gateway, key) -> (how it starts, the sentence).
SECRET_SHAPES: dict[tuple[str, str], tuple[str, str]] = {
    ("wechat", "merchant_cert"): (
        "-----BEGIN CERTIFICATE-----",
        "Paste the whole apiclient_cert.pem, from its -----BEGIN CERTIFICATE----- line to its END line.",
    ),
    ("stripe", "webhook_secret"): ("whsec_", "A Stripe webhook signing secret starts with whsec_."),
}
PLATFORM_ORDER = ("meituan", "eleme", "ubereats", "doordash", "own")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Test connection's answer: ok with the store as the platform names it, or the problem."""

    ok: bool
    platform: str
    shop: str = ""
    problem: CheckProblem | None = None
    detail: str = ""  # the platform's own words, for the log and a tooltip


@dataclass(frozen=True, slots=True)
class TestPrint:
    ok: bool
    error: str = ""
    preview_png: bytes = b""


@dataclass(frozen=True, slots=True)
class StaffMember:
    name: str
    role: str
    locked: bool


@dataclass
class Applied:
    """What a save changed, so a screen can decide whether to refresh (Anki's "what changed" value)."""

    settings: Settings
    sections: set[str] = field(default_factory=set)


def document_from_settings(settings: Settings) -> dict[str, Any]:
    """The settings document a ``Settings`` stands for (its own tables first, then the typed values)."""
    doc = copy.deepcopy(settings.raw) if settings.raw else {}
    store = doc.setdefault("store", {})
    store.setdefault("name", settings.store_name)
    store.setdefault("timezone", settings.timezone)
    store.setdefault("currency", settings.currency)
    doc.setdefault("listener", {"host": settings.listen_host, "port": settings.listen_port})
    doc.setdefault("screens", {"host": settings.screens_host, "port": settings.screens_port})
    return doc


def load_document(session: Session) -> dict[str, Any] | None:
    doc = get_setting(session, DOC_KEY)
    return doc if isinstance(doc, dict) else None


def export_toml(db: Database) -> str:
    """``posapp config export``: the stored settings as TOML (empty document when none is stored)."""
    doc: dict[str, Any] | None = db.call(load_document)
    return toml_dumps(doc or {})


def import_toml(db: Database, text: str, *, source: str, by: str) -> Settings:
    """``posapp config import``: the whole file validated, then stored; nothing is stored on a mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsInvalid([Problem("", f"{source}: not TOML: {exc}.")]) from exc
    settings = settings_from_document(data, source=source)
    now = utc_now()
    db.call(lambda s: _store(s, data, now=now, by=by, why=f"imported from {source}"))
    return settings


def _store(session: Session, doc: dict[str, Any], *, now: datetime, by: str, why: str) -> None:
    set_setting(session, DOC_KEY, doc, now=now, by=by)
    audit.record(session, "settings_changed", at=now, by=by, detail=why)


SecretStore = Callable[[str, str], None]
ApplyHook = Callable[[Settings], Awaitable[None]]


class SetupService:
    """The use cases behind the first-run wizard and the Settings screens; runs on the engine's loop."""

    def __init__(
        self,
        db: Database,
        *,
        current: Callable[[], Settings],
        apply: ApplyHook | None = None,
        listen_port: Callable[[], int | None] = lambda: None,
        set_secret: SecretStore | None = None,
        get_secret: Callable[[str], str | None] | None = None,
        clock: Clock = utc_now,
        data_dir: Path | None = None,
    ) -> None:
        from posapp import vault

        self.db = db
        self.data_dir = data_dir
        self.current = current
        self.apply = apply
        self.listen_port = listen_port
        self.set_secret = set_secret or vault.set_secret
        self.get_secret = get_secret or vault.get_secret
        self.clock = clock
        self.auth = AuthService(db, clock)

    # -- the document --------------------------------------------------------------------------------
    async def needs_setup(self) -> bool:
        """True on a start with no store configured (nothing stored, no [store] in a settings file)."""
        done = await self.db.run(lambda s: get_setting(s, DONE_KEY, False))
        return not done and "store" not in (self.current().raw or {})

    async def document(self) -> dict[str, Any]:
        stored = await self.db.run(load_document)
        return stored if stored is not None else document_from_settings(self.current())

    async def finish(self, *, by: str) -> None:
        """The wizard's last step (or Skip all): it is not shown again; Settings reaches every step."""
        now = self.clock()
        await self.db.run(lambda s: set_setting(s, DONE_KEY, True, now=now, by=by))

    def problems(self, doc: Mapping[str, Any]) -> list[Problem]:
        try:
            validate_document(dict(doc), source="Settings")
        except SettingsInvalid as exc:
            return exc.problems
        return []

    async def save(self, doc: dict[str, Any], *, by: str, why: str = "settings saved") -> Settings:
        """Validate the whole document (``SettingsInvalid``: nothing stored), store it, audit, apply it live."""
        settings = settings_from_document(doc, source="Settings")
        now = self.clock()
        await self.db.run(lambda s: _store(s, doc, now=now, by=by, why=why))
        if self.apply is not None:
            await self.apply(settings)
        return settings

    async def _change(self, by: str, why: str, edit: Callable[[dict[str, Any]], None]) -> Settings:
        doc = copy.deepcopy(await self.document())
        edit(doc)
        return await self.save(doc, by=by, why=why)

    # -- store -----------------------------------------------------------------------------------------
    async def save_store(
        self,
        *,
        name: str,
        timezone: str,
        currency: str,
        day_cutoff: str,
        language: str | None,
        by: str,
    ) -> Settings:
        def edit(doc: dict[str, Any]) -> None:
            doc.setdefault("store", {}).update(name=name.strip(), timezone=timezone, currency=currency)
            doc.setdefault("reports", {})["day_cutoff"] = day_cutoff
            if language:
                doc.setdefault("ui", {})["language"] = language

        return await self._change(by, f"store: {name.strip()}", edit)

    async def save_section(self, section: str, values: Mapping[str, Any], *, by: str) -> Settings:
        """Store and report options ([ui], [reports], [backup], ...) from the Settings screens."""

        def edit(doc: dict[str, Any]) -> None:
            doc.setdefault(section, {}).update(values)

        return await self._change(by, f"[{section}] {', '.join(sorted(values))}", edit)

    async def save_sections(self, sections: Mapping[str, Mapping[str, Any]], *, by: str) -> Settings:
        """Several tables at once, validated together (lateness warn and late are checked against each other)."""

        def edit(doc: dict[str, Any]) -> None:
            for section, values in sections.items():
                doc.setdefault(section, {}).update(values)

        return await self._change(by, ", ".join(f"[{s}]" for s in sections), edit)

    # -- platforms -------------------------------------------------------------------------------------
    async def save_platform(
        self,
        name: str,
        fields: Mapping[str, str],
        *,
        secret: str | None,
        enabled: bool = True,
        auto_accept: bool = False,
        auto_cancel_minutes: float | None = None,
        by: str,
    ) -> Settings:
        """A platform's credentials: the secret to the OS keyring (when one is typed), the rest to the document.
        Keys the form does not show (options written by ``config import``) are kept; ``auto_cancel_minutes``
        None means the platform's documented window (domain/autocancel.py), or none."""
        registry.connector_class(name)  # an unknown platform is refused before anything is stored
        doc = copy.deepcopy(await self.document())
        table: dict[str, Any] = dict(doc.get("platforms", {}).get(name, {}))
        for key in fields:  # the form's own fields: an emptied one is removed
            table.pop(key, None)
        table.update({k: v.strip() for k, v in fields.items() if k != "secret" and v.strip()})
        table.update(enabled=enabled, auto_accept=auto_accept, secret_ref=f"{name}-secret")
        if auto_cancel_minutes is None:
            table.pop("auto_cancel_minutes", None)
        else:
            table["auto_cancel_minutes"] = auto_cancel_minutes
        doc.setdefault("platforms", {})[name] = table
        problems = self.problems(doc)
        if problems:
            raise SettingsInvalid(problems)
        if secret:
            await asyncio.to_thread(self.set_secret, f"{name}-secret", secret)
        elif self.get_secret(f"{name}-secret") is None and enabled:
            raise SettingsInvalid([Problem(f"[platforms.{name}] secret", "Type the platform's secret.")])
        return await self.save(doc, by=by, why=f"platform {name} {'on' if enabled else 'off'}")

    # -- payment gateways (Shop setup → Payments) ---------------------------------------------------------
    async def payment_secrets_stored(self, name: str) -> dict[str, bool]:
        """Which of gateway ``name``'s keyring entries hold a value (never the values: the screen shows only
        that one is stored)."""
        specs = [spec for spec in GATEWAY_FORMS[name] if spec.secret]

        def read() -> dict[str, bool]:
            return {spec.key: bool(self.get_secret(f"payments.{name}.{spec.key}")) for spec in specs}

        return await asyncio.to_thread(read)

    async def save_payment_gateway(
        self,
        name: str,
        fields: Mapping[str, str],
        secrets: Mapping[str, str],
        *,
        enabled: bool,
        sandbox: bool,
        by: str,
    ) -> Settings:
        """Gateway ``name``'s settings: its ids to ``[payments.<name>]``, whether the counter offers it
        (``[payments] enabled``), test mode; each key typed to the keyring as ``payments.<name>.<key>`` (an
        empty box keeps the stored one). An enabled gateway needs every required field and key."""
        if name not in GATEWAY_FORMS:
            raise NotFoundError(f"{name} is not a payment gateway posapp knows.")
        specs = GATEWAY_FORMS[name]
        doc = copy.deepcopy(await self.document())
        section: dict[str, Any] = dict(doc.get("payments") or {})
        table: dict[str, Any] = dict(section.get(name) or {})
        for spec in specs:
            if spec.secret:
                continue
            value = str(fields.get(spec.key, "")).strip()
            table.pop(spec.key, None)
            if spec.key == "readers":
                readers = [r.strip() for r in value.replace("\n", ",").split(",") if r.strip()]
                if readers:
                    table["readers"] = readers
                    table["reader_id"] = readers[0]  # the gateway's default reader
                else:
                    table.pop("reader_id", None)
            elif value:
                table[spec.key] = value
        table["sandbox"] = sandbox
        typed = {k: v.strip() for k, v in secrets.items() if v.strip()}
        misshapen = [
            Problem(f"[payments.{name}] {key}", SECRET_SHAPES[(name, key)][1])
            for key, value in typed.items()
            if (name, key) in SECRET_SHAPES and not value.startswith(SECRET_SHAPES[(name, key)][0])
        ]
        if misshapen:
            raise SettingsInvalid(misshapen)  # nothing stored: the manager pastes it again
        stored = await self.payment_secrets_stored(name)
        if enabled:
            problems = [
                Problem(f"[payments.{name}] {spec.key}", f"Type the {spec.label}.")
                for spec in specs
                if spec.required
                and not (typed.get(spec.key) or stored.get(spec.key) if spec.secret else table.get(spec.key))
            ]
            if problems:
                raise SettingsInvalid(problems)
        on = [str(n) for n in section.get("enabled") or [] if str(n) != name]
        section["enabled"] = [*on, name] if enabled else on
        section[name] = table
        doc["payments"] = section
        problems = self.problems(doc)
        if problems:
            raise SettingsInvalid(problems)
        for key, value in typed.items():
            if key in {spec.key for spec in specs if spec.secret}:
                await asyncio.to_thread(self.set_secret, f"payments.{name}.{key}", value)
        return await self.save(doc, by=by, why=f"payment gateway {name} {'on' if enabled else 'off'}")

    async def remove_platform(self, name: str, *, by: str) -> Settings:
        def edit(doc: dict[str, Any]) -> None:
            if doc.get("platforms", {}).pop(name, None) is None:
                raise NotFoundError(f"{name} is not set up.")

        return await self._change(by, f"platform {name} removed", edit)

    async def test_connection(self, name: str, fields: Mapping[str, str], secret: str | None) -> CheckResult:
        """One real authenticated call to the platform with these credentials (nothing stored, nothing changed)."""
        secret = secret or self.get_secret(f"{name}-secret") or ""
        connector = registry.make(
            name, base_url=fields.get("base_url", ""), app_id=fields.get("app_id", ""), secret=secret
        )
        options = {k: v for k, v in fields.items() if k not in ("base_url", "app_id", "secret")}
        for key, value in options.items():
            if isinstance(getattr(connector, key, None), str):
                setattr(connector, key, str(value))
        connector.configure(options, lambda _ref: None)
        dates: list[str] = []

        async def remember_date(response: httpx.Response) -> None:
            if "date" in response.headers:
                dates.append(response.headers["date"])

        async with httpx.AsyncClient(
            timeout=httpx.Timeout(8.0, connect=4.0), event_hooks={"response": [remember_date]}
        ) as client:
            try:
                shop = await connector.check(client)
            except CheckFailed as exc:
                problem = exc.problem
                if problem is CheckProblem.WRONG_SECRET and self._skewed(dates):
                    problem = CheckProblem.CLOCK_SKEW
                log.info("test connection %s: %s", name, exc)
                return CheckResult(False, name, problem=problem, detail=exc.detail)
            except (httpx.TransportError, OSError) as exc:
                log.info("test connection %s: %s", name, type(exc).__name__)
                return CheckResult(False, name, problem=CheckProblem.NO_NETWORK, detail=type(exc).__name__)
            except (httpx.HTTPStatusError, ValueError, PosappError) as exc:
                log.info("test connection %s refused: %s", name, exc)
                return CheckResult(False, name, problem=CheckProblem.REFUSED, detail=str(exc))
        if self._skewed(dates):
            return CheckResult(False, name, shop=shop, problem=CheckProblem.CLOCK_SKEW)
        return CheckResult(True, name, shop=shop)

    def _skewed(self, dates: list[str]) -> bool:
        for text in dates:
            try:
                theirs = parsedate_to_datetime(text)
            except (TypeError, ValueError):
                continue
            if theirs.tzinfo is None:
                theirs = theirs.replace(tzinfo=UTC)
            if abs(theirs - self.clock()) > MAX_SKEW:
                return True
        return False

    def webhook_url(self, name: str) -> str:
        """The exact address to register in the platform's console for its pushes ("" if it only polls)."""
        path = registry.connector_class(name).webhook_path
        if not path:
            return ""
        settings = self.current()
        public = str((settings.raw.get("listener") or {}).get("public_url") or "").rstrip("/")
        if public:
            return f"{public}{path}"
        host = settings.listen_host
        if host in ("127.0.0.1", "0.0.0.0", "localhost", "::"):
            host = local_address() if host != "127.0.0.1" else host
        port = self.listen_port() or settings.listen_port
        return f"http://{host}:{port}{path}"

    # -- printers ------------------------------------------------------------------------------------------
    async def find_printers(self) -> list[FoundPrinter]:
        """CUPS queues and USB printers (quick, local); the network scan is separate and on purpose."""
        cups, usb = await asyncio.gather(asyncio.to_thread(cups_queues), asyncio.to_thread(usb_printers))
        return cups + usb

    async def scan_network(self, network: str | None = None, *, port: int = 9100) -> list[FoundPrinter]:
        return await scan_network(network, port=port)

    async def probe_address(self, host: str, port: int = 9100) -> bool:
        return await probe(host, port, timeout=1.5)

    async def test_print(self, name: str, fields: Mapping[str, Any]) -> TestPrint:
        """Send the test page to a printer as these fields describe it, now; the page's preview either way."""
        from posapp.printing.layouts import TicketContext, printer_test_page
        from posapp.printing.preview import render_preview
        from posapp.services.printing import build_printer

        doc = copy.deepcopy(await self.document())
        doc.setdefault("printers", {})[name] = dict(fields)
        problems = [p for p in self.problems(doc) if p.key.startswith(f"[printers.{name}]")]
        if problems:
            return TestPrint(False, problems[0].sentence)
        settings = settings_from_document(doc, source="Settings")
        ps = next(p for p in settings.printers if p.name == name)
        printer = build_printer(ps)
        ctx = TicketContext(store_name=settings.store_name, tz=settings.tz)
        page = printer_test_page(printer.label, ctx, uri=ps.uri, profile=printer.profile.name)

        def preview() -> bytes:
            out = io.BytesIO()
            render_preview(page, printer.profile).save(out, format="PNG")
            return out.getvalue()

        png = await asyncio.to_thread(preview)
        try:
            await asyncio.to_thread(printer.transport.send, printer.renderer.render(page))
        except PrinterOffline as exc:
            return TestPrint(False, str(exc), png)
        return TestPrint(True, "", png)

    async def save_printer(self, name: str, fields: Mapping[str, Any], *, by: str) -> Settings:
        def edit(doc: dict[str, Any]) -> None:
            doc.setdefault("printers", {})[name] = {k: v for k, v in fields.items() if v not in (None, "")}

        return await self._change(by, f"printer {name}", edit)

    async def remove_printer(self, name: str, *, by: str) -> Settings:
        def edit(doc: dict[str, Any]) -> None:
            if doc.get("printers", {}).pop(name, None) is None:
                raise NotFoundError(f"No printer named {name}.")

        return await self._change(by, f"printer {name} removed", edit)

    async def save_routes(self, routes: Mapping[str, str], default_station: str, *, by: str) -> Settings:
        def edit(doc: dict[str, Any]) -> None:
            printing = doc.setdefault("printing", {})
            printing["routes"] = {k.strip(): v.strip() for k, v in routes.items() if k.strip() and v.strip()}
            printing["default_station"] = default_station

        return await self._change(by, "print routes", edit)

    def printer_settings(self) -> list[PrinterSettings]:
        return list(self.current().printers)

    # -- start with the shop ----------------------------------------------------------------------------
    def starts_at_login(self) -> bool:
        from posapp import autostart

        return autostart.is_enabled()

    async def set_start_at_login(self, on: bool, *, by: str) -> bool:
        """Start posapp full screen at login on this data folder (or stop doing so); audited."""
        from posapp import autostart

        if on:
            await asyncio.to_thread(autostart.enable, self.data_dir)
        else:
            await asyncio.to_thread(autostart.disable)
        now = self.clock()
        await self.db.run(lambda s: audit.record(s, "autostart", at=now, by=by, detail="on" if on else "off"))
        return on

    # -- staff ---------------------------------------------------------------------------------------------
    async def staff(self) -> list[StaffMember]:
        now = self.clock()
        users = await self.db.run(user_store.list_users)
        return [
            StaffMember(u.name, u.role, u.locked_until is not None and _aware(u.locked_until) > now)
            for u in users
        ]

    async def add_staff(self, name: str, role: str, pin: str, again: str, *, by: str) -> StaffMember:
        if pin != again:
            raise PinRejected("The two PINs differ.")
        if role not in {r.value for r in Role}:
            raise PinRejected(f"Unknown role {role}.")
        user = await self.auth.create_user(name, role, pin, by=by)
        return StaffMember(user.name, user.role.value, False)

    async def remove_staff(self, name: str, *, by: str) -> None:
        now = self.clock()

        def work(session: Session) -> None:
            found = user_store.find_user(session, name)
            if found is None:
                raise NotFoundError(f"No one called {name}.")
            managers = [u for u in user_store.list_users(session) if u.role == Role.MANAGER.value]
            if found.role == Role.MANAGER.value and len(managers) == 1:
                raise PinRejected("Keep at least one manager: add another before removing this one.")
            user_store.delete_user(session, found.id)
            audit.record(session, "user_removed", at=now, by=by, detail=name)

        await self.db.run(work)

    async def reset_pin(self, name: str, pin: str, again: str, *, by: str) -> None:
        from posapp.services.auth import check_new_pin, hash_pin

        if pin != again:
            raise PinRejected("The two PINs differ.")
        check_new_pin(pin)
        pin_hash = await asyncio.to_thread(hash_pin, pin, params=self.auth.params)
        now = self.clock()

        def work(session: Session) -> None:
            found = user_store.find_user(session, name)
            if found is None:
                raise NotFoundError(f"No one called {name}.")
            user_store.set_pin_hash(session, found.id, pin_hash)
            user_store.set_attempts(session, found.id, 0, None)
            audit.record(session, "pin_reset", at=now, by=by, detail=name)

        await self.db.run(work)

    async def lift_lockout(self, name: str, *, by: str) -> None:
        now = self.clock()

        def work(session: Session) -> None:
            found = user_store.find_user(session, name)
            if found is None:
                raise NotFoundError(f"No one called {name}.")
            user_store.set_attempts(session, found.id, 0, None)
            audit.record(session, "lockout_lifted", at=now, by=by, detail=name)

        await self.db.run(work)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
