"""Finding printers for the setup screens: CUPS queues (``lpstat``), USB printers (pyusb, when installed),
a network printer by address, and a scan of the local network's port 9100 that the owner starts on purpose.

Every call here waits on the outside world: the screens run them off the GUI thread (the engine's loop)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)
RAW_PORT = 9100  # "JetDirect" raw printing: what ESC/POS network printers listen on
USB_PRINTER_CLASS = 7


@dataclass(frozen=True, slots=True)
class FoundPrinter:
    uri: str  # what goes into the printer's settings: cups:NAME, usb:VID:PID, tcp://host:9100
    label: str  # what the owner sees in the list
    kind: str  # "cups", "usb", "network"


def cups_queues(timeout: float = 3.0) -> list[FoundPrinter]:
    """The print queues CUPS knows (``lpstat -e``); none when CUPS is not installed."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        out = subprocess.run(
            [lpstat, "-e"], capture_output=True, text=True, timeout=timeout, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("lpstat did not answer: %s", exc)
        return []
    return [FoundPrinter(f"cups:{q}", q, "cups") for q in (line.strip() for line in out.splitlines()) if q]


def usb_available() -> bool:
    try:
        import usb.core  # noqa: F401
    except ImportError:
        return False
    return True


def usb_printers() -> list[FoundPrinter]:
    """USB devices with a printer interface (class 7), as ``usb:VID:PID``; none without pyusb or libusb."""
    try:
        import usb.core
        import usb.util
    except ImportError:
        return []
    found = []
    try:
        devices = list(usb.core.find(find_all=True) or [])
    except Exception as exc:  # no libusb backend: pyusb raises its own NoBackendError
        log.info("USB not searchable: %s", exc)
        return []
    for dev in devices:
        try:
            printer = any(intf.bInterfaceClass == USB_PRINTER_CLASS for cfg in dev for intf in cfg)
        except Exception:  # a device we may not read
            continue
        if printer:
            uri = f"usb:{dev.idVendor:04x}:{dev.idProduct:04x}"
            found.append(FoundPrinter(uri, f"USB {dev.idVendor:04x}:{dev.idProduct:04x}", "usb"))
    return found


def local_address() -> str:
    """This computer's address on the local network (no packet is sent: UDP connect only picks a route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, only used to choose the interface
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


async def probe(host: str, port: int = RAW_PORT, timeout: float = 0.5) -> bool:
    """True when something accepts a connection on ``host:port`` (a raw-printing port answers this way)."""
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return True


async def scan_network(
    network: str | None = None,
    *,
    port: int = RAW_PORT,
    timeout: float = 0.4,
    parallel: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> list[FoundPrinter]:
    """Every address of ``network`` (default: this computer's /24) that accepts a connection on ``port``.

    Started only when the owner asks: it knocks on up to 254 addresses, ``parallel`` at a time."""
    net = ipaddress.ip_network(network or f"{local_address()}/24", strict=False)
    hosts = [str(h) for h in (net.hosts() if net.num_addresses > 1 else [net.network_address])]
    gate = asyncio.Semaphore(parallel)
    done = 0

    async def one(host: str) -> str | None:
        nonlocal done
        async with gate:
            ok = await probe(host, port, timeout)
        done += 1
        if progress is not None:
            progress(done, len(hosts))
        return host if ok else None

    found = [h for h in await asyncio.gather(*(one(h) for h in hosts)) if h]
    return [FoundPrinter(f"tcp://{h}:{port}", f"{h}:{port}", "network") for h in found]
