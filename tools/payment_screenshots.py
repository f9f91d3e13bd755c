"""Render the Take payment dialog in each state at 1024x768, and Shop setup → Payments:

    QT_QPA_PLATFORM=offscreen python tools/payment_screenshots.py                 # docs/1024-pay-*-en.png
    QT_QPA_PLATFORM=offscreen python tools/payment_screenshots.py --language zh_CN

Saves docs/1024-pay-{choose,scan,waiting,qr,card-readers,card,paid,declined,unknown,new-order}{-en,-zh}.png and
docs/settings-payments{,-stripe}{-en,-zh}.png. The dialog is the app's own; the payment service is scripted with the
answers the gateways give (the Alipay and WeChat Pay gateways' own sentences), so each state can be held still.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")  # nothing real touched
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.money import Money  # noqa: E402
from posapp.payments.gateway import Method, PayState  # noqa: E402
from posapp.resources import CJK_FONT, resource  # noqa: E402
from posapp.services.payments import ReaderView  # noqa: E402
from posapp.ui.camera_scan import CameraScanner  # noqa: E402
from posapp.ui.i18n import install_language  # noqa: E402
from posapp.ui.payment import PaymentDialog  # noqa: E402
from posapp.ui.theme import DARK, platform_label, style_sheet  # noqa: E402

AMOUNT = Money(6800, "CNY")


@dataclass(frozen=True)
class Info:
    name: str
    label: str
    methods: frozenset[Method]
    test_mode: bool = False
    configured: bool = True


@dataclass(frozen=True)
class View:
    request_id: str
    order_key: str
    gateway: str
    method: Method
    amount: Money
    state: PayState
    transaction_id: str | None = None
    message: str = ""
    qr_url: str | None = None
    seconds_left: float | None = None
    refunded: Money = Money(0, "CNY")


GATEWAYS = [
    Info("wechat", "WeChat Pay", frozenset({Method.SCAN_CODE, Method.SHOW_QR})),
    Info("alipay", "Alipay", frozenset({Method.SCAN_CODE, Method.SHOW_QR})),
    Info("stripe", "Card", frozenset({Method.CARD_READER}), test_mode=True),
]


# The card step's readers as PaymentService.readers answers them from Stripe: one ready, one busy, one offline.
READERS = [
    ReaderView("tmr_FDOt2wlRZEdpd7", "Front counter", True),
    ReaderView("tmr_GqU9v0LmKk3Xa1", "Drive-through", True, busy=True),
    ReaderView("tmr_HsT4w8NpQq2Yb5", "Terrace", False),
]


async def list_readers(_gateway: str) -> list[ReaderView]:
    return READERS


class Camera(CameraScanner):
    """The counter's camera, as on a counter that has one (no camera here: nothing is read)."""

    def start_device(self) -> bool:
        return True


class Script:
    """The payment service, held at each state until told the final answer."""

    def __init__(self) -> None:
        self.final: asyncio.Future[View] | None = None
        self.update: Any = None

    async def take(self, **kw: Any) -> View:
        self.update = kw["on_update"]
        self.final = asyncio.get_running_loop().create_future()
        return await self.final


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.05)
        QApplication.processEvents()


async def main(language: str) -> None:
    suffix = "-en" if language == "en" else "-zh"
    docs = ROOT / "docs"
    script = Script()
    dialog = PaymentDialog(
        f"{platform_label('manual')} #M-012",
        AMOUNT,
        GATEWAYS,
        script.take,
        readers=list_readers,
        camera=Camera(),
    )
    dialog.setStyleSheet(style_sheet(DARK) + dialog.styleSheet())
    dialog.setFixedSize(1024, 768)
    dialog.show()
    shots: list[Path] = []

    async def shot(name: str) -> None:
        await settle()
        path = docs / f"1024-pay-{name}{suffix}.png"
        dialog.grab().save(str(path))
        shots.append(path)

    base = View("P20261204121500a1b2c3", "manual:x", "wechat", Method.SCAN_CODE, AMOUNT, PayState.PENDING)

    async def pay(gateway: str, method: Method, code: str | None, update: View) -> None:
        dialog.show_choices()
        dialog.choose(gateway, method)
        if code is not None:
            dialog.code_scanned(code)
        await settle()
        script.update(update)

    async def finish(view: View) -> None:
        assert script.final is not None
        script.final.set_result(view)
        await settle()

    await shot("choose")
    dialog.choose("wechat", Method.SCAN_CODE)
    await shot("scan")

    waiting = replace(base, seconds_left=23.0)
    await pay("wechat", Method.SCAN_CODE, "134567890123456789", waiting)
    await shot("waiting")
    await finish(replace(base, state=PayState.PAID, transaction_id="4200002026120412154809372611"))
    await shot("paid")

    qr = replace(
        base,
        gateway="alipay",
        method=Method.SHOW_QR,
        qr_url="https://qr.alipay.com/bax08431ggh4fuc2yjxx0053",
        message="Waiting for the customer to scan the QR code…",
        seconds_left=27.0,
    )
    await pay("alipay", Method.SHOW_QR, None, qr)
    await shot("qr")
    await finish(replace(qr, state=PayState.CANCELLED, qr_url=None, message=""))

    card = replace(
        base,
        gateway="stripe",
        method=Method.CARD_READER,
        amount=AMOUNT,
        message="Waiting for the customer to tap, insert or swipe the card…",
        seconds_left=54.0,
    )
    dialog.show_choices()
    dialog.choose("stripe", Method.CARD_READER)
    await shot("card-readers")
    dialog.choose_reader(READERS[0])
    await settle()
    script.update(card)
    await shot("card")
    await finish(replace(card, state=PayState.CANCELLED))

    declined = replace(base, gateway="alipay")
    await pay("alipay", Method.SCAN_CODE, "285000000000000005", replace(declined, seconds_left=30.0))
    await finish(
        replace(
            declined,
            state=PayState.FAILED,
            message="The customer's Alipay balance is not enough: ask them to pick another way to pay in Alipay.",
        )
    )
    await shot("declined")

    await pay("wechat", Method.SCAN_CODE, "134567890123456789", replace(base, seconds_left=12.0))
    await finish(
        replace(base, state=PayState.UNKNOWN, message="WeChat Pay has no record of this payment yet")
    )
    await shot("unknown")
    dialog.close()

    await manual_order(docs / f"1024-pay-new-order{suffix}.png")
    shots.append(docs / f"1024-pay-new-order{suffix}.png")
    await settings_page(
        docs / f"settings-payments{suffix}.png", docs / f"settings-payments-stripe{suffix}.png"
    )
    shots += [docs / f"settings-payments{suffix}.png", docs / f"settings-payments-stripe{suffix}.png"]
    print("saved", *shots, sep="\n  ")


