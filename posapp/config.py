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
    language: str | None = None  # "en", "zh_CN", or None to follow the system
    accept_alarm_minutes: int = 3
    platforms: tuple[PlatformSettings, ...] = ()
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
        language=ui.get("language"),
        accept_alarm_minutes=int(ui.get("accept_alarm_minutes", 3)),
        platforms=platforms,
        raw=data,
    )
