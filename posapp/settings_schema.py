"""Every setting declared once: the settings document (config.toml, or the copy kept in the database) as
pydantic models, validated as a whole, each mistake one sentence naming the file, the key and what is wrong."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from posapp.errors import ConfigError

# The platforms posapp has a connector for (posapp/connectors/registry.py; kept here so reading the settings
# imports no connector). tests/unit/test_settings_schema.py checks both lists agree.
KNOWN_PLATFORMS = ("doordash", "eleme", "meituan", "own", "ubereats", "demo")
SECRET_WORDS = (
    "secret",
    "password",
    "token",
    "key",
)  # option names that must hold a keyring name, not a value


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake: the key as the file spells it (``[ui] lateness_warn_minutes``) and the sentence to show."""

    key: str
    sentence: str


class SettingsInvalid(ConfigError):
    """The settings document has mistakes; ``problems`` holds one sentence each, ``str()`` all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.sentence for p in problems))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"is not a time zone posapp knows (write one such as Asia/Shanghai), not {value!r}"
        ) from None
    return value


class StoreSection(_Section):
    name: Annotated[str, Field(min_length=1, max_length=80)] = "posapp"
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    address: str = ""
    phone: str = ""

    @field_validator("timezone")
    @classmethod
    def check_zone(cls, value: str) -> str:
        return _zone(value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(f"must be a three-letter ISO 4217 code such as CNY or USD, not {value!r}")
        return value


class HostPort(_Section):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8787  # 0: any free port (tests)
    # The address platforms reach this listener at (a tunnel or reverse proxy), shown as the webhook URL.
    public_url: str = ""


class ScreensSection(_Section):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8788


class UiSection(_Section):
    lateness_warn_minutes: Annotated[int, Field(ge=1, le=240)] = 10
    lateness_late_minutes: Annotated[int, Field(ge=1, le=480)] = 20
    theme: Literal["dark", "light"] = "dark"
    font_scale: Annotated[float, Field(ge=0.5, le=3.0)] = 1.0
    language: Literal["en", "zh_CN"] | None = None
    accept_alarm_minutes: Annotated[int, Field(ge=1, le=60)] = 3

    @model_validator(mode="after")
    def _late_after_warn(self) -> UiSection:
        if self.lateness_late_minutes < self.lateness_warn_minutes:
            raise ValueError(
                "lateness_late_minutes must not be smaller than lateness_warn_minutes "
                f"({self.lateness_late_minutes} < {self.lateness_warn_minutes})"
            )
        return self


class PlatformSection(BaseModel):
    """One platform; platform-specific options (poi_code, shop_id, store_id, ...) are allowed beside these."""

    model_config = ConfigDict(extra="allow", frozen=True)
    base_url: str = ""
    app_id: str = ""
    secret_ref: str | None = None
    enabled: bool = True
    auto_accept: bool = False
    # Minutes the platform waits for an accept before it cancels the order (the NEW card counts them down);
    # unset: the platform's documented window (posapp/domain/autocancel.py), or no countdown if it has none.
    auto_cancel_minutes: Annotated[float, Field(gt=0, le=120)] | None = None

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"must be a web address starting with https://, not {value!r}")
        return value

    @model_validator(mode="after")
    def _no_secret_values(self) -> PlatformSection:
        for key, value in (self.model_extra or {}).items():
            if any(w in key.lower() for w in SECRET_WORDS) and not key.endswith("_ref"):
                raise ValueError(
                    f"{key} looks like a secret: secrets go in the keyring, the settings only name them "
                    f'({key}_ref = "...")'
                )
            if not isinstance(value, str | int | float | bool):
                raise ValueError(f"{key} must be text, a number or true/false")
        return self


class PrinterSection(_Section):
    uri: Annotated[str, Field(min_length=1)]
    role: Annotated[str, Field(min_length=1, max_length=40)] = "kitchen"
    width: Literal[58, 80] | None = None
    encoding: str | None = None
    profile: str | None = None
    label: str = ""
    timeout: Annotated[float, Field(gt=0, le=60)] = 3.0
    status_query: bool | None = None
    enabled: bool = True
    backup: str | None = None  # another printer's name: it takes this one's tickets while this one is offline
    failover_after: Annotated[float, Field(gt=0, le=3600)] = 60.0
    drawer: bool = False  # a cash drawer on this printer's drawer port (opened for cash, or Open drawer)

    @field_validator("uri")
    @classmethod
    def _uri(cls, value: str) -> str:
        from posapp.printing.transports import open_transport

        try:
            open_transport(value)
        except ConfigError as exc:
            raise ValueError(f"is not usable: {exc}") from None
        return value

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"is not an encoding posapp knows (gb18030, gbk, big5, cp437, ...), not {value!r}"
            ) from None
        return value.lower()

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str | None) -> str | None:
        if value is None or value.startswith("escpos:"):
            return value
        from posapp.printing.profiles import PROFILES

        if value not in PROFILES:
            raise ValueError(
                f"is not a printer profile posapp knows ({', '.join(sorted(PROFILES))}), not {value!r}"
            )
        return value


class PrintingSection(_Section):
    routes: dict[str, str] = Field(default_factory=dict)
    default_station: Annotated[str, Field(min_length=1)] = "kitchen"
    footer: str | None = None


def _cutoff(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError(f"must be a time of day written HH:MM, such as 04:00, not {value!r}")
    return value


class ReportsSection(_Section):
    day_cutoff: str = "04:00"
    late_prep_minutes: Annotated[int, Field(ge=1, le=240)] = 20
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 90
    manager_lock_seconds: Annotated[int, Field(ge=10, le=3600)] = 120

    @field_validator("day_cutoff")
    @classmethod
    def check_cutoff(cls, value: str) -> str:
        return _cutoff(value)


class SyncSection(_Section):
    enabled: bool | None = None
    endpoint: str = ""
    store_id: str = ""
    token_ref: str = "hq-upload-token"
    batch_size: Annotated[int, Field(ge=1, le=10000)] = 100
    retention_days: Annotated[float, Field(ge=0)] = 7.0
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0


class BackupSection(_Section):
    folder: str = ""  # where the nightly copy goes (a USB stick); empty: no nightly backup
    keep: Annotated[int, Field(ge=1, le=365)] = 7
    at: str = "03:30"  # local time of the nightly copy

    @field_validator("at")
    @classmethod
    def check_at(cls, value: str) -> str:
        return _cutoff(value)


class CashSection(_Section):
    """``[cash]``: the drawer's opening float (a major-unit string such as "500.00") and, per currency, the
    denominations to count in minor units when the built-in CNY/USD/EUR lists do not fit."""

    opening_float: str = "0"
    denominations: dict[str, list[Annotated[int, Field(gt=0, le=100_000_000)]]] = Field(default_factory=dict)

    @field_validator("opening_float")
    @classmethod
    def check_float(cls, value: str) -> str:
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"must be an amount such as 500.00, not {value!r}") from None
        if not number.is_finite() or number < 0:
            raise ValueError(f"must be an amount of 0 or more, such as 500.00, not {value!r}")
        return value


# The payment gateways posapp has a module for (posapp/payments/registry.py; kept here so reading the settings
# imports no gateway). tests/unit/test_payment_settings.py checks both lists agree.
PAYMENT_GATEWAYS = ("alipay", "wechat", "stripe")


class GatewaySection(_Section):
    """``[payments.<gateway>]``: the non-secret part the gateway's module reads (app id, merchant id, readers,
    test mode; ``base_url`` points it at a simulator). Its keys go to the keyring as ``payments.<gateway>.<key>``."""

    model_config = ConfigDict(extra="allow", frozen=True)
    sandbox: bool = False
    base_url: str = ""
    readers: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_secrets(self) -> GatewaySection:
        for key, value in (self.model_extra or {}).items():
            if any(w in key.lower() for w in SECRET_WORDS):
                raise ValueError(
                    f"{key} looks like a secret: gateway keys go in the keyring (Settings → Payments), "
                    "never in the settings"
                )
            if not isinstance(value, str | int | float | bool):
                raise ValueError(f"{key} must be text, a number or true/false")
        return self


class PaymentsSection(_Section):
    """``[payments]``: which gateways the counter offers, in this order, and each one's table."""

    enabled: list[Literal["alipay", "wechat", "stripe"]] = Field(default_factory=list)
    alipay: GatewaySection = GatewaySection()
    wechat: GatewaySection = GatewaySection()
    stripe: GatewaySection = GatewaySection()


