"""DoorDash webhook auth: DD-JWT-V1 tokens checked by PyJWT (HS256 pinned, exp, iat, aud), tokens compared safely."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from posapp.connectors.doordash import DoorDashConnector
from posapp.errors import ConfigError, SignatureError

KEY = b"posapp-test-doordash-signing-key"  # 32 bytes, as the portal's signing secrets decode to
SECRET = base64.urlsafe_b64encode(KEY).rstrip(b"=").decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def forge(claims: dict[str, Any], *, key: bytes = KEY, alg: str = "HS256", **header: Any) -> str:
    """A token made by hand, as an attacker would, so the test does not lean on the library it checks."""
    head = b64url(json.dumps({"alg": alg, "typ": "JWT", "dd-ver": "DD-JWT-V1", **header}).encode())
    body = b64url(json.dumps(claims).encode())
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}.get(alg, hashlib.sha256)
    sig = b"" if alg == "none" else hmac.new(key, f"{head}.{body}".encode(), digest).digest()
    return f"{head}.{body}.{b64url(sig)}"


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"aud": "doordash", "iss": "dev", "kid": "key", "iat": now, "exp": now + 300}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def connector(secret: str = SECRET) -> DoorDashConnector:
    return DoorDashConnector(base_url="", app_id="dev:key", secret=secret)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refused(c: DoorDashConnector, headers: dict[str, str]) -> str:
    with pytest.raises(SignatureError) as info:
        c.verify(headers=headers, body=b"{}", query={})
    return str(info.value)


def test_jwt_made_by_make_jwt_and_the_webhook_token_pass() -> None:
    c = connector()
    c.verify(headers=bearer(c.make_jwt()), body=b"{}", query={})
    c.verify(headers=bearer(forge(claims())), body=b"{}", query={})
    c.verify(headers=bearer(SECRET), body=b"{}", query={})


def test_make_jwt_is_dd_jwt_v1_hs256_under_the_decoded_secret() -> None:
    token = connector().make_jwt(now=1_700_000_000)
    head, body, sig = token.split(".")
    assert json.loads(unb64url(head)) == {"alg": "HS256", "typ": "JWT", "dd-ver": "DD-JWT-V1"}
    assert json.loads(unb64url(body)) == {
        "aud": "doordash",
        "iss": "dev",
        "kid": "key",
        "iat": 1_700_000_000,
        "exp": 1_700_000_300,
    }
    assert hmac.compare_digest(
        unb64url(sig), hmac.new(KEY, f"{head}.{body}".encode(), hashlib.sha256).digest()
    )


def test_jwt_for_another_audience_is_refused() -> None:
    assert "audience" in refused(connector(), bearer(forge(claims(aud="someone-else"))))


def test_expired_jwt_is_refused() -> None:
    assert "expired" in refused(connector(), bearer(connector().make_jwt(now=time.time() - 3600)))


@pytest.mark.parametrize("missing", ["exp", "iat", "aud"])
def test_jwt_without_exp_iat_or_aud_is_refused(missing: str) -> None:
    refused(connector(), bearer(forge(claims(**{missing: None}))))


def test_jwt_from_another_issuer_is_refused() -> None:
    refused(connector(), bearer(forge(claims(iss="another-developer"))))


@pytest.mark.parametrize("alg", ["none", "HS512", "RS256"])
def test_jwt_with_another_algorithm_is_refused(alg: str) -> None:
    assert "HS256" in refused(connector(), bearer(forge(claims(), alg=alg)))


def test_jwt_under_the_wrong_key_is_refused() -> None:
    assert "signature" in refused(connector(), bearer(forge(claims(), key=b"x" * 32)))


def test_nothing_configured_refuses_every_push_even_a_jwt_forged_with_an_empty_key() -> None:
    c = connector(secret="")
    for headers in (bearer(forge(claims(), key=b"")), bearer(""), {"Authorization": "Basic Og=="}, {}):
        assert refused(c, headers)


def test_webhook_token_without_a_secret_does_not_open_the_jwt_path_to_an_empty_key() -> None:
    c = connector(secret="")
    c.configure({"webhook_token_ref": "dd"}, {"dd": "portal-token"}.get)
    c.verify(headers=bearer("portal-token"), body=b"{}", query={})
    assert "no signing secret" in refused(c, bearer(forge(claims(), key=b"")))


def test_secret_of_stray_characters_does_not_decode_to_an_empty_key() -> None:
    # base64's lenient decoder drops characters outside the alphabet: "!!!!" would become the empty key.
    refused(connector(secret="!!!!"), bearer(forge(claims(), key=b"")))


def test_basic_auth_with_an_empty_password_is_refused() -> None:
    c = connector()
    for user_pass in ("doordash:", ":", ""):
        refused(c, {"Authorization": "Basic " + base64.b64encode(user_pass.encode()).decode()})


@pytest.mark.parametrize(
    "auth",
    [
        "Bearer é" + SECRET[2:],
        "Bearer \udcff\udcfe",
        "Basic " + base64.b64encode("doordash:é".encode()).decode(),
        "Bearer é.é.é",
        "Bearer ...",
        "Bearer a.b.c",
    ],
    ids=["non-ascii-token", "surrogates", "non-ascii-basic", "non-ascii-jwt", "empty-jwt-parts", "junk-jwt"],
)
def test_odd_authorization_text_is_a_signature_error_not_a_crash(auth: str) -> None:
    refused(connector(), {"Authorization": auth})


def test_short_signing_secret_refuses_jwts() -> None:
    short = b64url(b"tiny")
    assert "too short" in refused(connector(secret=short), bearer(forge(claims(), key=b"tiny")))


def test_make_jwt_without_a_signing_secret_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        connector(secret="").make_jwt()
