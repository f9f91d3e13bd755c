"""`posapp config import|export`: TOML for scripted roll-outs into the settings the screens keep; a file with a
mistake is refused whole; the stored settings are what the engine starts with (unless --config pins a file)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from posapp.cli import main
from posapp.config import Settings, load_settings
from posapp.engine import Engine, EngineOptions

SHOP = """
[store]
name = "老王面馆"
timezone = "Asia/Shanghai"
currency = "CNY"

[printers.kitchen]
uri = "tcp://192.168.1.50:9100"
width = 80

[printing.routes]
"饮料 Drinks" = "bar"
"""


def test_import_then_export_round_trips_and_the_engine_starts_with_it(
    tmp_path: Path, arun: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    data, src, out = tmp_path / "data", tmp_path / "shop.toml", tmp_path / "out.toml"
    src.write_text(SHOP, encoding="utf-8")
    assert main(["config", "import", str(src), "--data-dir", str(data)]) == 0
    assert main(["config", "export", str(out), "--data-dir", str(data)]) == 0
    assert tomllib.loads(out.read_text(encoding="utf-8")) == tomllib.loads(SHOP)
    engine = Engine(EngineOptions(data_dir=data, settings=Settings(listen_port=0, screens_port=0)))
    arun(engine.open())
    try:
        assert engine.settings.store_name == "老王面馆"
        assert [p.uri for p in engine.settings.printers] == ["tcp://192.168.1.50:9100"]
    finally:
        arun(engine.stop())
    pinned = Engine(
        EngineOptions(data_dir=data, settings=load_settings(tmp_path / "none.toml"), settings_pinned=True)
    )
    arun(pinned.open())
    try:
        assert pinned.settings.store_name == "posapp"  # --config FILE wins over what is stored
    finally:
        arun(pinned.stop())


def test_a_file_with_a_mistake_is_refused_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, src, out = tmp_path / "data", tmp_path / "shop.toml", tmp_path / "out.toml"
    src.write_text(SHOP + '\n[ui]\nlateness_warn_minutes = "ten"\n', encoding="utf-8")
    assert main(["config", "import", str(src), "--data-dir", str(data)]) == 2
    assert (
        "shop.toml: [ui] lateness_warn_minutes must be a whole number, not 'ten'." in capsys.readouterr().err
    )
    assert main(["config", "export", str(out), "--data-dir", str(data)]) == 0
    assert tomllib.loads(out.read_text(encoding="utf-8")) == {}  # nothing was stored
