"""[cash] and [printers.X] drawer in the settings file, and the denominations a count offers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from posapp.config import load_settings
from posapp.domain.cash import DENOMINATIONS, DrawerCount, cash_up, denominations_for
from posapp.services.cash import CashOptions
from posapp.services.reports import ReportOptions
from posapp.settings_schema import SettingsInvalid


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_the_float_denominations_and_drawer_flag_load_typed(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        '[store]\ncurrency = "HKD"\n'
        '[cash]\nopening_float = "800.00"\ndenominations = { HKD = [2000, 100000, 50, 10000] }\n'
        '[printers.counter]\nuri = "tcp://127.0.0.1:9100"\nrole = "counter"\ndrawer = true\n',
    )
    options = CashOptions.from_settings(settings)
    assert (options.currency, options.opening_float) == ("HKD", 80000)
    assert options.denominations() == (100000, 10000, 2000, 50)  # largest first, as the pad shows them
    assert ReportOptions.from_settings(settings).opening_float == 80000
    assert [p.drawer for p in settings.printers] == [True]


def test_a_bad_float_or_denomination_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(SettingsInvalid) as caught:
        load(tmp_path, '[cash]\nopening_float = "lots"\ndenominations = { CNY = [0] }\n')
    sentences = " ".join(p.sentence for p in caught.value.problems)
    assert "[cash] opening_float" in sentences and "'lots'" in sentences
    assert "denominations" in sentences
    with pytest.raises(SettingsInvalid):
        load(tmp_path, '[cash]\nopening_float = "-5"\n')


def test_built_in_denominations_and_an_unknown_currency() -> None:
    assert denominations_for("CNY") == (10000, 5000, 2000, 1000, 500, 100, 50, 10)
    assert denominations_for("USD")[-1] == 1 and denominations_for("EUR")[0] == 50000
    assert denominations_for("JPY") == ()  # none built in: [cash] denominations gives them
    assert all(list(d) == sorted(d, reverse=True) for d in DENOMINATIONS.values())


def test_variance_is_counted_minus_expected_in_minor_units() -> None:
    count = DrawerCount.of("USD", {2000: 3, 25: 4, 1: 0})
    assert count.pieces == ((2000, 3), (25, 4)) and count.total == 6100
    at = datetime(2026, 12, 3, tzinfo=UTC)
    up = cash_up(
        "USD", default_float=10000, cash_orders=5000, cash_order_count=2, cash_refunds=1000, entries=(),
        count=(count, "manager:lin", at),
    )  # fmt: skip
    assert (up.expected, up.variance) == (14000, -7900)
    with pytest.raises(ValueError):
        DrawerCount.of("USD", {100: -1})
