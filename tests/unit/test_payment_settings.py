"""[payments] in the settings: the gateways the counter offers, each one's ids, never a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.config import load_settings
from posapp.payments import registry
from posapp.services.payments import gateway_settings
from posapp.settings_schema import PAYMENT_GATEWAYS, SettingsInvalid

GOOD = """
[payments]
enabled = ["wechat", "stripe"]

[payments.wechat]
appid = "wx8888888888888888"
mch_id = "1900000109"
sandbox = true

[payments.stripe]
readers = ["tmr_FDOt2wlRZEdpd7"]
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsInvalid) as caught:
        load_settings(path)
    return [p.sentence for p in caught.value.problems]


def test_the_settings_name_the_same_gateways_as_the_registry() -> None:
    assert set(PAYMENT_GATEWAYS) == set(registry.GATEWAYS)


def test_enabled_gateways_come_in_their_order_with_their_ids(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, encoding="utf-8")
    found = gateway_settings(load_settings(path).raw)
    assert [g.name for g in found] == ["wechat", "stripe"]
    assert found[0].sandbox and found[0].options["mch_id"] == "1900000109"
    assert found[1].readers == ("tmr_FDOt2wlRZEdpd7",) and not found[1].sandbox


def test_a_key_written_into_the_settings_is_refused_without_repeating_it(tmp_path: Path) -> None:
    (sentence,) = problems(tmp_path, '[payments.alipay]\napp_id = "2021"\nprivate_key = "MIIEvQIBADAN"\n')
    assert sentence.startswith("config.toml: [payments.alipay]") and "keyring" in sentence
    assert "MIIEvQIBADAN" not in sentence


def test_an_unknown_gateway_is_one_sentence(tmp_path: Path) -> None:
    (sentence,) = problems(tmp_path, '[payments]\nenabled = ["paypal"]\n')
    assert sentence.startswith("config.toml: [payments] enabled")
