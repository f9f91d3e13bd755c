"""Typed settings loaded from TOML in the platformdirs config dir; secrets by keyring reference only."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from posapp.errors import ConfigError

APP_NAME = "posapp"
# Keys of the database's settings table that more than one part reads: the settings document the setup screens
# keep (services/setup.py), and the screen preferences saved from the counter (services/kitchen.py); the
# counter's first paint reads both without the engine (ui/launch.py).
SETTINGS_DOCUMENT_KEY = "config.document"
UI_PREFS_KEY = "ui"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(frozen=True, slots=True)
class PlatformSettings:
    """One platform channel: where its API is, who we are there, and the keyring name of its secret."""

    name: str
    base_url: str
    app_id: str = ""
    secret_ref: str = ""  # keyring entry name under service "posapp"; never the secret itself
    enabled: bool = True
    auto_accept: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    auto_cancel_minutes: float | None = None  # the NEW card's countdown (domain/autocancel.py); None: default


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """One thermal printer: where it is, what it prints (its role or station) and how its font encodes."""

    name: str
    uri: str
    role: str = (
        "kitchen"  # "counter" prints receipts; any other role is a kitchen station (kitchen, bar, ...)
    )
    width: int | None = None  # paper mm, 58 or 80 (default: the profile's)
    encoding: str | None = None  # gb18030, gbk, big5, cp437, ... (default: the profile's)
    profile: str | None = None  # generic-80, generic-58, epson-tm-t88, escpos:<model>, ...
    label: str = ""  # what staff see: "Kitchen printer"
    timeout: float = 3.0
    status_query: bool | None = None  # ask the printer for paper/cover state (DLE EOT); default: profile's
    enabled: bool = True
    backup: str | None = None  # the printer that takes this one's tickets when it stays offline
    failover_after: float = 60.0  # seconds offline before its waiting tickets go to ``backup``
    drawer: bool = False  # a cash drawer hangs on this printer's drawer port: it opens for cash taken

    @property
    def display(self) -> str:
        return self.label or f"{self.name.replace('_', ' ').capitalize()} printer"


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Head-office upload: where to send, who we are, and the keyring name of the bearer token."""

    enabled: bool = False
    endpoint: str = ""  # e.g. https://hq.example.com/v1/batches
    store_id: str = ""
    token_ref: str = "hq-upload-token"  # keyring entry name under service "posapp"; never the token
    batch_size: int = 100
    retention_days: float = 7.0
    timeout_seconds: float = 10.0

    @property
    def configured(self) -> bool:
        return bool(self.endpoint and self.store_id)


@dataclass(frozen=True, slots=True)
class Settings:
    store_name: str = "posapp"
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    listen_host: str = "127.0.0.1"
    listen_port: int = 8787
    screens_host: str = "127.0.0.1"  # the screen API (docs/screen-api.md); loopback unless opened on purpose
    screens_port: int = 8788
    lateness_warn_minutes: int = 10
    lateness_late_minutes: int = 20
    theme: str = "dark"
    font_scale: float = 1.0
    language: str | None = None  # "en", "zh_CN", or None to follow the system
    accept_alarm_minutes: int = 3
    platforms: tuple[PlatformSettings, ...] = ()
    sync: SyncSettings = field(default_factory=SyncSettings)
    raw: dict[str, Any] = field(default_factory=dict)
    printers: tuple[PrinterSettings, ...] = ()
    print_routes: dict[str, str] = field(default_factory=dict)  # menu category -> station
    default_station: str = "kitchen"

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except ZoneInfoNotFoundError as exc:
            raise ConfigError(f"unknown time zone {self.timezone!r} in settings") from exc


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path`` (default: the config dir); a missing file gives the defaults.

    The whole file is validated first: ``SettingsInvalid`` names the file, the key and what is wrong."""
    path = path or default_config_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
    return settings_from_document(data, source=path.name)


def settings_from_document(data: dict[str, Any], *, source: str = "config.toml") -> Settings:
    """Typed settings from a settings document (a TOML file's tables, or the copy kept in the database)."""
    from posapp.settings_schema import validate_document

    doc = validate_document(data, source=source)
    store, ui, sync = doc.store, doc.ui, doc.sync
    platforms = tuple(
        PlatformSettings(
            name=name,
            base_url=p.base_url,
            app_id=p.app_id,
            secret_ref=f"{name}-secret" if p.secret_ref is None else p.secret_ref,
            enabled=p.enabled,
            auto_accept=p.auto_accept,
            options=dict(p.model_extra or {}),
            auto_cancel_minutes=p.auto_cancel_minutes,
        )
        for name, p in doc.platforms.items()
    )
    printers = tuple(PrinterSettings(name=name, **p.model_dump()) for name, p in doc.printers.items())
    return Settings(
        store_name=store.name,
        timezone=store.timezone,
        currency=store.currency,
        listen_host=doc.listener.host,
        listen_port=doc.listener.port,
        screens_host=doc.screens.host,
        screens_port=doc.screens.port,
        lateness_warn_minutes=ui.lateness_warn_minutes,
        lateness_late_minutes=ui.lateness_late_minutes,
        theme=ui.theme,
        font_scale=ui.font_scale,
        language=ui.language,
        accept_alarm_minutes=ui.accept_alarm_minutes,
        platforms=platforms,
        sync=SyncSettings(
            enabled=bool(sync.endpoint) if sync.enabled is None else sync.enabled,
            endpoint=sync.endpoint,
            store_id=sync.store_id,
            token_ref=sync.token_ref,
            batch_size=sync.batch_size,
            retention_days=sync.retention_days,
            timeout_seconds=sync.timeout_seconds,
        ),
        raw=data,
        printers=printers,
        print_routes=dict(doc.printing.routes),
        default_station=doc.printing.default_station,
    )
