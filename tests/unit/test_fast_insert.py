"""Intake's cursor-level inserts (posapp/store/fast.py) store exactly what SQLAlchemy Core stores."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from posapp.store.db import open_database
from posapp.store.fast import FastInsert
from posapp.store.tables import JobRow, OrderRow


def _order_values(external_id: str) -> dict[str, object]:
    placed = datetime(2026, 12, 4, 11, 30, 5, 123456, tzinfo=timezone(timedelta(hours=8)))
    return {
        "platform": "meituan",
        "external_id": external_id,
        "display_id": "12",
        "status": "new",
        "fulfillment": "delivery",
        "placed_at": placed,
        "due_at": None,
        "currency": "CNY",
        "customer_name": "王先生",
        "subtotal": 4200,
        "total": 4500,
        "paid": True,
        "raw": '{"x": 1}',
        "created_at": placed.astimezone(UTC),
        "updated_at": placed.astimezone(UTC),
        "version": 1,
        "seq": 1,
    }


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def test_fast_rows_equal_core_rows_times_defaults_and_flags_included(tmp_path: Path) -> None:
    core_db, fast_db = open_database(tmp_path / "core"), open_database(tmp_path / "fast")
    try:
        orders = [_order_values("A-1"), _order_values("A-2")]
        orders[1]["created_at"] = datetime(2026, 12, 4, 3, 30, tzinfo=UTC)  # no microseconds: still ".000000"
        core_db.call(lambda s: s.connection().execute(insert(OrderRow.__table__), orders))
        ids = fast_db.call(lambda s: FastInsert(OrderRow.__table__).run(s.connection(), orders, ids=True))  # type: ignore[arg-type]
        jobs = [
            {
                "kind": "print",
                "target": "kitchen",
                "lane": "kitchen",
                "order_id": 1,
                "payload": "{}",
                "next_attempt_at": orders[0]["created_at"],
                "created_at": orders[0]["created_at"],
            },
        ]  # state and attempts left to the columns' defaults
        core_db.call(lambda s: s.connection().execute(insert(JobRow.__table__), jobs))
        fast_db.call(lambda s: FastInsert(JobRow.__table__).run(s.connection(), jobs))  # type: ignore[arg-type]
    finally:
        core_db.close()
        fast_db.close()
    assert ids == [1, 2]
    for table in ("orders", "jobs"):
        core, fast = (
            _rows(tmp_path / "core" / "posapp.db", table),
            _rows(tmp_path / "fast" / "posapp.db", table),
        )
        assert core and fast == core
    stored = _rows(tmp_path / "fast" / "posapp.db", "orders")[0]
    assert "2026-12-04 03:30:05.123456" in stored  # an aware time stored as naive UTC, as the ORM stores it
    assert "2026-12-04 03:30:00.000000" in _rows(tmp_path / "fast" / "posapp.db", "orders")[1]


def test_fast_time_text_equals_sqlalchemys_for_any_zone_and_instant() -> None:
    """The hot path's time text (tables.UTCDateTime.sqlite_text, remembered per value) is byte for byte what
    SQLAlchemy's SQLite DATETIME binds, for zones east and west, whole seconds, microseconds and early years;
    a naive time is refused as the ORM refuses it."""
    import pytest
    from hypothesis import given
    from hypothesis import strategies as st
    from sqlalchemy.dialects import sqlite

    from posapp.store.fast import _processor

    dialect = sqlite.dialect()
    column = OrderRow.__table__.c.placed_at  # type: ignore[attr-defined]
    core = column.type.dialect_impl(dialect).bind_processor(dialect)
    fast = _processor(column, dialect)
    assert fast is not core

    zones = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))

    @given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 30), timezones=zones))
    def same(value: datetime) -> None:
        assert fast(value) == core(value)
        assert fast(value) == core(value)  # the remembered answer is the same answer

    same()
    one, two = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert [fast(one), fast(two), fast(one)] == [core(one), core(two), core(one)]
    with pytest.raises(ValueError, match="naive"):
        fast(datetime(2026, 1, 1))


def test_one_time_cache_serves_every_time_column_and_stays_bounded() -> None:
    """Every time column shares one cache: an instant converted for one column is found for another, the
    same instant given in another zone reads back the same UTC text (equal times are one key), and the cache
    never holds more than its bound however many instants pass."""
    from sqlalchemy.dialects import sqlite

    from posapp.store import fast as fast_module

    dialect = sqlite.dialect()
    placed = fast_module._processor(OrderRow.__table__.c.placed_at, dialect)  # type: ignore[attr-defined]
    created = fast_module._processor(JobRow.__table__.c.created_at, dialect)  # type: ignore[attr-defined]
    core = OrderRow.__table__.c.placed_at.type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[attr-defined]
    assert placed is not None and created is not None and core is not None
    now = datetime(2026, 12, 4, 20, 0, 0, 5, tzinfo=UTC)
    text = placed(now)
    assert created(now) is text  # the second column found the first one's text
    shanghai = now.astimezone(timezone(timedelta(hours=8)))
    assert created(shanghai) == core(shanghai) == text == "2026-12-04 20:00:00.000005"
    for minute in range(3 * fast_module._TIME_TEXTS_MAX):
        moment = now + timedelta(minutes=minute)
        assert placed(moment) == core(moment)
        assert len(fast_module._TIME_TEXTS) <= fast_module._TIME_TEXTS_MAX


def test_json_text_reads_back_as_the_json_module_wrote_it() -> None:
    """Job payloads and raw pushes: what json.loads reads back equals the value; non-ASCII kept as is; a lone
    surrogate (which UTF-8 cannot store) and an integer past 64 bits still stored, through the json module;
    a time without ``default`` refused as the json module refuses it, and turned to text with it."""
    import json

    import pytest

    from posapp.store.fast import json_text

    payload = {
        "order": {"name": "宫保鸡丁", "qty": 2, "paid": True, "tip": None, "price": 12.5},
        "k": [1, "x"],
    }
    text = json_text(payload)
    assert json.loads(text) == payload and "宫保鸡丁" in text
    odd = {"name": "bad \ud800 half", "big": 2**70}
    stored = json_text(odd)
    stored.encode("utf-8")  # storable as UTF-8
    assert "\\ud800" in stored and json.loads(stored) == odd
    when = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    with pytest.raises(TypeError):
        json_text({"at": when})
    assert json.loads(json_text({"at": when}, default=str)) == {"at": str(when)}
