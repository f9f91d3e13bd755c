"""What the status strip says about head-office sync, and the [sync] settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from posapp.config import SyncSettings, load_settings
from posapp.errors import ConfigError
from posapp.services.upload import TOKEN_REFUSED, describe_state

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_nothing_waiting_reads_all_synced() -> None:
    assert describe_state({"pending": 0, "parked": 0, "enabled": True}, SHANGHAI) == ("✓ All synced", "ok")


def test_backlog_while_offline_reads_count_and_local_time_since_and_the_last_error() -> None:
    data = {
        "pending": 412,
        "parked": 0,
        "enabled": True,
        "failing_since": datetime(2026, 11, 26, 6, 2, tzinfo=UTC),
        "last_error": "Head office unreachable (ConnectError)",
    }
    assert describe_state(data, SHANGHAI) == (
        "412 changes waiting — offline since 14:02 · Head office unreachable (ConnectError)",
        "warning",
    )


def test_one_change_waiting_while_sending_reads_singular() -> None:
    assert describe_state({"pending": 1, "parked": 0}, SHANGHAI) == ("1 change waiting", "warning")


def test_refused_rows_are_counted_with_the_reason() -> None:
    data = {"pending": 0, "parked": 2, "last_error": "Head office rejected this change: unknown platform"}
    assert describe_state(data, SHANGHAI) == (
        "2 refused by head office · Head office rejected this change: unknown platform",
        "warning",
    )


def test_refused_token_reads_the_manager_message_as_an_error() -> None:
    data = {"pending": 3, "parked": 0, "halted": True, "last_error": TOKEN_REFUSED}
    assert describe_state(data, SHANGHAI) == (f"✖ {TOKEN_REFUSED}", "error")


def test_sync_off_reads_sync_off_whatever_is_waiting() -> None:
    assert describe_state({"pending": 9, "parked": 0, "enabled": False}, SHANGHAI) == ("Sync off", "info")


def test_sync_settings_are_read_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[sync]\nendpoint = "https://hq.example.com/v1/batches"\nstore_id = "s-1"\n'
        'token_ref = "hq-token"\nbatch_size = 50\nretention_days = 3\n',
        encoding="utf-8",
    )
    sync = load_settings(path).sync
    assert sync == SyncSettings(
        enabled=True,
        endpoint="https://hq.example.com/v1/batches",
        store_id="s-1",
        token_ref="hq-token",
        batch_size=50,
        retention_days=3.0,
    )
    assert sync.configured


def test_sync_is_off_and_unconfigured_by_default(tmp_path: Path) -> None:
    sync = load_settings(tmp_path / "missing.toml").sync
    assert not sync.enabled and not sync.configured and sync.retention_days == 7


def test_bad_sync_settings_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sync]\nbatch_size = "lots"\n', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"config.toml: \[sync\] batch_size must be a whole number, not 'lots'"
    ):
        load_settings(path)
