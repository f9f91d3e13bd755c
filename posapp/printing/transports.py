"""Transports only move bytes: network (TCP 9100), USB, serial, CUPS and file, chosen by URI.

Every ``send`` blocks with SHORT timeouts (a few seconds, never python-escpos's 60 s default) and must
run off the GUI thread (``asyncio.to_thread``). Failures raise ``PrinterOffline`` with a sentence staff
understand; :class:`SendInterrupted` means some bytes may have reached the paper.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from posapp.errors import ConfigError, PrinterOffline

DEFAULT_TIMEOUT = 3.0
DLE_EOT = b"\x10\x04"


class SendInterrupted(PrinterOffline):
    """The connection broke while the ticket was being sent: part of it may be on the paper."""


class Transport(Protocol):
    @property
    def uri(self) -> str: ...

    @property
    def label(self) -> str: ...

    def send(self, data: bytes) -> None:
        """Deliver ``data`` to the printer or raise ``PrinterOffline``; returns once the bytes are written."""


@dataclass(frozen=True, slots=True)
class TcpTransport:
    """A network printer on raw TCP (port 9100, "JetDirect"); one connection per ticket."""

    host: str
    port: int = 9100
    label: str = "Printer"
    timeout: float = DEFAULT_TIMEOUT
    status_query: bool = True

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def send(self, data: bytes) -> None:
        where = f"{self.host}:{self.port}"
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise PrinterOffline(
                f"{self.label} is offline: no answer from {where}. Check it is switched on and on the network."
            ) from None
        except ConnectionRefusedError:
            raise PrinterOffline(
                f"{self.label} is offline: {where} refused the connection. Check it is switched on."
            ) from None
        except OSError as exc:
            raise PrinterOffline(
                f"{self.label} cannot be reached at {where}: {exc.strerror or exc}."
            ) from None
        with sock:
            sock.settimeout(self.timeout)
            if self.status_query:
                self._check_ready(sock)
            try:
                sock.sendall(data)
            except OSError as exc:
                raise SendInterrupted(
                    f"{self.label} stopped answering while printing ({type(exc).__name__}); "
                    "the ticket will be printed again marked REPRINT."
                ) from None
            if self.status_query:
                # A real-time status answer after the ticket: the printer has read every byte before it.
                self._status(sock, 1, interrupted=True)

    def _status(self, sock: socket.socket, n: int, *, interrupted: bool = False) -> int:
        error = SendInterrupted if interrupted else PrinterOffline
        try:
            sock.sendall(DLE_EOT + bytes((n,)))
            reply = sock.recv(1)
        except TimeoutError:
            raise error(
                f"{self.label} does not answer (connected, but silent for {self.timeout:g} s). "
                "Check for a paper jam or an error light."
            ) from None
        except OSError as exc:
            raise error(f"{self.label} dropped the connection: {exc.strerror or exc}.") from None
        if not reply:
            raise error(f"{self.label} closed the connection without answering.")
        return reply[0]

    def _check_ready(self, sock: socket.socket) -> None:
        paper = self._status(sock, 4)
        if paper & 0x60:
            raise PrinterOffline(f"{self.label} is out of paper. Load a new roll; tickets are waiting.")
        cause = self._status(sock, 2)
        if cause & 0x04:
            raise PrinterOffline(f"{self.label} cover is open. Close it to print.")


@dataclass(frozen=True, slots=True)
class FileTransport:
    """A file or device node (``/dev/usb/lp0``): append the bytes."""

    path: str
    label: str = "Printer"

    @property
    def uri(self) -> str:
        return f"file:{self.path}"

    def send(self, data: bytes) -> None:
        try:
            with open(self.path, "ab") as fh:
                fh.write(data)
                fh.flush()
                if os.path.isfile(self.path):
                    os.fsync(fh.fileno())  # "done" must mean on disk, like "on paper" for a printer
        except FileNotFoundError:
            raise PrinterOffline(f"{self.label} is not connected ({self.path} does not exist).") from None
        except PermissionError:
            raise PrinterOffline(
                f"{self.label}: no permission to write {self.path} (add this user to the 'lp' group)."
            ) from None
        except OSError as exc:
            raise PrinterOffline(
                f"{self.label} cannot be written ({self.path}): {exc.strerror or exc}."
            ) from None


@dataclass(frozen=True, slots=True)
class CupsTransport:
    """A printer queue in CUPS: ``lp -d NAME -o raw``; CUPS then holds the job until the printer prints."""

    name: str
    label: str = "Printer"
    timeout: float = DEFAULT_TIMEOUT * 3

    @property
    def uri(self) -> str:
        return f"cups:{self.name}"

    def send(self, data: bytes) -> None:
        lp = shutil.which("lp")
        if lp is None:
            raise PrinterOffline(f"{self.label}: CUPS is not installed on this computer (no 'lp' command).")
        try:
            result = subprocess.run(
                [lp, "-d", self.name, "-o", "raw"], input=data, capture_output=True, timeout=self.timeout
            )
        except subprocess.TimeoutExpired:
            raise PrinterOffline(
                f"{self.label}: CUPS did not take the job within {self.timeout:g} s."
            ) from None
        except OSError as exc:
            raise PrinterOffline(f"{self.label}: cannot run lp: {exc.strerror or exc}.") from None
        if result.returncode != 0:
            why = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PrinterOffline(
                f"{self.label}: CUPS refused the job: {why[-1] if why else result.returncode}."
            )


@dataclass(frozen=True, slots=True)
class UsbTransport:
    """A USB printer by vendor and product id, through python-escpos's ``Usb`` (needs pyusb)."""

    vendor: int
    product: int
    label: str = "Printer"
    timeout: float = DEFAULT_TIMEOUT
    out_ep: int = 0x01
    in_ep: int = 0x82

    @property
    def uri(self) -> str:
        return f"usb:{self.vendor:04x}:{self.product:04x}"

    def send(self, data: bytes) -> None:
        try:
            from escpos.printer import Usb
        except ImportError:  # pragma: no cover - escpos always imports; pyusb is checked below
            raise PrinterOffline(f"{self.label}: USB printing is not available.") from None
        if not Usb.is_usable():
            raise PrinterOffline(f"{self.label}: USB printing needs the 'pyusb' package (pip install pyusb).")
        printer = Usb(
            self.vendor, self.product, timeout=int(self.timeout * 1000), in_ep=self.in_ep, out_ep=self.out_ep
        )
        _open_send_close(
            printer,
            data,
            offline=f"{self.label} is not plugged in or is switched off ({self.uri}).",
            interrupted=f"{self.label} stopped answering on USB",
        )


