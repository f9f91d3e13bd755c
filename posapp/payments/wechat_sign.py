"""WeChat Pay's keys and signatures, as pure functions over keys held only in memory: API v2's HMAC-SHA256 over
XML, API v3's WECHATPAY2-SHA256-RSA2048 (our requests signed with the merchant key, WeChat's answers and callbacks
verified with its platform key), the AEAD_AES_256_GCM callback resource, and the merchant API certificate for the
v2 reverse's mutual TLS. The wire rules and their sources are in posapp/payments/wechat.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import ssl
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509 import load_pem_x509_certificate

from posapp.errors import ConfigError
from posapp.payments.gateway import GatewayError, SignatureError

log = logging.getLogger(__name__)

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
CLOCK_SKEW_S = 300  # WeChat's answers and callbacks older or newer than 5 minutes are refused (replay)


@dataclass(frozen=True, slots=True)
class Keys:
    """The merchant's secrets, only in memory (read from the keyring by ``make``)."""

    api_key: str = ""  # API v2 key (HMAC-SHA256)
    apiv3_key: bytes = b""  # 32 bytes: decrypts callbacks
    private_key: rsa.RSAPrivateKey | None = None  # the merchant API certificate's key: signs v3 requests
    platform_key: rsa.RSAPublicKey | None = None  # WeChat Pay's public key: verifies answers and callbacks

    def __repr__(self) -> str:
        return "Keys(<hidden>)"


def v2_sign(fields: dict[str, str], api_key: str) -> str:
    """API v2 HMAC-SHA256: non-empty fields but ``sign`` sorted by name as k=v&..., then ``&key=<API key>``."""
    text = "&".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "sign" and v != "")
    return hmac.new(api_key.encode(), f"{text}&key={api_key}".encode(), hashlib.sha256).hexdigest().upper()


def to_xml(fields: dict[str, str]) -> str:
    return "<xml>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields.items()) + "</xml>"


def from_xml(data: bytes) -> dict[str, str]:
    """A flat v2 ``<xml>`` document as a dict; GatewayError if it is not one."""
    try:
        root = ET.fromstring(data)  # expat expands no external entities and caps entity amplification
    except ET.ParseError:
        raise GatewayError("WeChat Pay's answer is not XML") from None
    if root.tag != "xml":
        raise GatewayError("WeChat Pay's answer is not a WeChat XML document")
    return {child.tag: (child.text or "") for child in root}


def authorization(
    key: rsa.RSAPrivateKey, mchid: str, serial: str, method: str, path: str, content: bytes
) -> str:
    """The API v3 ``Authorization`` header: SHA256withRSA over ``METHOD\\nPATH?QUERY\\ntime\\nnonce\\nbody\\n``."""
    stamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = f"{method}\n{path}\n{stamp}\n{nonce}\n".encode() + content + b"\n"
    signature = base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
    return (
        f'{SCHEMA} mchid="{mchid}",nonce_str="{nonce}",signature="{signature}",'
        f'timestamp="{stamp}",serial_no="{serial}"'
    )


def verify(
    key: rsa.RSAPublicKey, serial_expected: str, headers: dict[str, str], body: bytes, *, what: str
) -> None:
    """WeChat Pay's signature on an answer or callback (headers lower-cased) over ``time\\nnonce\\nbody\\n``;
    SignatureError if it is missing, stale, by a key we do not know, or does not verify."""
    stamp = headers.get("wechatpay-timestamp", "")
    nonce = headers.get("wechatpay-nonce", "")
    signature = headers.get("wechatpay-signature", "")
    serial = headers.get("wechatpay-serial", "")
    if not (stamp and nonce and signature):
        raise SignatureError(f"WeChat Pay {what} carries no signature: refused")
    if serial_expected and serial != serial_expected:
        raise SignatureError(f"WeChat Pay {what} is signed with a key we do not know ({serial!r}): refused")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > CLOCK_SKEW_S:
        raise SignatureError(f"WeChat Pay {what} is stamped outside 5 minutes of our clock: refused")
    message = f"{stamp}\n{nonce}\n".encode() + body + b"\n"
    try:
        key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        raise SignatureError(f"WeChat Pay {what} signature does not verify: refused") from None


def decrypt(apiv3_key: bytes, resource: dict[str, Any]) -> bytes:
    """A callback's ``resource``: AEAD_AES_256_GCM under the APIv3 key; SignatureError when it does not open."""
    try:
        return AESGCM(apiv3_key).decrypt(
            str(resource["nonce"]).encode(),
            base64.b64decode(resource["ciphertext"]),
            str(resource.get("associated_data") or "").encode() or None,
        )
    except InvalidTag:
        raise SignatureError(
            "WeChat Pay callback: the resource does not decrypt with our APIv3 key"
        ) from None


def client_tls(cert_pem: str, key: rsa.RSAPrivateKey | None) -> ssl.SSLContext | None:
    """A TLS context that presents the merchant API certificate (apiclient_cert.pem with its key), as the v2
    reverse requires. ``ssl`` reads a certificate only from a path, so the PEM goes through an anonymous in-memory
    file (memfd, Linux), never a file on disk: None (with a warning) where there is no memfd; ConfigError when
    the certificate is not a certificate or not the key's."""
    assert key is not None
    try:
        certificate = load_pem_x509_certificate(cert_pem.strip().encode())
    except ValueError:
        raise ConfigError(
            "the WeChat Pay API certificate is not a PEM certificate (apiclient_cert.pem)"
        ) from None
    if certificate.public_key() != key.public_key():
        raise ConfigError(
            "the WeChat Pay API certificate does not belong to the private key (apiclient_key.pem)"
        )
    if not hasattr(os, "memfd_create"):
        log.warning(
            "wechat: the API certificate is used on Linux only (never written to disk): reverses go without"
        )
        return None
    chain = certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    context = ssl.create_default_context()
    fd = os.memfd_create("wechatpay-apiclient", os.MFD_CLOEXEC)
    try:
        os.write(fd, chain)
        context.load_cert_chain(f"/proc/self/fd/{fd}")
    finally:
        os.close(fd)
    return context


def apiv3_key(value: str) -> bytes:
    key = value.strip().encode()
    if len(key) != 32:
        raise ConfigError("the WeChat Pay APIv3 key must be 32 characters (商户平台 → API安全 → APIv3密钥)")
    return key


def private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigError("the WeChat Pay private key is not a PEM key (apiclient_key.pem)") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError("the WeChat Pay private key must be an RSA key (apiclient_key.pem)")
    return key


def platform_key(pem: str) -> rsa.RSAPublicKey:
    """WeChat Pay's public key (微信支付公钥) or a platform certificate holding it."""
    data = pem.strip().encode()
    try:
        key = (
            load_pem_x509_certificate(data).public_key()
            if b"CERTIFICATE" in data
            else serialization.load_pem_public_key(data)
        )
    except ValueError:
        raise ConfigError("the WeChat Pay platform key is not a PEM public key or certificate") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigError("the WeChat Pay platform key must be an RSA key")
    return key