async def manual_order(path: Path) -> None:
    """New order with a gateway set up: Take payment beside the total."""
    from PySide6.QtWidgets import QMainWindow

    from posapp.services.manual import DEFAULT_QUICK_MENU
    from posapp.ui.manual_order import ManualOrderDialog

    window = QMainWindow()
    window.setStyleSheet(style_sheet(DARK))
    window.resize(1024, 768)
    window.show()
    form = ManualOrderDialog(DEFAULT_QUICK_MENU, "CNY", parent=window)
    form.offer_take_payment(True)
    form.setFixedSize(1024, 768)
    form.show()
    for entry in (DEFAULT_QUICK_MENU[0], DEFAULT_QUICK_MENU[4]):
        form.add_item(entry)
    await settle()
    form.grab().save(str(path))
    form.close()
    window.close()


async def settings_page(path: Path, stripe_path: Path) -> None:
    """Shop setup → Payments with WeChat Pay set up (keys stored), then Stripe with its readers and its key stored
    and the optional webhook signing secret not (yet), on a real settings service."""
    from posapp.config import Settings
    from posapp.engine import Engine, EngineOptions
    from posapp.services.auth import AuthService
    from posapp.ui.setup.settings_window import SettingsWindow

    engine = Engine(
        EngineOptions(
            data_dir=Path(tempfile.mkdtemp(prefix="posapp-pay-")),
            settings=Settings(listen_port=0, screens_port=0),
        )
    )
    await engine.open()
    setup = engine.setup
    await setup.save_payment_gateway(
        "wechat",
        {
            "appid": "wx8888888888888888",
            "mch_id": "1900000109",
            "serial_no": "5157F09EFDC096DE15EBE81A47057A72",
        },
        {
            "api_key": "k" * 32,
            "apiv3_key": "v" * 32,
            "private_key": "-----BEGIN PRIVATE KEY-----",
            "platform_public_key": "-----BEGIN PUBLIC KEY-----",
            "merchant_cert": "-----BEGIN CERTIFICATE-----",
        },
        enabled=True,
        sandbox=True,
        by="screenshots",
    )
    await setup.save_payment_gateway(
        "stripe",
        {"readers": "tmr_FDOt2wlRZEdpd7, tmr_GqU9v0LmKk3Xa1, tmr_HsT4w8NpQq2Yb5"},
        {"secret_key": "sk_test_screenshots"},
        enabled=True,
        sandbox=True,
        by="screenshots",
    )
    await setup.add_staff("Lin", "manager", "4829", "4829", by="screenshots")
    assert engine.db is not None
    window = SettingsWindow(setup, AuthService(engine.db), palette=DARK)
    window.setFixedSize(1024, 768)
    window.open()
    for key in "4829":
        window.pin.press(key)
    window.pin.press("OK")
    for _ in range(100):
        await asyncio.sleep(0.05)
        if window.stack.currentIndex() == 1:
            break
    window.show_page(next(i for i, (label, _p) in enumerate(window.pages) if label == "Payments"))
    page = window.payments
    for _ in range(60):
        await asyncio.sleep(0.05)
        if page.idle() and page.boxes["appid"].text() and page.stored:
            break
    await settle()
    area = page.parentWidget().parentWidget()  # the page's scroll area: down to the keys, stored and hidden
    bar = area.verticalScrollBar()  # type: ignore[union-attr]
    bar.setValue(bar.maximum())
    await settle()
    window.grab().save(str(path))
    page.pick("stripe")
    for _ in range(60):
        await asyncio.sleep(0.05)
        if page.idle() and page.stored:
            break
    await settle()
    bar.setValue(bar.maximum())
    await settle()
    window.grab().save(str(stripe_path))
    window.close()
    await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--language", choices=["en", "zh_CN"], default="en", help="screen language (default en)"
    )
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    if install_language(args.language) != args.language:
        sys.exit(f"no translation for {args.language}; run tools/make_translations.py")
    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.language))
