"""Stopping a long-running command cleanly: SIGTERM (systemd, ``kill``) and SIGINT (Ctrl+C) call back."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable


def on_stop_signals(callback: Callable[[], object]) -> None:
    """Call ``callback`` on SIGTERM or SIGINT, where the running loop takes signal handlers (Windows'
    loops and qasync's do not: there Ctrl+C still raises KeyboardInterrupt)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, callback)
        except (NotImplementedError, RuntimeError):
            pass
