"""``posapp engine``: the order engine as its own process, no Qt — takes a signed push, stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from posapp.connectors.own import signed_headers
from tests.integration.test_service import ROOT, child_env

ORDER = json.loads((ROOT / "tests" / "fixtures" / "own" / "order_pickup.json").read_text("utf-8"))
SECRET = "own-shared-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, proc: subprocess.Popen[str], timeout: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            resp = httpx.get(f"{base}/healthz", timeout=1)
            if resp.status_code == 200:
                return dict(resp.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the engine never answered /healthz")


def test_the_engine_runs_headless_takes_a_signed_order_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[listener]\nhost = "127.0.0.1"\nport = {port}\n\n[platforms.own]\nbase_url = ""\n', encoding="utf-8"
    )
    creds = tmp_path / "credentials"
    creds.mkdir()
    (creds / "own-secret").write_text(SECRET + "\n", encoding="utf-8")
    env = child_env(tmp_path, CREDENTIALS_DIRECTORY=str(creds))
    env.pop("QT_QPA_PLATFORM", None)  # no screen, and none needed
    proc = subprocess.Popen(
        [sys.executable, "-m", "posapp", "engine", "--data-dir", str(data_dir), "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_healthy(base, proc)
        assert health["database"] == "ok"
        body = json.dumps(ORDER).encode()
        resp = httpx.post(f"{base}/webhooks/own", content=body, headers=signed_headers(SECRET, body))
        assert resp.status_code == 200
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    with sqlite3.connect(data_dir / "posapp.db") as conn:
        assert conn.execute("SELECT external_id FROM orders").fetchall() == [(ORDER["external_id"],)]
    log = (data_dir / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert "engine stopped" in log
    assert SECRET not in log


def test_the_engine_imports_no_qt() -> None:
    code = (
        "import sys, posapp.engine.headless, posapp.engine.engine, posapp.engine.demo; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'shiboken6')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
