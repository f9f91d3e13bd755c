"""Secrets by name from systemd credentials or the OS keyring; never written to a file or a log.

A headless service gets its secrets from systemd (``LoadCredential=``/``SetCredential=`` in the unit put one file
per secret in ``$CREDENTIALS_DIRECTORY``, readable by the service alone); a desktop uses the OS keyring. Never the
command line or a plain environment variable: both are readable by other processes of the machine.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
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


# Backends that keep secrets in a plain (or merely encoded) file: keyring may pick one of them by itself
# (keyrings.alt installed, no Secret Service). posapp refuses them instead of falling back silently.
PLAINTEXT_BACKENDS = ("keyrings.alt.file.PlaintextKeyring", "keyrings.alt.file.EncryptedKeyring")
PLAINTEXT_MODULES = ("keyrings.alt.file", "keyrings.alt.Gnome", "keyrings.alt.Google")


def install_hint() -> str:
    """The keyring backend to install on this kind of computer, in one clause."""
    if sys.platform.startswith("linux"):
        return (
            "install the Secret Service (sudo apt install gnome-keyring, then sign in to the desktop once) "
            "or KWallet"
        )
    if sys.platform == "darwin":
        return "allow posapp to use the macOS Keychain"
    return "turn on the Windows Credential Manager"


def no_keyring_sentence() -> str:
    return (
        "This computer has no keyring to keep platform secrets safely: "
        f"{install_hint()}; posapp never writes a secret to a plain file."
    )


def keyring_backend() -> object:
    """The keyring backend that will keep secrets; ``ConfigError`` with the sentence when there is none
    or when the only one keeps them in a plain file."""
    import keyring  # here, not at the top: a service reading systemd credentials never loads it
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    parts = (
        backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]  # type: ignore[attr-defined]
    )
    usable = [b for b in parts if not isinstance(b, fail.Keyring) and not _plain(b)]
    if not usable:
        raise ConfigError(no_keyring_sentence())
    return backend


def _plain(backend: object) -> bool:
    """A backend keeping secrets in a file — unless the operator chose it by name (PYTHON_KEYRING_BACKEND),
    which is a decision, not a silent fallback (test rigs, a kiosk image with an encrypted disk)."""
    cls = type(backend)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if os.environ.get("PYTHON_KEYRING_BACKEND") == name:
        return False
    return name in PLAINTEXT_BACKENDS or cls.__module__.startswith(PLAINTEXT_MODULES)


def _from_keyring(name: str) -> str | None:
    """The keyring's entry; a machine with no keyring is explained, not hidden."""
    import keyring  # here, not at the top: a service reading systemd credentials never loads it
    from keyring.errors import KeyringError, NoKeyringError

    keyring_backend()
    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError as exc:
        raise ConfigError(no_keyring_sentence()) from exc
    except KeyringError as exc:
        raise ConfigError(f"The keyring refused to read {name!r}: {type(exc).__name__}") from exc


def set_secret(name: str, value: str) -> None:
    """Keep ``value`` in the OS keyring under ``name``; ``ConfigError`` (nothing stored) without a safe one."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    keyring_backend()
    try:
        keyring.set_password(SERVICE, name, value)
    except NoKeyringError as exc:
        raise ConfigError(no_keyring_sentence()) from exc
    except KeyringError as exc:
        raise ConfigError(f"The keyring refused to store {name!r}: {type(exc).__name__}") from exc
    log.info("secret %r stored in the keyring", name)


def delete_secret(name: str) -> None:
    """Forget the secret ``name`` (a platform removed in the settings); nothing happens if it is absent."""
    import keyring
    from keyring.errors import KeyringError

    keyring_backend()
    try:
        keyring.delete_password(SERVICE, name)
    except KeyringError:
        pass
