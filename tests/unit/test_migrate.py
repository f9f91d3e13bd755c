"""Start-up migrations: an up-to-date database is opened without Alembic; one behind is still upgraded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from posapp.store.db import DB_FILENAME, MIGRATIONS, bundled_head, make_engine, open_database

ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def schema(data_dir: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        return con.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        con.close()


def version(data_dir: Path) -> list[str]:
    con = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        return [row[0] for row in con.execute("SELECT version_num FROM alembic_version")]
    finally:
        con.close()


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    assert bundled_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_second_open_of_an_up_to_date_database_runs_no_alembic_and_changes_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(data_dir).close()
    before = schema(data_dir)
    upgrades: list[Any] = []
    monkeypatch.setattr(command, "upgrade", lambda *args, **kw: upgrades.append(args))
    open_database(data_dir).close()
    assert upgrades == []
    assert schema(data_dir) == before


def test_opening_an_up_to_date_database_does_not_even_import_alembic(data_dir: Path) -> None:
    open_database(data_dir).close()
    probe = (
        "import sys; from posapp.store.db import open_database; "
        f"open_database({str(data_dir)!r}).close(); print(sorted(m for m in sys.modules if 'alembic' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_a_database_one_migration_behind_is_upgraded_to_the_head(data_dir: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)
    data_dir.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{data_dir / DB_FILENAME}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, head.down_revision)
    engine.dispose()
    assert version(data_dir) == [head.down_revision]

    open_database(data_dir).close()
    assert version(data_dir) == [head.revision]
    fresh = data_dir.parent / "fresh"
    open_database(fresh).close()
    assert schema(data_dir) == schema(fresh)


def test_scripts_with_two_heads_or_an_unreadable_revision_leave_the_decision_to_alembic(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n')
    assert bundled_head(tmp_path) == "b"
    (tmp_path / "c.py").write_text('revision = "c"\ndown_revision = "a"\n')
    assert bundled_head(tmp_path) is None  # b and c both follow a
    (tmp_path / "d.py").write_text('revision = "d"\ndown_revision = ("b", "c")\n')
    assert bundled_head(tmp_path) == "d"  # a merge
    (tmp_path / "e.py").write_text("revision = make_id()\ndown_revision = 'd'\n")
    assert bundled_head(tmp_path) is None
