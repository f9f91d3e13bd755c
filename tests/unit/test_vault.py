"""Secrets by name: systemd's credentials directory first, then the keyring; the value never logged."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import keyring
import pytest

from posapp.errors import ConfigError
from posapp.vault import CREDENTIALS_ENV, SERVICE, get_secret


@pytest.fixture
def creds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder standing in for the one systemd makes for a unit with LoadCredential=."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    monkeypatch.setenv(CREDENTIALS_ENV, str(folder))
    return folder


@pytest.fixture
def in_keyring() -> Any:
    stored: list[str] = []

    def put(name: str, value: str) -> None:
        keyring.set_password(SERVICE, name, value)
        stored.append(name)

    yield put
    for name in stored:
        keyring.delete_password(SERVICE, name)


def test_credential_file_wins_over_the_keyring(creds: Path, in_keyring: Any) -> None:
    in_keyring("meituan-secret", "from-keyring")
    (creds / "meituan-secret").write_text("from-systemd\n", encoding="utf-8")
    assert get_secret("meituan-secret") == "from-systemd"


def test_without_a_credentials_directory_the_keyring_answers(
    in_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CREDENTIALS_ENV, raising=False)
    in_keyring("eleme-secret", "from-keyring")
    assert get_secret("eleme-secret") == "from-keyring"


def test_a_name_missing_from_the_credentials_directory_falls_back_to_the_keyring(
    creds: Path, in_keyring: Any
) -> None:
    (creds / "other-secret").write_text("x", encoding="utf-8")
    in_keyring("own-secret", "from-keyring")
    assert get_secret("own-secret") == "from-keyring"
    assert get_secret("nobody-set-this") is None


def test_one_trailing_newline_is_stripped_and_no_more(creds: Path) -> None:
    (creds / "a").write_bytes(b"abc\n\n")
    (creds / "b").write_bytes(b" spaced \n")
    assert get_secret("a") == "abc\n"
    assert get_secret("b") == " spaced "


def test_a_credential_that_is_not_a_regular_file_is_refused(creds: Path, tmp_path: Path) -> None:
    (creds / "a-folder").mkdir()
    target = tmp_path / "elsewhere"
    target.write_text("linked", encoding="utf-8")
    os.symlink(target, creds / "a-link")
    for name in ("a-folder", "a-link"):
        with pytest.raises(ConfigError, match="not a regular file"):
            get_secret(name)


def test_an_empty_credential_is_an_error_not_a_blank_secret(creds: Path) -> None:
    (creds / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="empty"):
        get_secret("empty")


def test_a_name_with_a_path_never_leaves_the_credentials_directory(creds: Path, tmp_path: Path) -> None:
    (tmp_path / "outside").write_text("not a credential", encoding="utf-8")
    assert get_secret("../outside") is None


def test_the_log_names_the_secret_and_its_source_never_the_value(
    creds: Path, in_keyring: Any, caplog: pytest.LogCaptureFixture
) -> None:
    (creds / "doordash-secret").write_text("dd-value-1\n", encoding="utf-8")
    in_keyring("ubereats-secret", "ue-value-2")
    with caplog.at_level(logging.DEBUG, logger="posapp.vault"):
        get_secret("doordash-secret")
        get_secret("ubereats-secret")
    assert "'doordash-secret' read from systemd credentials" in caplog.text
    assert "'ubereats-secret' read from the keyring" in caplog.text
    assert "dd-value-1" not in caplog.text and "ue-value-2" not in caplog.text
