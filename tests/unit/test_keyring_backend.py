"""No safe keyring on the machine: one sentence naming the backend to install, and never a plain-file fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from posapp.errors import ConfigError
from posapp.vault import get_secret, set_secret


@pytest.fixture
def backend_swap() -> Iterator[None]:
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


def test_no_backend_at_all_is_one_sentence_naming_what_to_install(backend_swap: None) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(ConfigError) as caught:
        set_secret("meituan-secret", "s3cret")
    sentence = str(caught.value)
    assert "install the Secret Service" in sentence and "never writes a secret to a plain file" in sentence
    with pytest.raises(ConfigError, match="install the Secret Service"):
        get_secret("meituan-secret")


def test_a_plaintext_file_backend_is_refused_and_nothing_is_written(
    backend_swap: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    with pytest.raises(ConfigError, match="install the Secret Service"):
        set_secret("meituan-secret", "s3cret")
    assert not Path(plain.file_path).exists()
    assert not any("s3cret" in p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file())


def test_the_suites_memory_keyring_is_a_real_backend() -> None:
    set_secret("test-ok-secret", "v")
    assert get_secret("test-ok-secret") == "v"


def test_a_plaintext_backend_chosen_by_name_is_the_operators_decision(
    backend_swap: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    keyring.set_keyring(PlaintextKeyring())
    set_secret("meituan-secret", "s3cret")
    assert get_secret("meituan-secret") == "s3cret"
