"""Personal fields sealed at rest: AES-256-GCM per value, bound to its table, column and row, and a keyed
HMAC-SHA256 blind index for the look-ups that need equality (a repeat customer's phone).

A sealed value is text: ``pv1:<key id>:<base64url(nonce | ciphertext | tag)>``. The 96-bit nonce is random
per value; the associated data names the table, column and row (``orders.customer_phone#42``), so a value
copied into another row or column does not open. The key id says which data key sealed it, so a rotation
re-seals value by value while old and new keys are both held (``DataKeys``). Pure: no keyring, no SQL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from posapp.errors import PosappError
from posapp.store.randomness import random_bytes

PREFIX = "pv1:"
NONCE = 12  # bytes: 96 bits, as GCM wants
KEY = 32  # bytes: AES-256


class SealError(PosappError):
    """A sealed value that does not open: tampered with, moved to another row, or under an unknown key."""


class KeyMissing(SealError):
    """The database holds values sealed under a key this machine does not have."""


MISSING_KEY_SENTENCE = (
    "This database's personal data is encrypted with a key this machine does not have. "
    "Bring the key from the old counter: posapp privacy export-key there, posapp privacy import-key here"
)


@dataclass(frozen=True, slots=True)
class DataKeys:
    """The data keys by id (the one named ``current`` seals; the others only open) and the blind-index key."""

    current: str
    keys: dict[str, bytes] = field(repr=False)
    index: bytes = field(repr=False)

    @classmethod
    def new(cls) -> DataKeys:
        kid = _new_kid()
        return cls(kid, {kid: AESGCM.generate_key(bit_length=256)}, secrets.token_bytes(KEY))

    def rotated(self) -> DataKeys:
        """A new current key; the old ones kept to open what they sealed until the re-seal is done."""
        kid = _new_kid()
        while kid in self.keys:
            kid = _new_kid()
        return DataKeys(kid, {**self.keys, kid: AESGCM.generate_key(bit_length=256)}, self.index)

    def only_current(self) -> DataKeys:
        return DataKeys(self.current, {self.current: self.keys[self.current]}, self.index)

    def to_text(self) -> str:
        """The form kept in the keyring (and, wrapped under a passphrase, in an exported key file)."""
        return json.dumps(
            {
                "v": 1,
                "current": self.current,
                "keys": {k: _b64(v) for k, v in self.keys.items()},
                "index": _b64(self.index),
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> DataKeys:
        try:
            doc = json.loads(text)
            keys = {str(k): _unb64(v) for k, v in doc["keys"].items()}
            made = cls(str(doc["current"]), keys, _unb64(doc["index"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SealError("The stored data key is damaged: it is not a posapp data key.") from exc
        if made.current not in keys or any(len(k) != KEY for k in keys.values()) or len(made.index) != KEY:
            raise SealError("The stored data key is damaged: it is not a posapp data key.")
        return made


def _new_kid() -> str:
    return secrets.token_hex(4)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def key_id(value: str) -> str:
    """The id of the key that sealed ``value`` (a sealed value)."""
    return value[len(PREFIX) :].split(":", 1)[0]


def _aad(table: str, column: str, row: object) -> bytes:
    return f"posapp/{table}.{column}#{row}".encode()


class Sealer:
    """Seals and opens values under ``DataKeys``; computes blind indexes."""

    def __init__(self, keys: DataKeys) -> None:
        self.keys = keys
        self._aead = {kid: AESGCM(k) for kid, k in keys.keys.items()}
        self._current = self._aead[keys.current]
        self._head = f"{PREFIX}{keys.current}:"
        self._index = hmac.new(keys.index, digestmod=hashlib.sha256)

    def seal(self, value: str | None, table: str, column: str, row: object) -> str | None:
        """``value`` sealed for this table, column and row; None and "" stay as they are (they say nothing)."""
        if not value:
            return value
        nonce = random_bytes(NONCE)  # the OS's generator, drawn in blocks (store/randomness.py)
        data = self._current.encrypt(nonce, value.encode("utf-8", "surrogatepass"), _aad(table, column, row))
        return self._head + _b64(nonce + data)

    def open(self, value: str | None, table: str, column: str, row: object) -> str | None:
        """The plain text of a value ``seal`` made for this table, column and row; ``SealError`` otherwise."""
        if not value:
            return value
        if not value.startswith(PREFIX):
            raise SealError(f"{_where(table, column, row)} is not encrypted in an encrypted database.")
        kid, _, body = value[len(PREFIX) :].partition(":")
        aead = self._aead.get(kid)
        if aead is None:
            raise KeyMissing(MISSING_KEY_SENTENCE)
        try:
            blob = _unb64(body)
            plain = aead.decrypt(blob[:NONCE], blob[NONCE:], _aad(table, column, row))
        except (InvalidTag, ValueError) as exc:
            raise SealError(
                f"{_where(table, column, row)} does not open with this database's key: "
                "it was altered or copied from another row."
            ) from exc
        return plain.decode("utf-8", "surrogatepass")

    def reseal(self, value: str | None, table: str, column: str, row: object) -> str | None:
        """``value`` under the current key (plain text is sealed; a value already under it is kept)."""
        if not value or value.startswith(self._head):
            return value
        plain = self.open(value, table, column, row) if is_sealed(value) else value
        return self.seal(plain, table, column, row)

    def index(self, value: str | None, *, kind: str) -> str | None:
        """The blind index of ``value`` (HMAC-SHA256 under the index key, 128 bits in hex): equal values give
        equal indexes, and nothing about the value can be read from it without the key."""
        if not value:
            return None
        mac = self._index.copy()  # the key's state, made once (not hashed again for every value)
        mac.update(f"{kind}\x00{value}".encode("utf-8", "surrogatepass"))
        return mac.hexdigest()[:32]


def _where(table: str, column: str, row: object) -> str:
    return f"The stored {column.replace('_', ' ')} of {table} row {row}"
