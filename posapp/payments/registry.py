"""The payment gateways by name: "alipay", "wechat", "stripe" -> the module's ``make`` factory.

Each gateway module is imported when first asked for, so a counter that takes only cards never imports the
Alipay RSA code, and a gateway module that is missing or broken fails only its own gateway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol

from posapp.payments.gateway import Gateway, GatewayError, Method

Secret = Callable[[str], str | None]  # a keyring name such as "payments.alipay.private_key" -> its value


class Factory(Protocol):
    def __call__(
        self, settings: dict[str, Any], secret: Secret, *, base_url: str | None = None
    ) -> Gateway: ...


@dataclass(frozen=True, slots=True)
class GatewayKind:
    """What the counter knows about a gateway before its module is imported."""

    name: str
    label: str
    module: str
    methods: frozenset[Method]
    secrets: tuple[str, ...]  # the keyring names it reads, under payments.<name>.


GATEWAYS: dict[str, GatewayKind] = {
    "alipay": GatewayKind(
        "alipay",
        "Alipay 支付宝",
        "posapp.payments.alipay",
        frozenset({Method.SCAN_CODE, Method.SHOW_QR}),
        ("private_key", "alipay_public_key"),
    ),
    "wechat": GatewayKind(
        "wechat",
        "WeChat Pay 微信支付",
        "posapp.payments.wechat",
        frozenset({Method.SCAN_CODE, Method.SHOW_QR}),
        ("api_key", "apiv3_key", "private_key", "platform_public_key", "merchant_cert"),
    ),
    "stripe": GatewayKind(
        "stripe",
        "Card (Stripe) 银行卡",
        "posapp.payments.stripe_terminal",
        frozenset({Method.CARD_READER}),
        ("secret_key", "webhook_secret"),
    ),
}


def kind(name: str) -> GatewayKind:
    try:
        return GATEWAYS[name]
    except KeyError:
        raise GatewayError(
            f"unknown payment gateway {name!r}; choose from {', '.join(sorted(GATEWAYS))}"
        ) from None


def factory(name: str) -> Factory:
    """The gateway module's ``make``; GatewayError with one sentence when it cannot be imported."""
    module_name = kind(name).module
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise GatewayError(f"the {name} gateway is not available in this build ({exc})") from exc
    make: Factory = module.make
    return make


def make(name: str, settings: dict[str, Any], secret: Secret, *, base_url: str | None = None) -> Gateway:
    """A ready gateway ``name`` with its non-secret ``settings``; ``secret`` reads the keyring by name."""
    return factory(name)(settings, secret, base_url=base_url)


def secret_name(gateway: str, secret: str) -> str:
    """The keyring name of one gateway secret: ``payments.alipay.private_key``."""
    return f"payments.{gateway}.{secret}"
