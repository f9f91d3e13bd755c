"""The real app in demo mode for integration tests: only the 'demo' channel, no ticking simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from posapp.app import AppOptions, PosApp


def demo_app(data_dir: Path, *, prefill: int = 0, **options: Any) -> PosApp:
    """A PosApp on ``data_dir`` that orders reach only when a test makes them (not started yet)."""
    return PosApp(
        AppOptions(
            data_dir=data_dir,
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=prefill,
            sim_platforms=("demo",),
            **options,
        )
    )
