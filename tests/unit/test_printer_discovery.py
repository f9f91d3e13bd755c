"""Finding printers: CUPS queues from lpstat, a raw-printing port found by the network scan, an address checked."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from posapp.services.printer_discovery import cups_queues, probe, scan_network
from tests.printer_server import FakePrinter, free_port


def test_cups_queues_come_from_lpstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lpstat = tmp_path / "lpstat"
    lpstat.write_text("#!/bin/sh\necho Kitchen_TM_T88\necho Receipt58\n", encoding="utf-8")
    lpstat.chmod(lpstat.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert [(p.uri, p.kind) for p in cups_queues()] == [
        ("cups:Kitchen_TM_T88", "cups"),
        ("cups:Receipt58", "cups"),
    ]


def test_no_cups_means_no_queues(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cups_queues() == []


def test_the_scan_finds_the_printer_port_and_probe_tells_a_closed_one(arun: Any) -> None:
    with FakePrinter() as printer:
        found = arun(scan_network("127.0.0.1/32", port=printer.port))
        assert [p.uri for p in found] == [printer.uri]
        assert arun(probe("127.0.0.1", printer.port))
    assert not arun(probe("127.0.0.1", free_port(), timeout=0.3))