@dataclass(frozen=True, slots=True)
class SerialTransport:
    """A serial printer (``/dev/ttyUSB0``, ``COM3``) through python-escpos's ``Serial`` (needs pyserial)."""

    device: str
    baudrate: int = 9600
    label: str = "Printer"
    timeout: float = DEFAULT_TIMEOUT

    @property
    def uri(self) -> str:
        return f"serial:{self.device}?baudrate={self.baudrate}"

    def send(self, data: bytes) -> None:
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise PrinterOffline(
                f"{self.label}: serial printing needs the 'pyserial' package (pip install pyserial)."
            )
        printer = Serial(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)
        _open_send_close(
            printer,
            data,
            offline=f"{self.label} is not connected ({self.device}).",
            interrupted=f"{self.label} stopped answering on {self.device}",
        )


def _open_send_close(printer: Any, data: bytes, *, offline: str, interrupted: str) -> None:
    """Open a python-escpos device printer, write the bytes, always close it: the USB and serial path."""
    try:
        printer.open()
    except Exception as exc:
        raise PrinterOffline(offline) from exc
    try:
        printer._raw(data)
    except Exception as exc:
        raise SendInterrupted(f"{interrupted}: {exc}.") from exc
    finally:
        try:
            printer.close()
        except Exception:
            pass


def is_uri(text: str) -> bool:
    return text.split(":", 1)[0] in {"tcp", "file", "usb", "serial", "cups"} and ":" in text


def open_transport(
    uri: str, *, label: str = "Printer", timeout: float = DEFAULT_TIMEOUT, status_query: bool = True
) -> Transport:
    """The transport for ``tcp://host:port``, ``file:PATH``, ``usb:VID:PID``, ``serial:/dev/...``, ``cups:NAME``."""
    scheme, _, rest = uri.partition(":")
    scheme = scheme.lower()
    if scheme == "tcp":
        parts = urlsplit(uri)
        if not parts.hostname:
            raise ConfigError(f"printer address {uri!r} has no host (write tcp://192.168.1.50:9100)")
        try:
            port = parts.port or 9100
        except ValueError:
            raise ConfigError(f"printer address {uri!r} has a bad port") from None
        return TcpTransport(parts.hostname, port, label, timeout, status_query)
    if scheme == "file":
        path = rest[2:] if rest.startswith("//") else rest
        if not path:
            raise ConfigError(f"printer address {uri!r} has no path (write file:/dev/usb/lp0)")
        return FileTransport(str(Path(path)), label)
    if scheme == "usb":
        bits = rest.split(":")
        try:
            vendor, product = (int(b, 16) for b in bits[:2])
        except ValueError:
            raise ConfigError(f"USB printer {uri!r} needs hex ids: usb:04b8:0202") from None
        if len(bits) != 2:
            raise ConfigError(f"USB printer {uri!r} needs exactly a vendor and a product id: usb:04b8:0202")
        return UsbTransport(vendor, product, label, timeout)
    if scheme == "serial":
        device, _, query = rest.partition("?")
        if not device:
            raise ConfigError(f"serial printer {uri!r} has no device (write serial:/dev/ttyUSB0)")
        params = parse_qs(query)
        try:
            baud = int(params.get("baudrate", ["9600"])[0])
        except ValueError:
            raise ConfigError(f"serial printer {uri!r} has a bad baudrate") from None
        return SerialTransport(device, baud, label, timeout)
    if scheme == "cups":
        if not rest:
            raise ConfigError(f"CUPS printer {uri!r} has no queue name (write cups:Receipt)")
        return CupsTransport(rest, label, timeout * 3)
    raise ConfigError(
        f"unknown printer address {uri!r}: use tcp://host:port, file:PATH, usb:VID:PID, serial:/dev/... or cups:NAME"
    )
