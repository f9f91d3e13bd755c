"""posapp as a service: start-up refuses a taken port, /healthz answers, the log file stays readable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.connectors.own import OwnConnector
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store.db import Database
from posapp.ui.qt_messages import NOISE

ROOT = Path(__file__).resolve().parents[2]


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The suite's offscreen Qt and in-memory keyring, but Qt's own logging rules left alone: the app filters."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    env.pop("QT_LOGGING_RULES", None)
    env.pop("CREDENTIALS_DIRECTORY", None)
    env.update(extra)
    return env


def run_posapp(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "posapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def taken_port() -> Iterator[int]:
    """Another program listening on a loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_taken_listener_port_stops_start_up_with_one_sentence_and_status_1(
    tmp_path: Path, taken_port: int
) -> None:
    data_dir = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[listener]\nport = {taken_port}\n\n[platforms.own]\nbase_url = ""\n', encoding="utf-8"
    )
    creds = tmp_path / "credentials"
    creds.mkdir()
    (creds / "own-secret").write_text("own-shared-secret\n", encoding="utf-8")
    env = child_env(tmp_path, CREDENTIALS_DIRECTORY=str(creds))

    done = run_posapp(["--data-dir", str(data_dir), "--config", str(config)], env)

    sentence = (
        f"posapp: cannot listen for platform pushes on 127.0.0.1:{taken_port}: address already in use — "
        "another posapp or program holds the port; change [listener] port in config.toml or stop it."
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("cannot listen for platform pushes") == 1, done.stderr
    assert sentence in done.stderr.splitlines()
    log = (data_dir / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert sentence.removeprefix("posapp: ") in log


def test_the_demo_keeps_a_log_file_without_qt_noise(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    done = run_posapp(["--demo", "--data-dir", str(data_dir), "--quit-after", "8"], child_env(tmp_path))
    assert done.returncode == 0, done.stderr
    log = (data_dir / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert "INFO posapp: posapp " in log and "starting (demo)" in log
    assert "INFO posapp.engine.engine: database at sqlite:///" in log
    assert "INFO posapp.services.channels: webhook listener on 127.0.0.1:" in log
    assert "INFO posapp.services.intake: order " in log  # orders landed
    # Offscreen Qt prints "propagateSizeHints" on every window: without the handler it reaches stderr.
    noise = [line for line in (log + done.stderr).splitlines() if any(marker in line for marker in NOISE)]
    assert noise == []


@pytest.fixture
def listener(db: Database, arun: Any) -> Iterator[tuple[ChannelService, str]]:
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub), hub, [OwnConnector(secret="s")])
    port = arun(channels.start_listener("127.0.0.1", 0))
    yield channels, f"http://127.0.0.1:{port}/healthz"
    arun(channels.stop())


def get(url: str, arun: Any) -> httpx.Response:
    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(url)

    response: httpx.Response = arun(fetch())
    return response


def test_healthz_answers_ok_with_the_database_and_each_platform(
    listener: tuple[ChannelService, str], arun: Any
) -> None:
    channels, url = listener
    channels.state["own"] = "online"
    response = get(url, arun)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok", "platforms": {"own": "online"}}


def test_healthz_shows_the_state_word_never_the_detail(
    listener: tuple[ChannelService, str], arun: Any
) -> None:
    channels, url = listener
    # A parser error's text may quote the payload (a phone number, an address): the word is enough.
    channels.state["own"] = "error: invalid literal for int(): '13812345678'"
    response = get(url, arun)
    assert response.json()["platforms"] == {"own": "error"}
    assert "1381" not in response.text


def test_healthz_is_503_when_the_database_does_not_answer(
    listener: tuple[ChannelService, str], db: Database, arun: Any
) -> None:
    _channels, url = listener
    db.close()  # the database thread is gone, as after a fatal storage error
    response = get(url, arun)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "platforms": {"own": "starting"}}
