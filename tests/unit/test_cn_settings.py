"""config.toml settings reach the Meituan and Ele.me connectors; the secret comes from the keyring by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from posapp.config import load_settings
from posapp.connectors.eleme import ElemeConnector
from posapp.connectors.meituan import MeituanConnector
from posapp.engine import Engine, EngineOptions
from posapp.vault import set_secret


def test_platform_settings_and_keyring_secrets_configure_the_connectors(tmp_path: Path, arun: Any) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        """
[platforms.meituan]
base_url = "https://waimaiopen.meituan.com"
app_id = "4917"
secret_ref = "test-meituan-secret"
poi_code = "store-01"
callback_url = "https://pos.example.com/meituan"

[platforms.eleme]
base_url = "https://open-api-sandbox.shop.ele.me"
app_id = "whjJ8amGkn"
push_app_id = "65929831"
secret_ref = "test-eleme-secret"
shop_id = "161856062"
""",
        encoding="utf-8",
    )
    set_secret("test-meituan-secret", "mt-s3cret")
    set_secret("test-eleme-secret", "elm-s3cret")
    engine = Engine(EngineOptions(settings=load_settings(config), data_dir=tmp_path))
    meituan, eleme = arun(engine._connectors())
    assert isinstance(meituan, MeituanConnector) and isinstance(eleme, ElemeConnector)
    assert (meituan.base_url, meituan.app_id, meituan.secret) == (
        "https://waimaiopen.meituan.com",
        "4917",
        "mt-s3cret",
    )
    assert eleme.push_app_id == "65929831"
    assert (meituan.poi_code, meituan.callback_url) == ("store-01", "https://pos.example.com/meituan")
    assert (eleme.base_url, eleme.app_id, eleme.secret, eleme.shop_id) == (
        "https://open-api-sandbox.shop.ele.me",
        "whjJ8amGkn",
        "elm-s3cret",
        "161856062",
    )
