"""Reading the payment code with the camera, without a camera: frames made from a generated barcode image (a Code 128
as the phone's payment page shows it, and a QR code) go through a real QVideoSink into the decoder, which decodes
them with zxing-cpp on its own worker thread, one at a time, and hands the payment dialog the code as the USB
scanner would. A frame without a code, or with a code that is not a payment code, starts nothing."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QPushButton

from posapp.domain.money import Money
from posapp.payments.gateway import Method, PayState
from posapp.ui.camera_scan import CameraScanner, FrameDecoder, decode_payment_code
from posapp.ui.fit import SCREEN_ENV
from posapp.ui.i18n import install_language
from posapp.ui.payment import PaymentDialog
from tests.ui.test_fits_screen import assert_fits

zxingcpp = pytest.importorskip("zxingcpp")
# Offscreen there is no GPU: QVideoFrame.toImage says it converts on the CPU, which is what a counter without one does
pytestmark = pytest.mark.qt_log_ignore("No RHI backend", "Couldn't load", "Couldn't resolve")

WECHAT_CODE = "134567890123456789"  # 18 digits, as a WeChat payment code
ALIPAY_CODE = "285000000000000001"


def code128(text: str) -> QImage:
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    view = memoryview(barcode.to_image(scale=3))
    height, width = view.shape
    return QImage(bytes(view), width, height, view.strides[0], QImage.Format.Format_Grayscale8).copy()


def qr(text: str) -> QImage:
    image = qrcode.make(text, box_size=6)
    png = bytearray()

    class Sink:
        def write(self, data: bytes) -> int:
            png.extend(data)
            return len(data)

    image.save(Sink(), format="PNG")
    return QImage.fromData(bytes(png), "PNG")


def camera_frame(code: QImage | None, *, angle: float = 0.0) -> QVideoFrame:
    """A 640x480 camera frame: a grey counter top with the phone's code on it, a little turned."""
    frame = QImage(640, 480, QImage.Format.Format_RGB32)
    frame.fill(QColor("#8A8F94"))
    if code is not None:
        turned = code.transformed(QTransform().rotate(angle), Qt.TransformationMode.SmoothTransformation)
        painter = QPainter(frame)
        painter.fillRect(60, 100, 520, 300, QColor("#FFFFFF"))  # the phone's white screen
        painter.drawImage(320 - turned.width() // 2, 250 - turned.height() // 2, turned)
        painter.end()
    return QVideoFrame(frame)


def test_the_payment_code_is_read_from_a_code_128_and_from_a_qr_code(qapp: Any) -> None:
    assert decode_payment_code(camera_frame(code128(WECHAT_CODE), angle=4).toImage()) == WECHAT_CODE
    assert decode_payment_code(camera_frame(qr(ALIPAY_CODE)).toImage()) == ALIPAY_CODE
    assert decode_payment_code(camera_frame(qr("https://example.com/menu")).toImage()) is None
    assert (
        decode_payment_code(camera_frame(code128("12345")).toImage()) is None
    )  # too short for a payment code
    assert decode_payment_code(camera_frame(None).toImage()) is None


def test_frames_through_the_video_sink_are_decoded_off_the_gui_thread_one_at_a_time(qtbot: Any) -> None:
    release = threading.Event()

    def slow_decode(image: QImage) -> str | None:
        release.wait(5)  # a slow decode: the frames that come meanwhile are dropped, not queued
        return decode_payment_code(image)

    scanner = CameraScanner(decoder=FrameDecoder(slow_decode))
    scanner.start_device = lambda: True  # type: ignore[method-assign]  # no camera here: frames are fed below
    found: list[str] = []
    scanner.codeFound.connect(found.append)
    try:
        assert scanner.start()
        scanner.sink.setVideoFrame(camera_frame(None))  # nothing yet: the phone is not held up
        for _ in range(3):
            scanner.sink.setVideoFrame(camera_frame(code128(WECHAT_CODE)))
        assert scanner.decoder.dropped == 3 and found == []
        release.set()
        qtbot.waitUntil(lambda: scanner.decoder.decoded == 1)
        scanner.sink.setVideoFrame(camera_frame(code128(WECHAT_CODE)))
        qtbot.waitUntil(lambda: found == [WECHAT_CODE])
        assert threading.get_ident() not in scanner.decoder.decode_threads
        assert len(scanner.decoder.decode_threads) == 1 and not scanner.running  # found: the camera stops
        scanner.sink.setVideoFrame(camera_frame(code128(ALIPAY_CODE)))
        assert found == [WECHAT_CODE]  # once per scan
    finally:
        release.set()
        scanner.close()


@dataclass(frozen=True)
class Info:
    name: str
    label: str
    methods: frozenset[Method]
    test_mode: bool = False
    configured: bool = True


@dataclass(frozen=True)
class Done:
    gateway: str
    method: Method
    amount: Money
    state: PayState = PayState.PAID
    message: str = ""
    transaction_id: str | None = "4200000001"


class NoHardware(CameraScanner):
    """The counter's camera without a camera: frames are fed to its sink by the test."""

    def start_device(self) -> bool:
        return True


def test_the_dialogs_camera_button_reads_the_code_and_starts_the_payment(qtbot: Any, arun: Any) -> None:
    calls: list[dict[str, Any]] = []

    async def take(**kw: Any) -> Done:
        calls.append(kw)
        return Done(kw["gateway"], kw["method"], Money(3200, "CNY"))

    gateways = [Info("wechat", "WeChat Pay", frozenset({Method.SCAN_CODE}))]
    camera = NoHardware()
    dialog = PaymentDialog("Counter #M-001", Money(3200, "CNY"), gateways, take, camera=camera)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.stage == "scan"  # the only way to pay
    button = dialog.findChild(QPushButton, "payCamera")
    assert button is not None and button.isVisible() and button.height() >= 48
    camera.sink.setVideoFrame(camera_frame(code128(WECHAT_CODE)))  # before the tap: the camera is not reading
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert camera.running and not button.isEnabled()
    camera.sink.setVideoFrame(camera_frame(qr("https://example.com/menu")))  # a menu's QR: ignored
    qtbot.waitUntil(lambda: camera.decoder.decoded == 1)
    assert calls == [] and dialog.stage == "scan"
    camera.sink.setVideoFrame(camera_frame(code128(WECHAT_CODE), angle=-3))
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert calls[0]["code"] == WECHAT_CODE and calls[0]["method"] is Method.SCAN_CODE
    assert dialog.state_label.text() == "Paid" and not camera.running


def test_without_a_camera_the_button_says_so_and_the_scanner_still_works(qtbot: Any, arun: Any) -> None:
    async def take(**kw: Any) -> Done:
        return Done(kw["gateway"], kw["method"], Money(3200, "CNY"))

    camera = CameraScanner()
    camera.start_device = lambda: False  # type: ignore[method-assign]  # the camera was unplugged
    gateways = [Info("alipay", "Alipay", frozenset({Method.SCAN_CODE}))]
    dialog = PaymentDialog("Counter #M-001", Money(3200, "CNY"), gateways, take, camera=camera)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.camera_button, Qt.MouseButton.LeftButton)
    assert dialog.scan_error.isVisible() and "barcode scanner" in dialog.scan_error.text()
    assert dialog.camera_button.isEnabled()
    qtbot.keyClicks(dialog, ALIPAY_CODE)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.stage == "result")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_scan_step_with_the_camera_button_fits_a_1024_by_768_screen(
    qtbot: Any, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCREEN_ENV, "1024x768")
    install_language(language)
    try:

        async def take(**kw: Any) -> Done:
            return Done(kw["gateway"], kw["method"], Money(3200, "CNY"))

        gateways = [Info("wechat", "WeChat Pay", frozenset({Method.SCAN_CODE}))]
        dialog = PaymentDialog("Counter #M-001", Money(3200, "CNY"), gateways, take, camera=NoHardware())
        qtbot.addWidget(dialog)
        dialog.show()
        assert_fits(qtbot, dialog, dialog.camera_button, dialog.close_button)
        dialog.start_camera()
        assert_fits(qtbot, dialog, dialog.camera_button)
        if language == "zh_CN":
            assert dialog.camera_button.text() == "请把付款码对准摄像头…"
    finally:
        install_language("en")
