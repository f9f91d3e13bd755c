"""Field bounds: what a canonical order may hold, so no signed payload can break a card, a ticket or the store.

Text meant for people (names, notes, addresses) is cleaned and clipped: an order with a 10,000-character note
still reaches the kitchen, with the note cut short. Identifiers, numbers and times that are out of range are
refused with ``PayloadError`` instead, so the payload is quarantined whole rather than stored wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

from posapp.errors import PayloadError

# Lengths in characters. A card shows a few words of each; a ticket line is 32-48 columns.
ID_MAX = 128  # platform order ids are 17-40 characters; 128 leaves room for prefixes
PLATFORM_MAX = 32
DISPLAY_ID_MAX = 24  # "#1234", "M-001", Uber's "5A4B3"; longer cannot be called out at the pass
NAME_MAX = 120  # a dish, a modifier
CATEGORY_MAX = 64
SKU_MAX = 128
PERSON_MAX = 80  # a customer's name
PHONE_MAX = 40
ADDRESS_MAX = 300
NOTE_MAX = 500  # order notes, item notes, a platform's cancel reason
RIDER_MAX = 64  # "骑手已取货 李师傅", "Courier arriving"
PAYMENT_MAX = 32

# Times a kitchen can act on: far outside this a "time" is a corrupt payload (and year 1 or 9999 with an
# offset cannot even be converted to UTC for the database).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
COUNT_MAX = 10**9  # a customer's order count, a reminder count

_SURROGATE = re.compile("[\ud800-\udfff]")
_ELLIPSIS = "…"


def clean_text(value: str, limit: int) -> str:
    """``value`` that every encoder takes and every screen can draw: lone surrogates become U+FFFD, control
    characters (an ESC that would drive the printer, a NUL) are dropped except newline and tab, and text
    longer than ``limit`` ends in an ellipsis."""
    # Most text: nothing to clean or clip (a lone surrogate, like a control character, is unprintable).
    if len(value) <= limit and value.isprintable():
        return value
    value = _SURROGATE.sub("\ufffd", value)
    if not value.isprintable():
        value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + _ELLIPSIS
    return value


def optional_text(value: str | None, limit: int) -> str | None:
    return None if value is None else clean_text(value, limit)


def identifier(value: str, what: str, limit: int = ID_MAX) -> str:
    """An id we look orders up by: refused (never clipped, two ids must not become one) when it is empty, too
    long, or holds characters that no platform uses in an id."""
    if not value or not value.strip():
        raise PayloadError(f"{what} is empty")
    if len(value) > limit:
        raise PayloadError(f"{what} is {len(value)} characters long (at most {limit})")
    if _SURROGATE.search(value) or not value.isprintable():
        raise PayloadError(f"{what} holds control or unencodable characters")
    return value


def count(value: int, what: str, low: int = 0, high: int = COUNT_MAX) -> int:
    """A whole number within [low, high]; booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PayloadError(f"{what} must be a whole number from {low} to {high}")
    return value


def plausible_time(value: datetime, what: str) -> datetime:
    """An aware time between 2000 and 2100 that converts to UTC (``0001-01-01T00:00:00+14:00`` does not)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise PayloadError(f"{what} has no time zone")
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise PayloadError(f"{what} is out of range: {value.isoformat()}") from exc
    if not EARLIEST <= utc < LATEST:
        raise PayloadError(f"{what} is not a plausible time: {value.isoformat()}")
    return value
