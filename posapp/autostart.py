"""Start posapp with the shop: an XDG autostart entry on Linux, a Startup-folder entry on Windows, in kiosk
mode. Both are ordinary files in the user's own folders; nothing system-wide and no secret is written."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

ENTRY_NAME = "posapp"


def command(data_dir: Path | None = None) -> list[str]:
    """How the login starts posapp: the installed program (or this Python), full screen."""
    frozen = getattr(sys, "frozen", False)  # the PyInstaller bundle is its own program
    argv = [sys.executable] if frozen else [sys.executable, "-m", "posapp"]
    argv.append("--kiosk")
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    return argv


def entry_path(home: Path | None = None) -> Path:
    """Where the entry goes for this user on this system."""
    if sys.platform == "win32":
        appdata = Path(os.environ.get("APPDATA") or (home or Path.home()) / "AppData" / "Roaming")
        return appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / f"{ENTRY_NAME}.cmd"
    config = os.environ.get("XDG_CONFIG_HOME")
    base = Path(config) if config and home is None else (home or Path.home()) / ".config"
    return base / "autostart" / f"{ENTRY_NAME}.desktop"


def desktop_entry(argv: list[str]) -> str:
    """A freedesktop.org autostart entry (Desktop Entry Specification 1.5, Exec quoting rules)."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=posapp\n"
        "Comment=Kitchen-counter queue for every delivery platform\n"
        f"Exec={shlex.join(argv)}\n"
        "Icon=posapp\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def windows_entry(argv: list[str]) -> str:
    return '@echo off\r\nstart "" ' + " ".join(f'"{a}"' for a in argv) + "\r\n"


def is_enabled(home: Path | None = None) -> bool:
    return entry_path(home).exists()


def enable(data_dir: Path | None = None, home: Path | None = None) -> Path:
    """Write the entry (replacing an older one); returns where it went."""
    path = entry_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    argv = command(data_dir)
    text = windows_entry(argv) if path.suffix == ".cmd" else desktop_entry(argv)
    path.write_text(text, encoding="utf-8")
    return path


def disable(home: Path | None = None) -> bool:
    """Remove the entry; False when there was none."""
    path = entry_path(home)
    if not path.exists():
        return False
    path.unlink()
    return True
