"""Start with the shop: the login entry starts posapp full screen on this data folder, and goes again."""

from __future__ import annotations

import configparser
import shlex
import sys
from pathlib import Path

import pytest

from posapp import autostart
from posapp.cli import main


@pytest.mark.skipif(sys.platform == "win32", reason="the XDG entry")
def test_autostart_writes_an_xdg_entry_that_starts_posapp_in_kiosk_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert main(["autostart", "on", "--data-dir", str(tmp_path / "shop")]) == 0
    entry = tmp_path / "config" / "autostart" / "posapp.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry, encoding="utf-8")
    desktop = parser["Desktop Entry"]
    argv = shlex.split(desktop["Exec"])
    assert desktop["Type"] == "Application" and argv[-3:] == ["--kiosk", "--data-dir", str(tmp_path / "shop")]
    assert autostart.is_enabled()
    assert main(["autostart", "off"]) == 0
    assert not entry.exists() and not autostart.is_enabled()


def test_the_windows_entry_is_a_startup_command(tmp_path: Path) -> None:
    text = autostart.windows_entry(["C:\\posapp\\posapp.exe", "--kiosk"])
    assert text.startswith("@echo off") and '"C:\\posapp\\posapp.exe" "--kiosk"' in text
