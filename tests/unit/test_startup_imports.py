"""What the desktop app needs before its first paint does not load the network stacks: aiohttp and httpx
(a quarter of the launch's CPU) load once the engine serves (posapp/lazy.py, PosApp._until_painted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import posapp.engine.engine, posapp.services.setup, posapp.services.upload, posapp.connectors.registry
loaded = sorted(m for m in ("aiohttp", "httpx") if m in sys.modules)
print(",".join(loaded))
from posapp.services.channels import web
web.Application  # first use: now it is imported
print("aiohttp" in sys.modules)
"""


def test_the_engine_imports_without_aiohttp_or_httpx_and_loads_them_on_first_use() -> None:
    run = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded_by_imports, loaded_on_use = run.stdout.splitlines()
    assert loaded_by_imports == ""
    assert loaded_on_use == "True"
