"""Per-store platform secrets sealed (Fernet: AES-128-CBC + HMAC-SHA256) under the hub key.

The hub key is never in the database: it is read by name (``hub-key``) through ``posapp.vault`` — a systemd
credential for a service (``LoadCredentialEncrypted=hub-key:…``), else the OS keyring. A copy of the database
alone (a backup, a replica) holds no usable platform secret.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from posapp.errors import ConfigError
from posapp.vault import get_secret

KEY_NAME = "hub-key"


def new_key() -> str:
    """A fresh hub key (urlsafe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode()


class Sealer:
    """Seals and opens secrets with one key; ``from_vault`` reads it by name."""

    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"The hub key {KEY_NAME!r} is not a key made by 'posapp hub key new'.") from exc
        self._key = key.encode()

    @classmethod
    def from_vault(cls, name: str = KEY_NAME) -> Sealer:
        key = get_secret(name)
        if key is None:
            raise ConfigError(
                f"The hub has no key to seal platform secrets: make one with 'posapp hub key new' and keep it "
                f"in the keyring ('posapp secret set {name}') or, for a service, as the systemd credential {name}."
            )
        return cls(key)

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for one other use (the office page's session cookies), never the sealing key itself."""
        return hmac.new(self._key, b"posapp-hub:" + purpose.encode(), hashlib.sha256).digest()

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("utf-8")).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode("utf-8")
        except InvalidToken as exc:
            raise ConfigError("A platform secret cannot be opened with this hub key (another key?).") from exc
