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
    lateness_warn_minutes: int = 10
    lateness_late_minutes: int = 20
    theme: str = "dark"
    font_scale: float = 1.0
    platforms: tuple[PlatformSettings, ...] = ()
    sync: SyncSettings = field(default_factory=SyncSettings)
    raw: dict[str, Any] = field(default_factory=dict)

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
    return Settings(
        store_name=str(store.get("name", "posapp")),
        timezone=str(store.get("timezone", "Asia/Shanghai")),
        currency=str(store.get("currency", "CNY")),
        listen_host=str(listen.get("host", "127.0.0.1")),
        listen_port=int(listen.get("port", 8787)),
        lateness_warn_minutes=int(ui.get("lateness_warn_minutes", 10)),
        lateness_late_minutes=int(ui.get("lateness_late_minutes", 20)),
        theme=str(ui.get("theme", "dark")),
        font_scale=float(ui.get("font_scale", 1.0)),
        platforms=platforms,
        sync=_sync_settings(data.get("sync", {})),
        raw=data,
    )
