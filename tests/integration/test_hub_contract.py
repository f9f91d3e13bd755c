"""The contract (docs/upload-api.yaml) holds under a tester we did not write: schemathesis, all its checks, a bounded
number of generated requests, against the running hub and the reference receiver (real processes, loopback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from posapp.hub.sealing import Sealer
from tests.hub_support import ROOT, HubProcess, hub_env, make_sim, new_hub_key, open_hub_db, register_store

SPEC = ROOT / "docs" / "upload-api.yaml"
EXAMPLES = 25  # per operation and phase: the whole run stays within a few seconds
# 413 is the contract's answer to a batch over 1,000 rows: a refusal like 400, not an acceptance.
CONFIG = """[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
"""


def schemathesis(url: str, token: str, tmp: Path, *only: str) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).with_name("st")
    (tmp / "schemathesis.toml").write_text(CONFIG, encoding="utf-8")
    args = [str(st), "--config-file", str(tmp / "schemathesis.toml"), "run", str(SPEC), "--url", url]
    args += ["--checks", "all", "--max-examples", str(EXAMPLES)]
    # The relay feed is a WebSocket: an HTTP fuzzer cannot hold its handshake (tests/integration/test_hub.py does).
    args += ["--exclude-path", "/v1/relay"]
    args += ["--seed", "14", "--generation-database", "none", "-H", f"Authorization: Bearer {token}", *only]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}
    return subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=300)


def test_schemathesis_finds_nothing_in_the_hub(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    key = new_hub_key()
    engine = open_hub_db(url)
    token = register_store(engine, Sealer(key), "store-7", make_sim(1, "store-7"))  # the spec's example store
    engine.dispose()
    hub = HubProcess(url, hub_env(tmp_path, key))
    try:
        run = schemathesis(hub.url, token, tmp_path)
    finally:
        hub.stop()
    (tmp_path / "schemathesis.txt").write_text(run.stdout, encoding="utf-8")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # aiohttp itself logs the requests its HTTP parser refuses (400); none may fail inside our code.
    assert "/posapp/" not in "".join(hub.log)


def test_schemathesis_finds_nothing_in_the_reference_receiver(tmp_path: Path) -> None:
    env = {**os.environ, "POSAPP_HQ_TOKEN": "contract-token", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posapp",
            "hq-receiver",
            "--port",
            "0",
            "--db",
            f"sqlite:///{tmp_path / 'hq.db'}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        base = line.split("listening on ")[1].strip().removesuffix("/v1/batches")
        run = schemathesis(base, "contract-token", tmp_path, "--include-path", "/v1/batches")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "/posapp/" not in out
