"""Transports: URIs, short timeouts and the sentences staff see when a printer cannot be reached."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from posapp.errors import ConfigError, PrinterOffline
from posapp.printing.profiles import get_profile
from posapp.printing.transports import (
    CupsTransport,
    FileTransport,
    SerialTransport,
    TcpTransport,
    UsbTransport,
    open_transport,
)
from tests.printer_server import FakePrinter, free_port


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("tcp://192.168.1.50:9100", TcpTransport("192.168.1.50", 9100)),
        ("tcp://printer.local", TcpTransport("printer.local", 9100)),
        ("file:/dev/usb/lp0", FileTransport("/dev/usb/lp0")),
        ("usb:04b8:0202", UsbTransport(0x04B8, 0x0202)),
        ("usb:0x0416:0x5011", UsbTransport(0x0416, 0x5011)),
        ("serial:/dev/ttyUSB0?baudrate=19200", SerialTransport("/dev/ttyUSB0", 19200)),
        ("cups:Receipt", CupsTransport("Receipt", timeout=9.0)),
    ],
)
def test_uris_choose_their_transport(uri: str, expected: object) -> None:
    assert open_transport(uri) == expected


@pytest.mark.parametrize(
    "uri", ["lpt1", "tcp://:9100", "usb:zz:01", "usb:1:2:3", "serial:", "cups:", "ftp://x"]
)
def test_bad_uris_are_config_errors_with_an_example(uri: str) -> None:
    with pytest.raises(ConfigError):
        open_transport(uri)


def test_refused_connection_says_the_printer_is_offline_within_the_short_timeout() -> None:
    transport = open_transport(f"tcp://127.0.0.1:{free_port()}", label="Kitchen printer", timeout=0.5)
    t0 = time.monotonic()
    with pytest.raises(PrinterOffline, match="Kitchen printer is offline: .* refused the connection"):
        transport.send(b"\x1b@hello\n")
    assert time.monotonic() - t0 < 2


def test_tcp_send_reaches_the_printer_with_a_status_check_before_and_after() -> None:
    with FakePrinter() as printer:
        open_transport(printer.uri, timeout=1).send(b"\x1b@hello\n")
        deadline = time.monotonic() + 5
        while not printer.tickets and time.monotonic() < deadline:
            time.sleep(0.01)
    assert printer.tickets[0] == b"\x10\x04\x04\x10\x04\x02\x1b@hello\n\x10\x04\x01"


def test_status_check_can_be_switched_off_for_printers_that_never_answer() -> None:
    with FakePrinter(mode="hang") as printer:
        open_transport(printer.uri, timeout=0.5, status_query=False).send(b"\x1b@x\n")
        with pytest.raises(PrinterOffline, match="does not answer"):
            open_transport(printer.uri, timeout=0.3).send(b"\x1b@x\n")


def test_file_transport_appends_and_explains_a_missing_device(tmp_path: Path) -> None:
    out = tmp_path / "ticket.bin"
    open_transport(f"file:{out}").send(b"one")
    open_transport(f"file:{out}").send(b"two")
    assert out.read_bytes() == b"onetwo"
    with pytest.raises(PrinterOffline, match="is not connected"):
        open_transport(f"file:{tmp_path / 'no' / 'lp0'}", label="Bar printer").send(b"x")


def test_cups_transport_hands_raw_bytes_to_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for CUPS's lp command (an external program, not our code): keeps its arguments and stdin.
    lp = tmp_path / "lp"
    lp.write_text(
        f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/job\n[ "$2" = "Receipt" ] || {{ echo "lp: The printer or class does not exist." >&2; exit 1; }}\n'
    )
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    open_transport("cups:Receipt").send(b"\x1b@receipt\n")
    assert (tmp_path / "args").read_text().split() == ["-d", "Receipt", "-o", "raw"]
    assert (tmp_path / "job").read_bytes() == b"\x1b@receipt\n"
    with pytest.raises(PrinterOffline, match="CUPS refused the job: lp: The printer or class does not exist"):
        open_transport("cups:Nope", label="Counter printer").send(b"x")


def test_usb_without_pyusb_or_device_is_a_printer_offline_sentence() -> None:
    with pytest.raises(PrinterOffline, match="Counter printer"):
        open_transport("usb:0416:5011", label="Counter printer").send(b"x")


def test_profiles_from_python_escpos_capabilities() -> None:
    tm = get_profile("escpos:TM-T88V")
    assert tm.width_mm == 80 and tm.cutter and tm.native_qr and tm.encoding == "cp437"
    small = get_profile("escpos:POS-5890", encoding="gb18030")
    assert small.width_mm == 58 and not small.native_qr and small.chinese_mode
    with pytest.raises(ConfigError, match="no printer profile"):
        get_profile("escpos:Nope-3000")
    with pytest.raises(ConfigError, match="encoding 'utf-8' is not supported"):
        get_profile("generic-80", encoding="utf-8")


def test_serial_without_pyserial_or_device_is_a_printer_offline_sentence() -> None:
    with pytest.raises(PrinterOffline, match="Bar printer"):
        open_transport("serial:/dev/ttyUSB9", label="Bar printer").send(b"x")
