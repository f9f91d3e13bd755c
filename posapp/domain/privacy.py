"""Who may see what of a customer, and how personal fields are blanked: the rules every screen, ticket and the
erase path ask. Pure: no storage, no Qt."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from posapp.domain.order import Customer, Order
from posapp.domain.roles import Role

_DIGIT = re.compile(r"\d")
_MASKED = re.compile(r"[*xX•＊]")
_RELAY = re.compile(r"^(\+?[\d\s\-]{7,20})([_,#].*)$")  # Meituan 138..._1234, Ele.me 130...,986


def first_name(name: str | None) -> str | None:
    """The first word of a name ("John Smith" -> "John"). A name without spaces is kept whole: Chinese
    platforms give a surname and a title ("王先生"), which is what the kitchen calls out anyway."""
    if name is None:
        return None
    words = name.split()
    return words[0] if words else None


def mask_phone(phone: str | None) -> str | None:
    """The phone a cashier sees: three leading and four trailing digits (13812345678 -> 138****5678). A
    number the platform already masked stays as it is; a relay number keeps its extension, which alone
    reaches no one. Fewer than seven digits: only the last two show."""
    if phone is None or not phone.strip():
        return None
    text = phone.strip()
    if _MASKED.search(text):
        return text
    relay = _RELAY.match(text)
    if relay is not None:
        return (mask_phone(relay.group(1)) or "") + relay.group(2)
    digits = _DIGIT.findall(text)
    if len(digits) >= 7:
        return "".join(digits[:3]) + "****" + "".join(digits[-4:])
    return "****" + "".join(digits[-2:]) if digits else "****"


def customer_for(customer: Customer | None, role: Role) -> Customer | None:
    """The customer as ``role`` may see them: a manager what the platform gave, a cashier with a masked
    phone, the kitchen the first name only (never a phone or an address)."""
    if customer is None or role is Role.MANAGER:
        return customer
    if role is Role.CASHIER:
        return replace(customer, phone_masked=mask_phone(customer.phone_masked))
    name = first_name(customer.name)
    return Customer(name=name) if name else None


_PHONE_IN_TEXT = re.compile(r"(?<![\d*])\+?\d[\d \-]{5,18}\d(?![\d*])")


def mask_phones_in(text: str | None) -> str | None:
    """A note with any phone number in it masked ("call 13812345678" -> "call 138****5678")."""
    if not text:
        return text
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)) or "", text)


def order_for(order: Order, role: Role) -> Order:
    """``order`` with its customer as ``role`` may see them, a phone number written into the notes masked
    for them too; the raw platform payload only for a manager."""
    if role is Role.MANAGER:
        return order
    customer, notes = customer_for(order.customer, role), mask_phones_in(order.notes)
    if customer == order.customer and notes == order.notes and order.raw is None:
        return order  # nothing to hide (a platform's phone comes masked): no copy on every queue change
    return replace(order, customer=customer, notes=notes, raw=None)


@dataclass(frozen=True, slots=True)
class PersonalOrder:
    """One stored order that still names a customer: what a data request finds and an erasure blanks."""

    order_id: int
    platform: str
    display_id: str
    status: str
    placed_at: datetime
    name: str | None
    phone: str | None
    address: str | None
    total: int
    currency: str

    def needles(self) -> Needles:
        return Needles.of((self.name, self.phone, self.address))


# -- finding -----------------------------------------------------------------------------------------------


def digits_of(text: str) -> str:
    """The digits of a typed phone number, without a +86 country code."""
    digits = "".join(_DIGIT.findall(text))
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def phone_matches(query: str, phone: str | None) -> bool:
    """A typed number finds a stored one that contains it (``5678``), or whose masked digits it fits
    (13812345678 fits 138****5678: a candidate the manager confirms, never a merge)."""
    if not phone:
        return False
    want = digits_of(query)
    shown = "".join(c for c in phone if c.isdigit() or _MASKED.fullmatch(c))
    if want and want in shown:
        return True
    if len(want) != len(shown) or not _MASKED.search(shown):
        return False
    return all(s == w or _MASKED.fullmatch(s) for s, w in zip(shown, want, strict=True))


# -- erasing ------------------------------------------------------------------------------------------------

# Keys of platform payloads that hold a person's details (compared case-folded). Sources: the connectors'
# parse() (Meituan recipient_*, Ele.me consignee/phoneList/deliveryGeo, Uber Eats eater, DoorDash consumer).
PERSONAL_KEYS = frozenset(
    {
        "consignee",
        "first_name",
        "last_name",
        "consumer_name",
        "recipient_name",
        "email",
        "userid",
        "useridstr",
        "user_id",
        "latitude",
        "longitude",
        "lat",
        "lng",
        "deliverygeo",
        "location",
    }
)
PERSONAL_KEY_PARTS = ("phone", "address", "recipient", "consignee")  # recipient_phone, phoneList, ...
# A container whose every value is about the person: {"customer": {"name": ...}}, Uber's eater, DoorDash's consumer.
PERSONAL_CONTAINERS = frozenset({"customer", "consumer", "eater", "eaters", "recipient", "buyer", "user"})
ERASED = ""


@dataclass(frozen=True, slots=True)
class Needles:
    """What one customer's data looks like in free text: their name, address and phone (a masked phone as a
    pattern: "138****5678" finds 13812345678 too)."""

    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, texts: Iterable[str | None]) -> Needles:
        patterns = []
        for text in {t.strip() for t in texts if t and len(t.strip()) >= 2}:
            if _DIGIT.search(text) and len(_DIGIT.findall(text)) >= 4:
                patterns.append(_phone_pattern(text))
            else:
                patterns.append(_word_pattern(text))
        return cls(tuple(sorted(patterns, key=lambda p: -len(p.pattern))))

    def found_in(self, text: str | None) -> bool:
        return bool(text) and any(p.search(text or "") for p in self.patterns)

    def blank(self, text: str) -> str:
        for p in self.patterns:
            text = p.sub(ERASED, text)
        return text


def _word_pattern(text: str) -> re.Pattern[str]:
    """A name or address as written; a Latin one as whole words ("Chen" is not in "Kitchen")."""
    head = r"(?<![A-Za-z0-9])" if text[0].isascii() and text[0].isalnum() else ""
    tail = r"(?![A-Za-z0-9])" if text[-1].isascii() and text[-1].isalnum() else ""
    return re.compile(head + re.escape(text) + tail, re.IGNORECASE)


def _phone_pattern(phone: str) -> re.Pattern[str]:
    """Digits in order, any of them masked, with any spacing between them: 138****5678, 138 1234 5678."""
    parts = []
    for ch in phone:
        if ch.isdigit():
            parts.append(ch)
        elif _MASKED.fullmatch(ch):
            parts.append(r"[\d*xX•＊]")
    return re.compile(r"(?<!\d)" + r"[\s\-]?".join(parts) + r"(?!\d)")


def _personal_key(key: str) -> bool:
    low = key.casefold()
    return low in PERSONAL_KEYS or any(part in low for part in PERSONAL_KEY_PARTS)


def _blank_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _blank_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_all(v) for v in value]
    if isinstance(value, str):
        return ERASED
    if isinstance(value, bool) or value is None:
        return value
    return None  # a number under a personal key (coordinates)


def scrub_value(value: Any, needles: Needles) -> Any:
    """A JSON value with every personal field blanked: by key (PERSONAL_KEYS, PERSONAL_CONTAINERS), and any
    text that contains the customer's name, phone or address. JSON inside a string is scrubbed too."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if _personal_key(str(k)) or str(k).casefold() in PERSONAL_CONTAINERS:
                out[k] = _blank_all(v)
            else:
                out[k] = scrub_value(v, needles)
        return out
    if isinstance(value, list):
        return [scrub_value(v, needles) for v in value]
    if isinstance(value, str):
        return scrub_text(value, needles)
    return value


def scrub_text(text: str, needles: Needles) -> str:
    """A stored payload (JSON, a form body or plain text) with the personal fields blanked."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            pass
        else:
            return json.dumps(scrub_value(parsed, needles), ensure_ascii=False)
    return needles.blank(text)


def blank_customer(canonical: dict[str, Any]) -> dict[str, Any]:
    """A canonical order (order.schema.json) with its customer's name, phone and address blanked, and the
    notes the customer wrote."""
    out = {**canonical, "notes": None} if "notes" in canonical else dict(canonical)
    customer = out.get("customer")
    if isinstance(customer, dict):
        out["customer"] = {**customer, "name": None, "phone_masked": None, "address": None}
    return out
