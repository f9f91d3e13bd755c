"""Secrets by name from systemd credentials or the OS keyring; never written to a file or a log.

A headless service gets its secrets from systemd (``LoadCredential=``/``SetCredential=`` in the unit put one file
per secret in ``$CREDENTIALS_DIRECTORY``, readable by the service alone); a desktop uses the OS keyring. Never the
command line or a plain environment variable: both are readable by other processes of the machine.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from posapp.errors import ConfigError

log = logging.getLogger(__name__)
SERVICE = "posapp"
CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"  # set by systemd for a unit with LoadCredential= / SetCredential=


def get_secret(name: str) -> str | None:
    """The secret stored under ``name``: systemd's credential file first, then the keyring; None if neither."""
    value = credential(name)
    if value is not None:
        log.debug("secret %r read from systemd credentials", name)
        return value
    value = _from_keyring(name)
    log.debug("secret %r %s", name, "read from the keyring" if value is not None else "not in the keyring")
    return value


def credential(name: str) -> str | None:
    """``$CREDENTIALS_DIRECTORY/<name>`` as systemd passes it, without its one trailing newline; None if absent."""
    folder = os.environ.get(CREDENTIALS_ENV)
    if not folder or name in ("", ".", "..") or Path(name).name != name:
        return None  # systemd credential names are plain file names; anything else is not one of them
    path = Path(folder) / name
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"The credential {name!r} in {folder} is not a regular file.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"The credential {name!r} in {folder} cannot be read: {type(exc).__name__}"
        ) from exc
    text = text.removesuffix("\n")
    if not text:
        raise ConfigError(f"The credential {name!r} in {folder} is empty.")
    return text


def _from_keyring(name: str) -> str | None:
    """The keyring's entry; a machine with no keyring is explained, not hidden."""
    import keyring  # here, not at the top: a service reading systemd credentials never loads it
    from keyring.errors import KeyringError, NoKeyringError

    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError as exc:
        raise ConfigError(
            "This computer has no keyring to keep platform secrets. Install a keyring backend "
            "(Secret Service, KWallet, macOS Keychain, Windows Credential Locker) and run "
            f"'posapp secret set {name}', or, for a service, pass it as a systemd credential "
            f"(LoadCredential={name}:/path/to/file)."
        ) from exc
    except KeyringError as exc:
        raise ConfigError(f"The keyring refused to read {name!r}: {type(exc).__name__}") from exc


def set_secret(name: str, value: str) -> None:
    import keyring
    from keyring.errors import NoKeyringError

    try:
        keyring.set_password(SERVICE, name, value)
    except NoKeyringError as exc:
        raise ConfigError("No keyring backend: the secret was not stored anywhere.") from exc
    log.info("secret %r stored in the keyring", name)
