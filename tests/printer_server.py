"""A loopback TCP server standing in for a network ESC/POS printer (port 9100 style).

Each connection is one ticket; its bytes are kept in ``tickets`` when the client closes. It answers the
real-time status request DLE EOT n like a printer (``paper_out`` reports an empty roll), or, in ``hang``
mode, accepts connections and never reads or answers — a printer stuck in an error state.
"""

from __future__ import annotations

import contextlib
import socket
import threading

OK_STATUS = 0x12  # fixed bits 1 and 4: online, cover closed, paper present
PAPER_OUT = 0x12 | 0x60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakePrinter:
    def __init__(self, port: int = 0, *, mode: str = "ok") -> None:
        self.mode = mode  # "ok", "hang", "paper_out", "no_ack"; may change while running
        self.tickets: list[bytes] = []
        self.connections = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._open: list[socket.socket] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> FakePrinter:
        t = threading.Thread(target=self._accept_loop, name="fake-printer", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in list(self._threads):
            t.join(timeout=5)
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.close()
        self.sock.close()

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            t = threading.Thread(target=self._serve, args=(conn, self.mode), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn: socket.socket, mode: str) -> None:
        conn.settimeout(0.05)
        if mode == "hang":
            self._stop.wait()  # connected, never reads, never answers
            return
        buf = bytearray()
        scanned = 0
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            while True:
                at = buf.find(b"\x10\x04", max(0, scanned))
                if at < 0 or at + 2 >= len(buf):
                    scanned = max(scanned, len(buf) - 2)
                    break
                n = buf[at + 2]
                reply = PAPER_OUT if (mode == "paper_out" and n == 4) else OK_STATUS
                if not (mode == "no_ack" and n == 1):  # no_ack: takes the ticket, then goes silent
                    with contextlib.suppress(OSError):
                        conn.sendall(bytes((reply,)))
                scanned = at + 3
        with self._lock:
            if buf and any(b != 0x10 and b != 0x04 for b in buf):
                self.tickets.append(bytes(buf))
        with contextlib.suppress(OSError):
            conn.close()
