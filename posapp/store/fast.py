"""Intake's hot statements on the DBAPI cursor: the rows SQLAlchemy Core would write, without its execution
context per statement.

Each platform push writes about eight statements (the order, its items, their modifiers, two events, its
jobs, the change number, the look-up for a duplicate). Through ``Connection.execute`` each one costs an
execution context, parameter processing and result set-up: on a 2-core machine that was a third of the
database thread's time under a rush (py-spy, ``benchmarks/bench_intake.py``). Here the same statements go
to SQLite's cursor inside the same transaction, with every value converted by its column's own bind
processor (so a time is stored exactly as the ORM stores it) and the columns' scalar defaults filled in as
Core fills them. On another database they go through Core as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any

import orjson
from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect

Processor = Callable[[Any], Any] | None


class FastInsert:
    """``INSERT INTO table`` of whole rows given as dicts (keys: column names), one statement per shape."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._defaults = {
            c.name: c.default.arg  # type: ignore[attr-defined]
            for c in table.columns
            if c.default is not None and c.default.is_scalar
        }
        self._shapes: dict[tuple[str, ...], tuple[str, list[tuple[int, Processor]]]] = {}
        self._dialect: Dialect | None = None
        self._core = insert(table)
        self._core_returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)

    def run(self, connection: Connection, rows: Sequence[dict[str, Any]], *, ids: bool = False) -> list[int]:
        """Insert ``rows`` (all of the same keys) in their order; with ``ids``, return their new ids."""
        if not rows:
            return []
        if connection.dialect.name != "sqlite":
            if ids:
                return [int(i) for i in connection.execute(self._core_returning, list(rows)).scalars()]
            connection.execute(self._core, list(rows))
            return []
        filled = [{**self._defaults, **row} for row in rows] if self._defaults else list(rows)
        sql, processors = self._shape(tuple(filled[0]), connection.dialect)
        params = [_convert(row.values(), processors) for row in filled]
        with closing(_cursor(connection)) as cursor:
            if not ids:
                cursor.executemany(sql, params)
                return []
            new_ids = []
            for one in params:
                cursor.execute(sql, one)
                new_ids.append(int(cursor.lastrowid))
            return new_ids

    def _shape(self, keys: tuple[str, ...], dialect: Dialect) -> tuple[str, list[tuple[int, Processor]]]:
        """The statement for rows of these keys, and (position, processor) of each column that has one."""
        if dialect is not self._dialect:
            self._shapes.clear()
            self._dialect = dialect
        shape = self._shapes.get(keys)
        if shape is None:
            columns = [self.table.c[k] for k in keys]
            names = ", ".join(f'"{k}"' for k in keys)
            marks = ", ".join("?" for _ in keys)
            sql = f'INSERT INTO "{self.table.name}" ({names}) VALUES ({marks})'
            processors = [_processor(c, dialect) for c in columns]
            shape = (sql, [(i, p) for i, p in enumerate(processors) if p is not None])
            self._shapes[keys] = shape
        return shape


def _processor(column: Any, dialect: Dialect) -> Processor:
    """The column's bind processor; for a time column whose type offers ``sqlite_text`` (tables.UTCDateTime),
    that instead, through one cache for every such column: the rows of one order share one ``now`` (its
    creation, its update, its accept, its events, its jobs), so most times convert once per order."""
    fast = getattr(column.type, "sqlite_text", None)
    if fast is None or dialect.name != "sqlite":
        return column.type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]

    def convert(value: Any) -> Any:
        text = _TIME_TEXTS.get(value)
        if text is None:
            if len(_TIME_TEXTS) >= _TIME_TEXTS_MAX:
                _TIME_TEXTS.clear()
            text = _TIME_TEXTS[value] = fast(value)
        return text

    return convert


# Equal times are the same instant, whatever their offset, and their UTC text is the same: a dict of them is
# a correct cache. Only the database thread binds on SQLite; a dict operation is atomic under the GIL anyway.
_TIME_TEXTS: dict[Any, str] = {}
_TIME_TEXTS_MAX = 256


def _convert(values: Any, processors: list[tuple[int, Processor]]) -> list[Any]:
    """The row's values with each column's bind processor applied (only the columns that have one)."""
    out = list(values)
    for i, p in processors:
        v = out[i]
        if v is not None:
            out[i] = p(v)  # type: ignore[misc]
    return out


def fetch(connection: Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]] | None:
    """The rows of ``sql`` (``?`` parameters) run on SQLite's own cursor in ``connection``'s transaction;
    None on another database, where the caller runs its Core statement instead."""
    if connection.dialect.name != "sqlite":
        return None
    with closing(_cursor(connection)) as cursor:
        rows: list[tuple[Any, ...]] = cursor.execute(sql, params).fetchall()
        return rows


def _cursor(connection: Connection) -> Any:
    return connection.connection.driver_connection.cursor()  # type: ignore[union-attr]


def json_text(value: Any, *, default: Callable[[Any], Any] | None = None) -> str:
    """``value`` as JSON text that SQLite stores (UTF-8, non-ASCII kept as is), as ``json.dumps(value,
    ensure_ascii=False, default=default)`` would write it: the payload of each job and an order's raw push,
    written for every order. orjson encodes them several times faster than the json module (the encoder
    was a fifth of the database thread's time under a rush: ``benchmarks/bench_intake.py``). What orjson
    refuses (a lone surrogate, an integer past 64 bits) goes through the json module as before, a lone
    surrogate kept as JSON's own ``\\udXXX`` escape; what neither can encode raises TypeError, as before."""
    try:
        return orjson.dumps(value, default=default, option=_AS_JSON_MODULE).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = json.dumps(value, ensure_ascii=False, default=default)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value, default=default)
        return text


# Times and dataclasses go to ``default`` (or fail), as in the json module, instead of orjson's own forms.
_AS_JSON_MODULE = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
