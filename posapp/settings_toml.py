"""The settings document written as TOML (``posapp config export``): tables, nested tables, arrays of tables."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def dumps(doc: Mapping[str, Any]) -> str:
    """TOML text that ``tomllib.loads`` reads back as ``doc`` (strings, numbers, booleans, lists, tables)."""
    out: list[str] = []
    scalars = {k: v for k, v in doc.items() if not _is_table(v) and not _is_table_array(v)}
    for key, value in scalars.items():
        out.append(f"{_key(key)} = {_value(value)}")
    for key, value in doc.items():
        if _is_table(value):
            _table(out, [key], value)
        elif _is_table_array(value):
            for item in value:
                out += ["", f"[[{_key(key)}]]"]
                out += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
    return "\n".join(out).lstrip("\n") + "\n"


def _table(out: list[str], path: list[str], table: Mapping[str, Any]) -> None:
    scalars = [(k, v) for k, v in table.items() if not _is_table(v) and not _is_table_array(v)]
    if scalars or not any(_is_table(v) for v in table.values()):
        out += ["", f"[{'.'.join(_key(p) for p in path)}]"]
        out += [f"{_key(k)} = {_value(v)}" for k, v in scalars]
    for key, value in table.items():
        if _is_table(value):
            _table(out, [*path, key], value)
        elif _is_table_array(value):
            for item in value:
                out += ["", f"[[{'.'.join(_key(p) for p in [*path, key])}]]"]
                out += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if value is None:
        raise ValueError("TOML has no null: leave the key out")
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