class Document(BaseModel):
    """The whole settings document. Unknown top-level tables are left to their owners ([hub], [manual], ...)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    store: StoreSection = StoreSection()
    listener: HostPort = HostPort()  # the webhook listener
    screens: ScreensSection = ScreensSection()
    ui: UiSection = UiSection()
    platforms: dict[str, PlatformSection] = Field(default_factory=dict)
    printers: dict[str, PrinterSection] = Field(default_factory=dict)
    printing: PrintingSection = PrintingSection()
    reports: ReportsSection = ReportsSection()
    sync: SyncSection = SyncSection()
    backup: BackupSection = BackupSection()
    cash: CashSection = CashSection()
    payments: PaymentsSection = PaymentsSection()

    @field_validator("platforms", mode="before")
    @classmethod
    def _known_platforms(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for name in value:
                if name not in KNOWN_PLATFORMS:
                    known = ", ".join(p for p in KNOWN_PLATFORMS if p != "demo")
                    raise ValueError(
                        f"[platforms.{name}] is not a platform posapp knows; choose from {known}"
                    )
        return value

    @model_validator(mode="after")
    def _backups_exist(self) -> Document:
        for name, printer in self.printers.items():
            if printer.backup is None:
                continue
            if printer.backup == name:
                raise ValueError(f"[printers.{name}] backup must name another printer, not itself")
            if printer.backup not in self.printers:
                known = ", ".join(n for n in self.printers if n != name) or "none"
                raise ValueError(
                    f"[printers.{name}] backup names no printer in the settings: {printer.backup!r} "
                    f"(printers: {known})"
                )
        return self


def validate_document(data: dict[str, Any], *, source: str = "config.toml") -> Document:
    """The validated document; ``SettingsInvalid`` with one sentence per mistake otherwise."""
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        raise SettingsInvalid([_problem(e, source) for e in exc.errors()]) from None


def _key(loc: tuple[int | str, ...]) -> str:
    """``("platforms", "meituan", "base_url")`` -> ``[platforms.meituan] base_url``."""
    parts = [str(p) for p in loc]
    if not parts:
        return "the settings"
    nested = parts[0] in ("platforms", "printers") and len(parts) > 1
    nested = nested or (parts[0] == "payments" and len(parts) > 1 and parts[1] in PAYMENT_GATEWAYS)
    table = ".".join(parts[:2]) if nested else parts[0]
    rest = parts[2:] if nested else parts[1:]
    return f"[{table}] {'.'.join(rest)}" if rest else f"[{table}]"


_WHAT = {
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text in quotes",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
}


def _problem(error: Any, source: str) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        if message.startswith("["):  # a sentence that names its own table ([platforms.foo] ...)
            return Problem(_key(loc), f"{source}: {message}.")
        key = _key(loc)
        return Problem(key, f"{source}: {key} {message}.")
    key = _key(loc)
    if kind in _WHAT:
        what = f"{_WHAT[kind]}, not {given!r}"
    elif kind == "missing":
        what = "is missing"
    elif kind == "extra_forbidden":
        what = "is not a setting posapp knows (check its spelling)"
    elif kind in ("greater_than_equal", "greater_than"):
        what = f"must be at least {ctx.get('ge', ctx.get('gt'))}, not {given!r}"
    elif kind in ("less_than_equal", "less_than"):
        what = f"must be at most {ctx.get('le', ctx.get('lt'))}, not {given!r}"
    elif kind == "literal_error":
        what = f"must be one of {ctx.get('expected')}, not {given!r}"
    elif kind in ("string_too_short",):
        what = "must not be empty"
    elif kind in ("string_too_long",):
        what = f"must be at most {ctx.get('max_length')} characters"
    else:
        what = f"is not valid ({error['msg']})"
    return Problem(key, f"{source}: {key} {what}.")
