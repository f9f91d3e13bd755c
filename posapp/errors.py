"""Precise exception types that carry the sentence a user must see."""

from __future__ import annotations


class PosappError(Exception):
    """Base of every error posapp raises on purpose; ``str(err)`` is safe to show to staff."""


class PayloadError(PosappError):
    """A platform payload that cannot be turned into a canonical order."""


class SignatureError(PosappError):
    """A push whose signature, token or timestamp does not verify."""


class TransitionError(PosappError):
    """A status change that the order lifecycle does not allow."""


class Conflict(PosappError):
    """A command tapped on an order that has changed since (another screen was first); nothing was applied."""


class NotFoundError(PosappError):
    """An order, printer or job that does not exist."""


class PrinterOffline(PosappError):
    """A printer that cannot be reached, is out of paper or refuses the bytes."""


class StorageError(PosappError):
    """The local database cannot be written (disk full, read-only, locked)."""


class CurrencyMismatch(PosappError):
    """Money in two currencies was combined; ``currencies`` lists them when known."""

    def __init__(self, message: str, currencies: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.currencies = currencies


class ConfigError(PosappError):
    """A setting, secret or printer URI that is missing or wrong."""


class PushRejected(PosappError):
    """The platform refused a push for good (bad state, unknown order): park it, do not retry."""


class PlatformUnavailable(PosappError):
    """The platform answered but asked us to come back later (rate limit, its own error): retry."""


class RefundRefused(PosappError):
    """A refund that cannot be recorded (more than the order total, or nothing)."""


class PinRejected(PosappError):
    """A PIN that does not match, or a PIN that is too weak to set."""


class LockedOut(PosappError):
    """Too many wrong PINs: the user must wait until ``until`` (aware UTC)."""

    def __init__(self, message: str, until: object = None) -> None:
        super().__init__(message)
        self.until = until


class NotAllowed(PosappError):
    """The signed-in role may not do this (a cashier opening reports)."""


class StatementError(PosappError):
    """A platform settlement statement that cannot be imported; ``line`` is the file's line (1 = header)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line
        self.reason = message
