"""Defensive readers shared by the Meituan and Ele.me connectors: JSON-in-strings, yuan, Shanghai times, phones.

Everything here takes untrusted values and either returns a clean Python value or raises ``PayloadError``
naming the field, so a parser built on it never leaks a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, unquote_plus
from zoneinfo import ZoneInfo

from posapp.domain.money import to_decimal, to_minor
from posapp.errors import PayloadError

SHANGHAI = ZoneInfo("Asia/Shanghai")
CURRENCY = "CNY"
MAX_FEN = 10**11  # a billion yuan: anything larger is a corrupt payload, not an order
MAX_QUANTITY = 10_000


def decode_body(body: bytes) -> Any:
    """A push body as JSON (object or list) or, failing that, as form fields (a dict of str)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"body is not UTF-8: {exc.reason}") from exc
    stripped = text.strip()
    if not stripped:
        return {}
    if stripped[0] in "{[":
        return loads(stripped, "body")
    return parse_form(stripped)


def loads(text: str, what: str) -> Any:
    """JSON whose integers too long to be a real value stay their digits (a later reader refuses them as out
    of range), so a hostile 5,000-digit number is quarantined or refused, never a ``ValueError`` crash."""
    try:
        return json.loads(text, parse_int=_int_or_digits)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise PayloadError(f"{what} is not valid JSON: {exc}") from exc


class Digits(str):
    """A JSON integer too long to be a real value, kept as its digits (``loads``); a signature over JSON
    text renders it back as the number it was (``json_text``)."""


def _int_or_digits(digits: str) -> int | str:
    return int(digits) if len(digits) <= 40 else Digits(digits)


def json_text(value: Any) -> str:
    """``value`` as compact JSON (UTF-8 text, not escaped), long integers as the digits they were sent as."""
    if isinstance(value, Digits):
        return str.__str__(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_text(str(k))}:{json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def parse_form(text: str) -> dict[str, str]:
    """``a=1&b=2`` into a dict (the last value wins, blank values kept)."""
    try:
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=False))
    except ValueError as exc:
        raise PayloadError(f"body is neither JSON nor form fields: {exc}") from exc


class Decoded(str):
    """Text already URL-decoded as many times as the platform encoded it (Meituan's second encoding of a
    form field, undone once by the connector): the readers below must not decode it again, or a note that
    says ``50%ED`` or ``A+B`` would be mangled."""


def unquote_form(value: str) -> Decoded:
    """One form-encoding undone the way Java's ``URLEncoder`` made it: ``+`` is a space, ``%2B`` a plus."""
    return Decoded(unquote_plus(value))


def json_field(value: Any, what: str) -> Any:
    """A field that holds JSON as a string (Meituan ``detail``, Ele.me ``message``), or already parsed."""
    if value is None or isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str):
        raise PayloadError(f"{what} is not a JSON string")
    text = value.strip()
    if not text or text == "null":
        return None
    for _ in range(0 if isinstance(value, Decoded) else 3):
        # Meituan pushes JSON fields URL-encoded once more inside the form body (%5B%7B...), so a
        # framework's single decode leaves them quoted (seen in 553325521/dcxt MTWaiMai.java logs).
        if text[:1] in "{[":
            break
        if "%" not in text:
            break
        text = unquote_plus(text).strip()  # URLEncoder's encoding: a space is "+"
    return loads(text, what)


def obj(value: Any, what: str) -> dict[str, Any]:
    parsed = json_field(value, what)
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise PayloadError(f"{what} is not an object")
    return parsed


