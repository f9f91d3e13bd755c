"""Money as an integer of minor units plus an ISO 4217 currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from posapp.errors import CurrencyMismatch, PayloadError

# ISO 4217 minor-unit exponents that differ from 2; every other currency has two decimals.
_EXPONENTS = {
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "HUF": 2,
    "KWD": 3,
    "BHD": 3,
    "JOD": 3,
    "OMR": 3,
    "TND": 3,
}


def minor_units(currency: str) -> int:
    """How many decimal places the currency's minor unit has (CNY 2, JPY 0, KWD 3)."""
    if len(currency) != 3 or not (currency.isascii() and currency.isalpha() and currency.isupper()):
        raise PayloadError(f"not an ISO 4217 currency code: {currency!r}")
    return _EXPONENTS.get(currency, 2)


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """A platform's number (string, int or JSON float) as an exact Decimal; ``PayloadError`` if it is none."""
    if isinstance(value, (bool, dict, list)) or value is None:
        raise PayloadError(f"{what} is not a number: {value!r}")
    if isinstance(value, float):
        # Platforms send JSON numbers; repr() of a float is the shortest string that round-trips.
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise PayloadError(f"{what} is not a number: {value!r}") from exc
    if not number.is_finite():
        raise PayloadError(f"{what} is not a number: {value!r}")
    return number


def to_minor(amount: str | int | Decimal, currency: str) -> int:
    """Parse a major-unit amount such as ``"12.5"`` yuan into minor units (1250 fen), exactly."""
    value = to_decimal(amount)
    scaled = (value * (Decimal(10) ** minor_units(currency))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(scaled)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount in minor units of ``currency``; arithmetic refuses mixed currencies."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int of minor units")
        minor_units(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, amount: str | int | Decimal, currency: str) -> Money:
        return cls(to_minor(amount, currency), currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.amount * factor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_units(self.currency))

    def format(self) -> str:
        """``¥12.50``, ``$3.00``, ``JPY 500``: what a receipt prints."""
        symbol = {
            "CNY": "¥",
            "USD": "$",
            "EUR": "€",
            "GBP": "£",
            "HKD": "HK$",
            "CAD": "CA$",
            "AUD": "A$",
        }.get(self.currency)
        places = minor_units(self.currency)
        text = f"{abs(self.decimal()):,.{places}f}"
        sign = "-" if self.amount < 0 else ""
        return f"{sign}{symbol}{text}" if symbol else f"{sign}{self.currency} {text}"

    def __str__(self) -> str:
        return self.format()
