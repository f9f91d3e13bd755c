"""Money: integer minor units, exact parsing, no mixed currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.money import Money, minor_units, to_minor
from posapp.errors import CurrencyMismatch, PayloadError


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.5", "CNY", 1250),
        ("0.01", "CNY", 1),
        (28.8, "CNY", 2880),
        (0.1 + 0.2, "USD", 30),
        (Decimal("19.995"), "USD", 2000),
        ("500", "JPY", 500),
        ("1.234", "KWD", 1234),
        (7, "CNY", 700),
    ],
)
def test_to_minor_is_exact(amount: object, currency: str, minor: int) -> None:
    assert to_minor(amount, currency) == minor  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "Infinity", True])
def test_to_minor_refuses_non_amounts(bad: object) -> None:
    with pytest.raises(PayloadError):
        to_minor(bad, "CNY")  # type: ignore[arg-type]


def test_currency_codes_are_checked() -> None:
    assert minor_units("JPY") == 0
    with pytest.raises(PayloadError):
        minor_units("yuan")


def test_arithmetic_and_mixed_currencies() -> None:
    a = Money(1250, "CNY")
    assert a + Money(50, "CNY") == Money(1300, "CNY")
    assert a * 3 == Money(3750, "CNY")
    assert (a - Money(2000, "CNY")).format() == "-¥7.50"
    with pytest.raises(CurrencyMismatch):
        a + Money(100, "USD")


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money(12.5, "CNY")  # type: ignore[arg-type]


def test_formatting() -> None:
    assert Money(123456, "USD").format() == "$1,234.56"
    assert Money(500, "JPY").format() == "JPY 500"


def test_orders_with_absurd_amounts_are_refused_before_storage() -> None:
    from posapp.domain.order import LineItem, Totals
    from tests.factories import make_order

    with pytest.raises(PayloadError, match="out of range"):
        make_order(items=(LineItem("宫保鸡丁", 1, 10**30),), totals=Totals(subtotal=10**30, total=10**30))
    with pytest.raises(PayloadError, match="implausible quantity"):
        make_order(items=(LineItem("宫保鸡丁", 10**9, 100),), totals=Totals(subtotal=0, total=0))
