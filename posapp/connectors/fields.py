"""Field readers shared by the connectors: JSON bodies, cents, times, masked phones — each failure a PayloadError."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from posapp.errors import PayloadError


def load_json_object(body: bytes, what: str) -> dict[str, Any]:
    """The body as a JSON object, or ``PayloadError`` naming ``what`` was expected."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise PayloadError(f"{what} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PayloadError(f"{what} is not a JSON object")
    return data


def obj(value: Any, what: str) -> dict[str, Any]:
    """``value`` as a dict; ``None`` reads as empty (optional blocks default sensibly)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(f"{what} should be an object, got {type(value).__name__}")
    return value


def arr(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{what} should be a list, got {type(value).__name__}")
    return value


def text(value: Any) -> str | None:
    """A non-empty string, or None; numbers are accepted as their text."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    out = str(value).strip()
    return out or None


def cents(value: Any, what: str, *, default: int | None = 0) -> int:
    """An integer amount of minor units (Uber ``amount``, DoorDash ``subtotal``); floats that are whole pass."""
    if value is None:
        if default is None:
            raise PayloadError(f"{what} is missing")
        return default
    if isinstance(value, bool):
        raise PayloadError(f"{what} is not an amount: {value!r}")
    if isinstance(value, int):
        return value
    try:
        dec = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation as exc:
        raise PayloadError(f"{what} is not an amount: {value!r}") from exc
    if not dec.is_finite() or dec != dec.to_integral_value():
        raise PayloadError(f"{what} is not a whole number of cents: {value!r}")
    return int(dec)


def count(value: Any, what: str, *, default: int = 1) -> int:
    """A quantity: a positive whole number."""
    if value is None:
        return default
    n = cents(value, what)
    if n < 1:
        raise PayloadError(f"{what} is {n}; a quantity must be at least 1")
    return n


def when(value: Any, what: str) -> datetime:
    """ISO 8601 with an offset ("Z" allowed) or Unix seconds, as an aware datetime."""
    if isinstance(value, bool):
        raise PayloadError(f"{what} is not a time: {value!r}")
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise PayloadError(f"{what} is not a time: {value!r}") from exc
    if not isinstance(value, str):
        raise PayloadError(f"{what} is not a time: {value!r}")
    raw = value.strip()
    # Python 3.11 reads at most 6 fractional digits; DoorDash sends 9 (sample order confirmation doc).
    raw = re.sub(r"(\.\d{6})\d+", r"\1", raw)
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise PayloadError(f"{what} is not an ISO 8601 time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise PayloadError(f"{what} has no UTC offset: {value!r}")
    return parsed


def mask_phone(value: Any) -> str | None:
    """Keep only what staff need to call a relay or recognise a customer: ``+1 555-***-5555`` style."""
    raw = text(value)
    if raw is None:
        return None
    digits = [c for c in raw if c.isdigit()]
    if len(digits) < 7:
        return raw  # an extension or relay code (Uber ``phone_code``) is not a personal number
    keep_head = 3 if len(digits) > 10 else 2
    masked_digits = digits[:keep_head] + ["*"] * (len(digits) - keep_head - 4) + digits[-4:]
    out, i = [], 0
    for ch in raw:
        if ch.isdigit():
            out.append(masked_digits[i])
            i += 1
        else:
            out.append(ch)
    return "".join(out)
