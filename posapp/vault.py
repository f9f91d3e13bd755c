"""Secrets from the OS keyring by name; never written to a file or a log."""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, NoKeyringError

from posapp.errors import ConfigError

log = logging.getLogger(__name__)
SERVICE = "posapp"


def get_secret(name: str) -> str | None:
    """The secret stored under ``name``, or None; a machine with no keyring is explained, not hidden."""
    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError as exc:
        raise ConfigError(
            "This computer has no keyring to keep platform secrets. Install a keyring backend "
            "(Secret Service, KWallet, macOS Keychain, Windows Credential Locker) and run "
            f"'posapp secret set {name}'."
        ) from exc
    except KeyringError as exc:
        raise ConfigError(f"The keyring refused to read {name!r}: {type(exc).__name__}") from exc


def set_secret(name: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, name, value)
    except NoKeyringError as exc:
        raise ConfigError("No keyring backend: the secret was not stored anywhere.") from exc
    log.info("secret %r stored in the keyring", name)
