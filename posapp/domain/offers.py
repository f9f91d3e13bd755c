"""Bounce-back offers: what a manager offers, to which segments, and the one-time codes a receipt carries.

Offers go only on receipts of the store's OWN channels (the counter's manual orders — walk-in and phone — and
the store's own website). Never on a Meituan, Ele.me, Uber Eats or DoorDash order: their merchant rules forbid
steering a platform's customers to another channel (a coupon for ordering direct is exactly that), so a
platform order gets no offer whatever its customer's segment.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from posapp.errors import PayloadError

# The channels that are the store's own. ``manual`` covers the counter: walk-in and phone orders.
OWN_CHANNELS = frozenset({"manual", "own"})

# The segment names of reports/segments.py's Segment, in the order the Customers tab shows them (a test holds
# the two equal; the domain imports no report).
SEGMENTS = ("new", "regular", "high-value", "lapsing", "lost")

# A code is 7 random characters and a check character, printed as two groups of four ("K7QM-3XPA").
# The alphabet leaves out 0/O and 1/I/L, which staff misread on paper and customers mistype; 31 characters,
# a prime, so the weighted check below catches every single wrong character and every swap of two
# neighbouring characters.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY_LENGTH = 7
CODE_LENGTH = BODY_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_N = len(ALPHABET)

MAX_TEXT = 80  # the offer's sentence on the receipt: two lines of a 58 mm roll at most
MAX_VALID_DAYS = 365


class OfferError(PayloadError):
    """An offer or a code that cannot be used; the sentence says why (shown to the cashier)."""


class OfferKind(StrEnum):
    PERCENT = "percent"  # value: whole percent off, 1-100
    FIXED = "fixed"  # value: minor units off


@dataclass(frozen=True, slots=True)
class Offer:
    """What a manager set up. ``min_spend`` and a fixed ``value`` are minor units of ``currency``."""

    text: str
    kind: OfferKind
    value: int
    currency: str
    min_spend: int = 0
    valid_days: int = 30
    segments: frozenset[str] = frozenset({"new"})
    active: bool = True
    id: int | None = None

    def discount_on(self, amount: int) -> int:
        """The discount on an order of ``amount`` (before the code): percent rounded half up, never more
        than the order."""
        off = (amount * self.value * 2 + 100) // 200 if self.kind is OfferKind.PERCENT else self.value
        return max(0, min(off, amount))

    def receives(self, segment: str | None) -> bool:
        return self.active and segment is not None and segment in self.segments


def check_offer(offer: Offer) -> Offer:
    """The offer as given, or ``OfferError`` with the first thing a manager must fix."""
    text = offer.text.strip()
    if not text:
        raise OfferError("Write the offer's text, as the receipt will print it.")
    if len(text) > MAX_TEXT:
        raise OfferError(f"The offer's text is {len(text)} characters long (at most {MAX_TEXT}).")
    if offer.kind is OfferKind.PERCENT and not 1 <= offer.value <= 100:
        raise OfferError("A percent off must be a whole number from 1 to 100.")
    if offer.kind is OfferKind.FIXED and offer.value <= 0:
        raise OfferError("An amount off must be more than 0.")
    if offer.min_spend < 0:
        raise OfferError("The minimum spend cannot be below 0.")
    if not 1 <= offer.valid_days <= MAX_VALID_DAYS:
        raise OfferError(f"A code must be valid for 1 to {MAX_VALID_DAYS} days.")
    unknown = sorted(set(offer.segments) - set(SEGMENTS))
    if unknown:
        raise OfferError(f"Unknown segment {', '.join(unknown)}.")
    if not offer.segments:
        raise OfferError("Choose at least one segment to receive the offer.")
    return offer


def _check_char(body: str) -> str:
    """The character that makes sum(position x value) over the whole code, positions 1.., a multiple of 31."""
    total = sum((i + 1) * _VALUE[ch] for i, ch in enumerate(body))
    weight = len(body) + 1
    # weight * c = -total (mod 31): c = -total * weight^-1
    return ALPHABET[(-total * pow(weight, -1, _N)) % _N]


def new_code(pick: Callable[[str], str] = secrets.choice) -> str:
    """A fresh code (unformatted, 8 characters) from ``pick`` (the OS's random by default)."""
    body = "".join(pick(ALPHABET) for _ in range(BODY_LENGTH))
    return body + _check_char(body)


def format_code(code: str) -> str:
    """``K7QM3XPA`` as printed and shown: ``K7QM-3XPA``."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(typed: str) -> str:
    """The code a cashier typed or a website sent, upper case without spaces or dashes, checked; ``OfferError``
    with a sentence when it cannot be one of ours (a typo is caught here, before anything is looked up)."""
    code = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if not code:
        raise OfferError("Type the code printed on the receipt.")
    if len(code) != CODE_LENGTH:
        raise OfferError(f"An offer code has {CODE_LENGTH} characters; this one has {len(code)}.")
    if any(ch not in _VALUE for ch in code):
        raise OfferError("This is not an offer code: codes never use 0, 1, I, L or O.")
    if _check_char(code[:-1]) != code[-1]:
        raise OfferError("This code is not valid: check it for a typo.")
    return code


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A code a receipt carried: its offer, the order that issued it, and until when it can be used."""

    code: str
    offer: Offer
    order_id: int
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Redemption:
    """A code used on an order: the discount it gave."""

    code: str
    offer_id: int
    order_id: int
    discount: int
    currency: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OfferCounts:
    """One offer's codes issued and redeemed within a period, and the discount the redemptions gave;
    ``issued_redeemed``: how many of the codes issued in the period have been used since (by any day)."""

    offer_id: int
    text: str
    issued: int
    redeemed: int
    discount: int
    currency: str
    issued_redeemed: int = 0


def segment_before(
    earlier: Iterable[tuple[datetime, int]],
    at: datetime,
    rule: Callable[[int, int, int], str],
) -> str:
    """The customer's segment just before an order placed ``at``, from their earlier kept orders
    ((placed_at, total) pairs) and the segment ``rule`` (orders, spent, days since the last): a customer
    with no earlier order is new. So a lapsing or lost customer who comes back gets the offer chosen for
    lapsing or lost customers, on the receipt of the order that brought them back."""
    before = sorted(e for e in earlier if e[0] < at)
    if not before:
        return "new"
    days = max(0, (at - before[-1][0]).days)
    return rule(len(before), sum(total for _, total in before), days)
