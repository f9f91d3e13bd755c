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


def _sync_settings(data: dict[str, Any]) -> SyncSettings:
    d = SyncSettings()
    try:
        return SyncSettings(
            enabled=bool(data.get("enabled", bool(data.get("endpoint")))),
            endpoint=str(data.get("endpoint", d.endpoint)),
            store_id=str(data.get("store_id", d.store_id)),
            token_ref=str(data.get("token_ref", d.token_ref)),
            batch_size=max(1, int(data.get("batch_size", d.batch_size))),
            retention_days=float(data.get("retention_days", d.retention_days)),
            timeout_seconds=float(data.get("timeout_seconds", d.timeout_seconds)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"the [sync] settings are not valid: {exc}") from exc


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
    """Read settings from ``path`` (default: the config dir); a missing file gives the defaults."""
    path = path or default_config_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
    store = data.get("store", {})
    platforms = tuple(
        PlatformSettings(
            name=name,
            base_url=str(p.get("base_url", "")),
            app_id=str(p.get("app_id", "")),
            secret_ref=str(p.get("secret_ref", f"{name}-secret")),
            enabled=bool(p.get("enabled", True)),
            auto_accept=bool(p.get("auto_accept", False)),
            options={
                k: v
                for k, v in p.items()
                if k not in {"base_url", "app_id", "secret_ref", "enabled", "auto_accept"}
            },
        )
        for name, p in data.get("platforms", {}).items()
    )
    ui = data.get("ui", {})
    listen = data.get("listener", {})
    printing = data.get("printing", {})
    return Settings(
        store_name=str(store.get("name", "posapp")),
        timezone=str(store.get("timezone", "Asia/Shanghai")),
        currency=str(store.get("currency", "CNY")),
        listen_host=str(listen.get("host", "127.0.0.1")),
        listen_port=int(listen.get("port", 8787)),
        screens_host=str(data.get("screens", {}).get("host", "127.0.0.1")),
        screens_port=int(data.get("screens", {}).get("port", 8788)),
        lateness_warn_minutes=int(ui.get("lateness_warn_minutes", 10)),
        lateness_late_minutes=int(ui.get("lateness_late_minutes", 20)),
        theme=str(ui.get("theme", "dark")),
        font_scale=float(ui.get("font_scale", 1.0)),
        language=ui.get("language"),
        accept_alarm_minutes=int(ui.get("accept_alarm_minutes", 3)),
        platforms=platforms,
        sync=_sync_settings(data.get("sync", {})),
        raw=data,
        printers=_printers(data.get("printers", {})),
        print_routes={str(k): str(v) for k, v in printing.get("routes", {}).items()},
        default_station=str(printing.get("default_station", "kitchen")),
    )


def _printers(table: dict[str, Any]) -> tuple[PrinterSettings, ...]:
    out = []
    for name, p in table.items():
        if not isinstance(p, dict) or not p.get("uri"):
            raise ConfigError(f"printer {name!r} in settings needs a uri (tcp://host:9100, usb:VID:PID, ...)")
        width = p.get("width")
        if width is not None and int(width) not in (58, 80):
            raise ConfigError(f"printer {name!r}: width must be 58 or 80 (mm), not {width!r}")
        status = p.get("status_query")
        out.append(
            PrinterSettings(
                name=str(name),
                uri=str(p["uri"]),
                role=str(p.get("role", "kitchen")),
                width=None if width is None else int(width),
                encoding=None if p.get("encoding") is None else str(p["encoding"]).lower(),
                profile=None if p.get("profile") is None else str(p["profile"]),
                label=str(p.get("label", "")),
                timeout=float(p.get("timeout", 3.0)),
                status_query=None if status is None else bool(status),
                enabled=bool(p.get("enabled", True)),
            )
        )
    return tuple(out)
