"""The counter's camera as a payment-code scanner: frames from QtMultimedia's QCamera through a QVideoSink, decoded
by zxing-cpp (https://github.com/zxing-cpp/zxing-cpp, the ``zxing-cpp`` wheel) off the GUI thread.

The GUI thread only copies a frame into a QImage and hands it to one worker thread; while the worker decodes, newer
frames are dropped (a camera gives 30 a second and a decode takes a few milliseconds to tens of them: one at a time
never queues up and never blocks the screen). The phone's payment page shows the code as a Code 128 barcode and as
a QR code; either is read. A decoded text that is a payment code (10 to 32 digits, as the USB scanner's burst) is
emitted once as ``codeFound``; anything else (a menu's QR, a web address) is ignored. The code is neither stored
nor logged: it goes to the payment dialog as a scanner's burst does.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoFrame, QVideoSink

log = logging.getLogger(__name__)

PAYMENT_CODE = re.compile(r"^[0-9]{10,32}$")  # as the dialog's CODE_DIGITS


def decoder_available() -> bool:
    """Whether the zxing-cpp decoder is installed (a dependency; a stripped build may lack it)."""
    return importlib.util.find_spec("zxingcpp") is not None


def decode_payment_code(image: QImage) -> str | None:
    """The payment code in ``image`` (a Code 128 barcode or a QR code of 10 to 32 digits), or None."""
    import zxingcpp

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    formats = zxingcpp.barcode_formats_from_str("Code128, QRCode")
    for found in zxingcpp.read_barcodes(gray, formats=formats):
        text = found.text.strip()
        if found.valid and PAYMENT_CODE.match(text):
            return text
    return None


class FrameDecoder(QObject):
    """Decodes the frames it is given, one at a time on its own worker thread; ``codeFound`` once per ``reset``."""

    codeFound = Signal(str)
    _decoded = Signal(object, int)  # a finished Future and its scan, from the worker thread (queued)

    def __init__(
        self, decode: Callable[[QImage], str | None] = decode_payment_code, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._decode = decode
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera-decode")
        self._busy = False
        self._found = False
        self._closed = False
        self._scan = 0  # which scan a decode belongs to: one begun before ``reset`` is not this scan's
        self.decoded = 0  # frames decoded
        self.dropped = 0  # frames that came while one was being decoded (or after the code was found)
        self.decode_threads: set[int] = set()  # the threads the decodes ran on (never the GUI's)
        self._decoded.connect(self._finished)

    def reset(self) -> None:
        """Look for a new code (the next scan); a decode still running answers for the previous one."""
        self._found = False
        self._scan += 1

    def on_frame(self, frame: QVideoFrame) -> None:
        """A camera frame (QVideoSink.videoFrameChanged, on the GUI thread): copied and handed to the worker
        unless the worker is busy or the code was found."""
        if self._closed or self._busy or self._found or not frame.isValid():
            self.dropped += 1
            return
        image = frame.toImage()
        if image.isNull():
            return
        self._busy = True
        scan = self._scan
        future = self._pool.submit(self._work, image)
        future.add_done_callback(lambda f: self._relay(f, scan))

    def _work(self, image: QImage) -> str | None:
        self.decode_threads.add(threading.get_ident())
        return self._decode(image)

    def _relay(self, future: Future[str | None], scan: int) -> None:  # on the worker thread
        try:
            self._decoded.emit(future, scan)
        except RuntimeError:  # the dialog (and this object) went away meanwhile
            pass

    def _finished(self, future: Future[str | None], scan: int) -> None:
        self._busy = False
        self.decoded += 1
        if scan != self._scan:
            return
        try:
            code = future.result()
        except Exception:
            log.exception("decoding a camera frame failed")
            return
        if code and not self._found and not self._closed:
            self._found = True
            self.codeFound.emit(code)

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


class CameraScanner(QObject):
    """The default camera read for payment codes: ``start()``, ``codeFound(code)`` (the camera then stops),
    ``problem(sentence)`` when no camera can be used, ``stop()``."""

    codeFound = Signal(str)
    problem = Signal(str)

    def __init__(self, parent: QObject | None = None, *, decoder: FrameDecoder | None = None) -> None:
        super().__init__(parent)
        self.decoder = decoder or FrameDecoder(parent=self)
        self.decoder.codeFound.connect(self._found)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame)
        self.session = QMediaCaptureSession(self)
        self.session.setVideoSink(self.sink)
        self.camera: QCamera | None = None
        self.running = False

    @staticmethod
    def available() -> bool:
        """A decoder is installed and the system lists a camera."""
        return decoder_available() and bool(QMediaDevices.videoInputs())

    def _frame(self, frame: QVideoFrame) -> None:
        if self.running:  # a frame shown before Use the camera, or after the code was read, is not decoded
            self.decoder.on_frame(frame)

    def start(self) -> bool:
        self.decoder.reset()
        if not self.start_device():
            self.problem.emit("No camera can be used: scan the code with the barcode scanner.")
            return False
        self.running = True
        return True

    def start_device(self) -> bool:
        """Open and start the default camera (the part that touches hardware)."""
        device = QMediaDevices.defaultVideoInput()
        if device.isNull():
            return False
        if self.camera is None:
            self.camera = QCamera(device, self)
            self.camera.errorOccurred.connect(self._camera_error)
            self.session.setCamera(self.camera)
        self.camera.start()
        return True

    def stop(self) -> None:
        self.running = False
        self.decoder.reset()  # a decode still running belongs to this scan: its answer is dropped
        if self.camera is not None:
            self.camera.stop()

    def close(self) -> None:
        self.stop()
        self.decoder.close()

    def _found(self, code: str) -> None:
        if not self.running:
            return
        self.stop()
        self.codeFound.emit(code)

    def _camera_error(self, _error: Any, text: str) -> None:
        log.warning("camera: %s", text)
        self.stop()
        self.problem.emit("The camera stopped: scan the code with the barcode scanner.")


def counter_camera(parent: QObject | None = None) -> CameraScanner | None:
    """A scanner on the default camera when there is a camera and a decoder, else None (no camera button)."""
    try:
        return CameraScanner(parent) if CameraScanner.available() else None
    except Exception:  # a broken multimedia backend: the USB scanner still works
        log.warning("no camera scanning: the multimedia backend failed", exc_info=True)
        return None
