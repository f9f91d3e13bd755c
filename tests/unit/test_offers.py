"""Offer codes (alphabet, check character), discounts, an offer's checks and the segment before an order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from posapp.domain.offers import (
    ALPHABET,
    CODE_LENGTH,
    OWN_CHANNELS,
    SEGMENTS,
    Offer,
    OfferError,
    OfferKind,
    check_offer,
    format_code,
    new_code,
    normalise_code,
    segment_before,
)
from posapp.reports.segments import Segment, segment_of


def codes(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [new_code(rng.choice) for _ in range(n)]


def test_codes_use_no_character_staff_misread() -> None:
    assert not set("01ILO") & set(ALPHABET)
    for code in codes(200):
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert normalise_code(code) == code


def test_a_code_reads_back_however_it_is_typed() -> None:
    code = codes(1)[0]
    shown = format_code(code)
    assert shown[4] == "-" and shown.replace("-", "") == code
    assert normalise_code(f"  {shown.lower()} ") == code
    assert normalise_code(f"{code[:2]} {code[2:5]}-{code[5:]}") == code


def test_every_single_wrong_character_is_caught() -> None:
    for code in codes(40):
        for i in range(CODE_LENGTH):
            for ch in ALPHABET:
                if ch == code[i]:
                    continue
                typo = code[:i] + ch + code[i + 1 :]
                with pytest.raises(OfferError, match="typo"):
                    normalise_code(typo)


def test_every_swap_of_two_neighbouring_characters_is_caught() -> None:
    for code in codes(200):
        for i in range(CODE_LENGTH - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            with pytest.raises(OfferError, match="typo"):
                normalise_code(swapped)


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("", "Type the code"),
        ("ABC", "has 8 characters; this one has 3"),
        ("K7QM-3XP0", "never use 0, 1, I, L or O"),
    ],
)
def test_a_code_that_cannot_be_one_says_why(typed: str, sentence: str) -> None:
    with pytest.raises(OfferError, match=sentence):
        normalise_code(typed)


def test_percent_off_rounds_half_up_and_fixed_off_never_exceeds_the_order() -> None:
    ten = Offer("10 % off", OfferKind.PERCENT, 10, "CNY")
    assert ten.discount_on(3_200) == 320
    assert ten.discount_on(1_005) == 101  # 100.5 -> 101
    assert ten.discount_on(1_004) == 100  # 100.4 -> 100
    five = Offer("¥5 off", OfferKind.FIXED, 500, "CNY")
    assert five.discount_on(3_200) == 500
    assert five.discount_on(300) == 300


@pytest.mark.parametrize(
    ("offer", "sentence"),
    [
        (Offer(" ", OfferKind.PERCENT, 10, "CNY"), "Write the offer's text"),
        (Offer("x", OfferKind.PERCENT, 0, "CNY"), "from 1 to 100"),
        (Offer("x", OfferKind.PERCENT, 101, "CNY"), "from 1 to 100"),
        (Offer("x", OfferKind.FIXED, 0, "CNY"), "more than 0"),
        (Offer("x", OfferKind.FIXED, 100, "CNY", min_spend=-1), "minimum spend"),
        (Offer("x", OfferKind.FIXED, 100, "CNY", valid_days=0), "1 to 365 days"),
        (Offer("x", OfferKind.FIXED, 100, "CNY", segments=frozenset()), "at least one segment"),
        (Offer("x", OfferKind.FIXED, 100, "CNY", segments=frozenset({"vip"})), "Unknown segment vip"),
        (Offer("x" * 81, OfferKind.FIXED, 100, "CNY"), "81 characters long"),
    ],
)
def test_an_offer_that_cannot_be_printed_or_used_says_what_to_fix(offer: Offer, sentence: str) -> None:
    with pytest.raises(OfferError, match=sentence):
        check_offer(offer)


def test_the_segment_names_are_the_customer_tabs_and_platforms_are_not_own_channels() -> None:
    assert tuple(s.value for s in Segment) == SEGMENTS
    assert {"meituan", "eleme", "ubereats", "doordash"}.isdisjoint(OWN_CHANNELS)
    assert {"manual", "own"} == OWN_CHANNELS


def rule(n: int, spent: int, days: int) -> str:
    return segment_of(n, spent, days).value


def test_the_segment_is_the_one_just_before_the_order() -> None:
    at = datetime(2026, 12, 4, 12, tzinfo=UTC)
    day = timedelta(days=1)
    assert segment_before([], at, rule) == "new"
    assert segment_before([(at - 3 * day, 2_000)], at, rule) == "new"  # one earlier order
    assert segment_before([(at - 40 * day, 2_000), (at - 3 * day, 2_000)], at, rule) == "regular"
    assert segment_before([(at - 50 * day, 2_000), (at - 45 * day, 2_000)], at, rule) == "lapsing"
    assert segment_before([(at - 70 * day, 2_000)], at, rule) == "lost"  # came back after 70 days
    four = [(at - k * day, 8_000) for k in (2, 5, 9, 20)]
    assert segment_before(four, at, rule) == "high-value"
    assert segment_before([(at + day, 2_000)], at, rule) == "new"  # a later order does not count
