"""Where bundled resources (CJK font, chime) live: the repo's resources/ or PyInstaller's bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


CJK_FONT = ("fonts", "wqy-microhei.ttc")
ORDER_SCHEMA = ("schema", "order.schema.json")  # the canonical order website developers send (README)
ICON = ("icons", "posapp.png")  # tools/make_icon.py draws it (and the Windows .ico beside it)
