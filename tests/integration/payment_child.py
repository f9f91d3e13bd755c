"""A counter process for the kill -9 payment test: the real engine, taking one payment.

``python -m tests.integration.payment_child DATA_DIR CONFIG ORDER_KEY AMOUNT`` with the payment code on stdin (never
on the command line); the gateway's keys come as the engine reads them (systemd credentials). Prints the final
PaymentView as JSON, if it lives that long.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from posapp.config import load_settings
from posapp.domain.money import Money
from posapp.engine.engine import Engine, EngineOptions
from posapp.payments.gateway import Method


async def take(data_dir: Path, config: Path, order_key: str, amount: int, code: str) -> None:
    settings = load_settings(config)
    engine = Engine(EngineOptions(data_dir=data_dir, settings=settings, settings_pinned=True, listen=False))
    await engine.open()
    await engine.serve()
    try:
        assert engine.payments is not None
        gateway = settings.raw["payments"]["enabled"][0]
        view = await engine.payments.take(
            order_key, gateway, Method.SCAN_CODE, Money(amount, settings.currency), code
        )
        print(json.dumps({"request_id": view.request_id, "state": view.state.value}), flush=True)
    finally:
        await engine.stop()


def main() -> None:
    data_dir, config, order_key, amount = sys.argv[1:5]
    code = sys.stdin.readline().strip()
    asyncio.run(take(Path(data_dir), Path(config), order_key, int(amount), code))


if __name__ == "__main__":
    main()
