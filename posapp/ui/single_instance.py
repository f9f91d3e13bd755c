"""A second posapp on the same data folder asks the first to bring its window forward (QLocalServer)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from posapp.instance import channel_name

log = logging.getLogger(__name__)
SHOW = b"show\n"


class InstanceServer(QObject):
    """Listens on the data folder's channel; ``showRequested`` when another start asks for the window."""

    showRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = channel_name(data_dir)
        self.server = QLocalServer(self)
        # The engine's file lock is held: a socket left by a crashed run is stale and can go.
        QLocalServer.removeServer(self.name)
        if not self.server.listen(self.name):
            log.warning("cannot listen on %s: %s", self.name, self.server.errorString())
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)

    def _read(self, sock: QLocalSocket) -> None:
        if bytes(sock.readAll().data()).startswith(SHOW.strip()):
            log.info("another start asked for the window")
            self.showRequested.emit()

    def close(self) -> None:
        self.server.close()


def ask_running_to_show(data_dir: Path, timeout_ms: int = 1000) -> bool:
    """Ask the posapp running on ``data_dir`` to bring its window forward; True when it heard us.

    Runs before this process shows anything, so a short blocking wait costs nobody a frame."""
    sock = QLocalSocket()
    sock.connectToServer(channel_name(data_dir))
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(SHOW)
    ok = sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return ok


def bring_forward(window: QObject | None) -> None:
    """Show, raise and activate ``window`` (a QWidget), full screen if it was."""
    from PySide6.QtWidgets import QWidget

    if not isinstance(window, QWidget):
        return
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
