"""Settings are validated as a whole: each mistake is one sentence naming the file, the key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.config import load_settings
from posapp.connectors.registry import CONNECTORS
from posapp.settings_schema import KNOWN_PLATFORMS, SettingsInvalid


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsInvalid) as caught:
        load_settings(path)
    return [p.sentence for p in caught.value.problems]


def test_a_word_where_a_number_belongs_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    assert problems(tmp_path, '[ui]\nlateness_warn_minutes = "ten"\n') == [
        "config.toml: [ui] lateness_warn_minutes must be a whole number, not 'ten'."
    ]


def test_an_unknown_platform_is_named_as_such_not_as_a_missing_secret(tmp_path: Path) -> None:
    (sentence,) = problems(tmp_path, '[platforms.foo]\napp_id = "1"\n')
    assert sentence.startswith("config.toml: [platforms.foo] is not a platform posapp knows; choose from ")
    assert "secret" not in sentence


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[store]\ntimezone = "Mars/Base"\ncurrency = "yuan"\n'
        '[ui]\nthem = "dark"\n'
        '[printers.kitchen]\nuri = "bogus"\nwidth = 70\nprofile = "nope"\n'
        "[listener]\nport = 70000\n"
        '[reports]\nday_cutoff = "25:00"\n',
    )
    assert found == [
        "config.toml: [store] timezone is not a time zone posapp knows (write one such as Asia/Shanghai), "
        "not 'Mars/Base'.",
        "config.toml: [store] currency must be a three-letter ISO 4217 code such as CNY or USD, not 'yuan'.",
        "config.toml: [listener] port must be at most 65535, not 70000.",
        "config.toml: [ui] them is not a setting posapp knows (check its spelling).",
        "config.toml: [printers.kitchen] uri is not usable: unknown printer address 'bogus': use tcp://host:port, "
        "file:PATH, usb:VID:PID, serial:/dev/... or cups:NAME.",
        "config.toml: [printers.kitchen] width must be one of 58 or 80, not 70.",
        found[6],
        "config.toml: [reports] day_cutoff must be a time of day written HH:MM, such as 04:00, not '25:00'.",
    ]
    assert found[6].startswith(
        "config.toml: [printers.kitchen] profile is not a printer profile posapp knows"
    )


def test_a_secret_written_into_the_settings_is_refused(tmp_path: Path) -> None:
    (sentence,) = problems(tmp_path, '[platforms.meituan]\napp_secret = "abc123"\n')
    assert "secrets go in the keyring" in sentence and "abc123" not in sentence


def test_late_cannot_come_before_warn(tmp_path: Path) -> None:
    assert problems(tmp_path, "[ui]\nlateness_warn_minutes = 30\nlateness_late_minutes = 20\n") == [
        "config.toml: [ui] lateness_late_minutes must not be smaller than lateness_warn_minutes (20 < 30)."
    ]


def test_a_complete_document_loads_typed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[store]\nname = "老王面馆"\ntimezone = "Asia/Shanghai"\n'
        '[platforms.meituan]\napp_id = "4917"\npoi_code = "p-1"\nauto_accept = true\n'
        '[printers.kitchen]\nuri = "tcp://192.168.1.50:9100"\nwidth = 80\nencoding = "GB18030"\n'
        '[printing.routes]\nDrinks = "bar"\n',
        encoding="utf-8",
    )
    s = load_settings(path)
    (mt,) = s.platforms
    assert (mt.name, mt.secret_ref, mt.auto_accept, mt.options) == (
        "meituan",
        "meituan-secret",
        True,
        {"poi_code": "p-1"},
    )
    assert s.printers[0].encoding == "gb18030" and s.printers[0].width == 80
    assert s.print_routes == {"Drinks": "bar"}


def test_the_schema_knows_exactly_the_platforms_the_registry_has() -> None:
    assert set(KNOWN_PLATFORMS) == set(CONNECTORS)


def test_the_command_line_shows_the_sentence_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from posapp.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlateness_warn_minutes = "ten"\n', encoding="utf-8")
    assert main(["--config", str(path), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "[ui] lateness_warn_minutes must be a whole number, not 'ten'." in err
    assert "Traceback" not in err
