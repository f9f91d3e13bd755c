"""Command-line entry points that scripts and installers rely on."""

from __future__ import annotations

import io
from typing import Any

import keyring
import pytest

from posapp import __version__
from posapp.cli import main


def test_version(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"posapp {__version__}"


def test_help_lists_every_subcommand_and_an_unknown_one_is_an_error(capsys: Any) -> None:
    from posapp.cli.commands import COMMANDS, SUMMARY

    assert set(SUMMARY) == set(COMMANDS)  # a new command comes with its line in the help
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, summary in SUMMARY.items():
        assert f"{name} {' '.join(summary.split())}" in out
    with pytest.raises(SystemExit) as exit_:
        main(["hubb"])
    assert exit_.value.code == 2
    assert "invalid choice: 'hubb'" in capsys.readouterr().err


def test_secret_set_reads_stdin_and_stores_in_the_keyring(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cr3t\n"))
    assert main(["secret", "set", "meituan-secret"]) == 0
    assert keyring.get_password("posapp", "meituan-secret") == "s3cr3t"
    out = capsys.readouterr().out
    assert "s3cr3t" not in out
    assert main(["secret", "check", "meituan-secret"]) == 0
    assert main(["secret", "check", "nothing-here"]) == 1


def test_secret_set_refuses_an_empty_secret(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["secret", "set", "x"]) == 2
    assert "empty secret" in capsys.readouterr().err


def test_normalize_unknown_platform_exits_2(tmp_path: Any, capsys: Any) -> None:
    f = tmp_path / "x.json"
    f.write_text("{}")
    assert main(["normalize", "--platform", "nope", str(f)]) == 2
    assert "unknown platform" in capsys.readouterr().err


def test_normalize_demo_order_prints_canonical_json(tmp_path: Any, capsys: Any) -> None:
    import json

    from posapp.connectors.simulator.generator import OrderGenerator

    order = OrderGenerator(seed=1).make()
    f = tmp_path / "order.json"
    f.write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
    assert main(["normalize", "--platform", "demo", str(f)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["external_id"] == order["external_id"]
    assert printed["totals"]["total"] == order["totals"]["total"]
    assert "raw" not in printed


def test_canonical_output_validates_against_the_shipped_schema(tmp_path: Any, capsys: Any) -> None:
    import json
    from pathlib import Path

    import jsonschema

    from posapp.connectors.simulator.generator import OrderGenerator
    from posapp.resources import ORDER_SCHEMA, resource

    shipped = resource(*ORDER_SCHEMA)  # the copy shipped with posapp, the one the README points to
    steering = Path(__file__).resolve().parents[3] / "shared" / "schema" / "order.schema.json"
    if steering.exists():  # where the schema is written first: the shipped copy must not drift from it
        assert shipped.read_bytes() == steering.read_bytes()
    schema = json.loads(shipped.read_text(encoding="utf-8"))
    gen = OrderGenerator(seed=3, scheduled_share=0.5)
    for _ in range(20):
        f = tmp_path / "order.json"
        f.write_text(json.dumps(gen.make(), ensure_ascii=False), encoding="utf-8")
        assert main(["normalize", "--platform", "demo", str(f)]) == 0
        jsonschema.validate(json.loads(capsys.readouterr().out), schema)
