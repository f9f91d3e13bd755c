"""Where the data keys live: the OS keyring (posapp/vault.py) under one name, and a passphrase-wrapped file to
carry them to another counter (``posapp privacy export-key`` / ``import-key``).

The wrapped form is JSON: scrypt (n=2^15, r=8, p=1, random 16-byte salt) turns the passphrase into a 256-bit
key, AES-256-GCM seals the keys under it. Without the passphrase the file says nothing.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from posapp.store.sealed import DataKeys, SealError
from posapp.vault import credential, get_secret, set_secret

KEY_NAME = "storage.data_key"  # the keyring entry (or systemd credential) holding the data keys
WRAP_FORMAT = "posapp-data-key"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 8


def load_keys() -> DataKeys | None:
    """The data keys this machine holds; None when it holds none."""
    text = get_secret(KEY_NAME)
    return None if text is None else DataKeys.from_text(text)


def save_keys(keys: DataKeys) -> None:
    """Keep ``keys`` in the keyring; refused (``SealError``) when they come from a systemd credential, which a
    running service cannot change: the operator replaces that file."""
    if credential(KEY_NAME) is not None:
        raise SealError(
            f"The data key comes from the systemd credential {KEY_NAME}: "
            "replace that file with the new key (posapp privacy export-key) instead."
        )
    set_secret(KEY_NAME, keys.to_text())


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)


def wrap(keys: DataKeys, passphrase: str) -> str:
    """``keys`` sealed under ``passphrase`` as the text of a key file."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealError(f"The passphrase is too short: use at least {MIN_PASSPHRASE} characters.")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _kdf(salt).derive(passphrase.encode("utf-8"))
    data = AESGCM(key).encrypt(nonce, keys.to_text().encode("utf-8"), WRAP_FORMAT.encode())
    doc = {
        "format": WRAP_FORMAT,
        "v": 1,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "nonce": _b64(nonce),
        "data": _b64(data),
    }
    return json.dumps(doc, indent=2) + "\n"


def unwrap(text: str, passphrase: str) -> DataKeys:
    """The keys in a key file; ``SealError`` with a sentence when it is not one or the passphrase is wrong."""
    try:
        doc = json.loads(text)
        if doc.get("format") != WRAP_FORMAT:
            raise ValueError("not a key file")
        kdf = doc["kdf"]
        scrypt = Scrypt(
            salt=_unb64(kdf["salt"]), length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])
        )
        nonce, data = _unb64(doc["nonce"]), _unb64(doc["data"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SealError("This is not a posapp key file (posapp privacy export-key makes one).") from exc
    try:
        plain = AESGCM(scrypt.derive(passphrase.encode("utf-8"))).decrypt(nonce, data, WRAP_FORMAT.encode())
    except InvalidTag as exc:
        raise SealError("Wrong passphrase for this key file (or the file was altered).") from exc
    return DataKeys.from_text(plain.decode("utf-8"))


def merged(held: DataKeys | None, brought: DataKeys) -> DataKeys:
    """The keys after an import: those brought (their current key seals from now on) and those already held
    (a first start on this machine may have sealed a few values under its own key)."""
    if held is None:
        return brought
    # No key is ever dropped here; the blind-index key is the brought one (the imported database's).
    return DataKeys(brought.current, {**held.keys, **brought.keys}, brought.index)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