def objects(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects; empty ``{}`` entries (Meituan sends ``extras=[{}]``) are dropped."""
    parsed = json_field(value, what)
    if parsed is None:
        return []
    if isinstance(parsed, dict):
        parsed = [parsed]
    if not isinstance(parsed, list):
        raise PayloadError(f"{what} is not a list")
    out = []
    for entry in parsed:
        if not isinstance(entry, dict):
            raise PayloadError(f"{what} holds a {type(entry).__name__}, not an object")
        if entry:
            out.append(entry)
    return out


def text(value: Any) -> str | None:
    """A display string, or None for missing / empty / the literal ``null`` some pushes send."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return None
    out = str(value).strip()
    if not out or out.lower() in {"null", "none", "undefined"}:
        return None
    return out


def url_text(value: Any) -> str | None:
    """Text that Meituan may have URL-encoded a second time (names, addresses); decoded as Java's
    ``URLEncoder`` encodes (``+`` is a space). Text the connector already decoded (``Decoded``) is kept."""
    out = text(value)
    if out is not None and not isinstance(value, Decoded) and re.search(r"%[0-9A-Fa-f]{2}", out):
        out = text(unquote_plus(out))
    return out


def _decimal(value: Any, what: str) -> Decimal:
    return to_decimal(value, what)


def _bounded(fen: int, what: str) -> int:
    if abs(fen) > MAX_FEN:
        raise PayloadError(f"{what} is out of range: {fen} fen")
    return fen


def yuan(value: Any, what: str, default: int = 0) -> int:
    """A yuan amount (``"12.5"``, ``12.5``) as fen, exactly, via Decimal; missing means ``default``."""
    if text(value) is None:
        return default
    number = _decimal(value, what)
    if abs(number) > MAX_FEN:
        raise PayloadError(f"{what} is out of range: {value!r}")
    return _bounded(to_minor(number, CURRENCY), what)


def fen(value: Any, what: str, default: int | None = None) -> int | None:
    """An amount the platform already gives in fen (Meituan ``poi_receive_detail``)."""
    if text(value) is None:
        return default
    number = _decimal(value, what)
    if abs(number) > MAX_FEN:
        raise PayloadError(f"{what} is out of range: {value!r}")
    return _bounded(int(number.to_integral_value()), what)


def product_fen(count: Any, unit_yuan: Any, what: str) -> int:
    """``count x unit price`` in fen, computed exactly (Meituan ``box_num x box_price``)."""
    if text(count) is None or text(unit_yuan) is None:
        return 0
    total = _decimal(count, what) * _decimal(unit_yuan, what)
    if abs(total) > MAX_FEN:
        raise PayloadError(f"{what} is out of range")
    return _bounded(to_minor(total, CURRENCY), what)


def integer(value: Any, what: str, default: int | None = None) -> int | None:
    if text(value) is None:
        return default
    number = _decimal(value, what)
    if number != number.to_integral_value():
        raise PayloadError(f"{what} is not a whole number: {value!r}")
    if abs(number) > 10**19:
        raise PayloadError(f"{what} is out of range: {value!r}")
    return int(number)


def quantity(value: Any, what: str) -> int:
    count = integer(value, what)
    if count is None or count < 1 or count > MAX_QUANTITY:
        raise PayloadError(f"{what} must be a whole number from 1 to {MAX_QUANTITY}, got {value!r}")
    return count


def epoch(value: Any, what: str) -> datetime | None:
    """Epoch seconds (Meituan ``ctime``) or milliseconds (Ele.me ``timestamp``); 0 means none."""
    number = integer(value, what)
    if not number:
        return None
    if number > 10**11:  # 13 digits: milliseconds
        number //= 1000
    if number < 0 or number > 32503680000:  # before 1970 or after 3000
        raise PayloadError(f"{what} is not a plausible time: {value!r}")
    return datetime.fromtimestamp(number, UTC).astimezone(SHANGHAI)


def local_time(value: Any, what: str) -> datetime | None:
    """``2018-05-16T12:59:59`` (Ele.me sends Beijing local time without an offset) as an aware time."""
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError as exc:
        raise PayloadError(f"{what} is not a time: {raw!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed


def mask_phone(value: Any) -> str | None:
    """Keep a privacy-relay or already masked number; mask a personal one (13812345678 -> 138****5678)."""
    raw = text(value)
    if raw is None:
        return None
    raw = raw.strip("[]\"' ")
    if "*" in raw:
        return raw[:32]
    # Relay numbers carry an extension: Meituan 13812345678_1234, Ele.me 13020294464,986.
    if re.fullmatch(r"\+?\d{7,15}[_,#]\d{1,8}", raw):
        return raw
    digits = re.sub(r"\D", "", raw)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return None


def first(data: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-empty value among ``keys``."""
    for key in keys:
        value = data.get(key)
        if value is not None and value != "":
            return value
    return None
