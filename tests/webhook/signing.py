"""Each platform's signing rule with the simulators' credentials, and the ways a push can be forged.

The simulators' own signing code is used where it exists (Meituan ``_sig``, Ele.me ``_envelope_signature``,
Uber ``_sign``, the own site's ``_headers``, DoorDash's auth token); a twin of it where a simulator has
none (a Meituan JSON body: strings as they are, any other value as compact JSON; lone surrogates).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.connectors.simulator.eleme import _envelope_signature
from posapp.connectors.simulator.meituan import _DOUBLE_ENCODED, _sig
from posapp.connectors.simulator.own import _headers as own_headers
from tests.webhook.pushes import Push, RawJSON, dumps, form_text, has_surrogate, no_surrogates


@dataclass
class Wire:
    """What goes over the wire: body bytes and headers (values may be bytes: non-ASCII on purpose)."""

    body: bytes
    headers: dict[str, Any]
    fetched: dict[str, Any] | None = None  # Uber: what the simulator serves for the notified order ...
    fetched_key: str = ""  # ... under the id the notification names


def meituan_sig(url: str, params: Mapping[str, str], secret: str) -> str:
    """Meituan's sig; the simulator's ``_sig``, with lone surrogates passed through (a JSON body may hold one)."""
    if not any(has_surrogate(v) for v in params.values()):
        return _sig(url, params, secret)
    base = url + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5((base + secret).encode("utf-8", "surrogatepass")).hexdigest()


def meituan_signed_text(value: Any) -> str:
    """What Meituan signs for one field of a JSON body: a string as it is, anything else as compact JSON
    (non-ASCII as it is, lone surrogates included: they are signed as their UTF-8 "surrogatepass" bytes)."""
    if isinstance(value, str):
        return value
    return value.text if isinstance(value, RawJSON) else dumps(value, ascii_only=False)


def eleme_signature(envelope: Mapping[str, Any], secret: str) -> str:
    """The simulator's envelope signature (str and int values; a :class:`RawJSON` number signs as its digits)."""
    plain = {k: (v.text if isinstance(v, RawJSON) else v) for k, v in envelope.items()}
    if not any(has_surrogate(v) for v in plain.values()):
        return _envelope_signature(plain, secret)
    pairs = sorted((k, v) for k, v in plain.items() if k != "signature")
    raw = "".join(f"{k}={v}" for k, v in pairs) + secret
    return hashlib.md5(raw.encode("utf-8", "surrogatepass")).hexdigest().upper()


class Signer:
    """Each platform's signing rule with the simulator's credentials; ``url`` is the listener's base URL."""

    def __init__(self, sim: Simulator, base_url: str) -> None:
        self.sim = sim
        self.base_url = base_url

    def plat(self, name: str) -> Any:
        return self.sim.platforms[name]

    # Meituan -----------------------------------------------------------------------------------------------
    def meituan_params(self, push: Push, *, timestamp: str | None = None) -> dict[str, Any]:
        params = dict(push.payload)
        params["app_id"] = self.plat("meituan").app_id
        params["timestamp"] = timestamp if timestamp is not None else str(int(time.time()))
        return params

    def meituan_signature(self, push: Push, params: Mapping[str, Any], secret: str | None = None) -> str:
        url = f"{self.base_url}/meituan"
        secret = self.plat("meituan").secret if secret is None else secret
        if push.form:
            fields = {k: no_surrogates(form_text(v)) for k, v in params.items() if k != "sig"}
        else:
            fields = {k: meituan_signed_text(v) for k, v in params.items() if k != "sig"}
        return meituan_sig(url, fields, secret)

    def meituan_wire(
        self, push: Push, params: dict[str, Any], *, secret: str | None = None, sig: str | None = None
    ) -> Wire:
        """Serialise ``params`` as Meituan sends them and sign them (``sig`` given: use that one instead)."""
        signature = sig if sig is not None else self.meituan_signature(push, params, secret)
        if push.form:
            fields = {k: no_surrogates(form_text(v)) for k, v in params.items() if k != "sig"}
            pairs = [(k, quote_plus(v) if k in _DOUBLE_ENCODED else v) for k, v in fields.items()]
            if signature != "":
                pairs.append(("sig", signature))
            return Wire(urlencode(pairs).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        out = {k: v for k, v in params.items() if k != "sig"}
        if signature != "":
            out["sig"] = signature
        body = dumps(out).encode("utf-8", "surrogatepass")
        return Wire(body, {"Content-Type": "application/json"})

    # Ele.me ------------------------------------------------------------------------------------------------
    def eleme_envelope(self, push: Push, *, timestamp_ms: int | None = None) -> dict[str, Any]:
        env = {k: _eleme_top(k, v) for k, v in push.payload.items()}
        if "appId" in env:
            env["appId"] = int(self.plat("eleme").app_id)
        if "timestamp" in env:
            env["timestamp"] = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
        return env

    def eleme_wire(self, env: dict[str, Any], *, secret: str | None = None, sig: str | None = None) -> Wire:
        secret = self.plat("eleme").secret if secret is None else secret
        env = {k: v for k, v in env.items() if k != "signature"}
        env["signature"] = eleme_signature(env, secret) if sig is None else sig
        body = dumps(env, compact=False).encode("utf-8", "surrogatepass")
        return Wire(body, {"Content-Type": "application/json; charset=utf-8"})

    # JSON-body platforms -----------------------------------------------------------------------------------
    def body_of(self, push: Push) -> bytes:
        return dumps(push.payload, compact=False).encode("utf-8", "surrogatepass")

    def auth_headers(self, name: str, body: bytes, *, secret: str | None = None) -> dict[str, Any]:
        plat = self.plat(name)
        if name == "ubereats":
            if secret is None:
                return dict(plat._sign(body))
            return {"X-Uber-Signature": _hmac_hex(secret, body), "Content-Type": "application/json"}
        if name == "doordash":
            headers = dict(plat.auth_headers())
            if secret is not None:
                headers["Authorization"] = f"Bearer {secret}"
            return headers
        return own_headers(plat.secret if secret is None else secret, body)

    def sign(self, push: Push) -> Wire:
        """``push`` signed correctly, the way its platform signs."""
        if push.platform == "meituan":
            return self.meituan_wire(push, self.meituan_params(push))
        if push.platform == "eleme":
            return self.eleme_wire(self.eleme_envelope(push))
        body = self.body_of(push)
        return Wire(body, self.auth_headers(push.platform, body), push.fetched, push.external_id)

    def forge(self, push: Push, how: str) -> Wire:
        """``push`` with a signature that must not pass: ``how`` is one of :data:`FORGERIES`."""
        name = push.platform
        if name == "meituan":
            params = self.meituan_params(push, timestamp=_FORGED_STAMP.get(how))
            if how == "other body":  # a genuine sig, for the push before a field was added
                sig = self.meituan_signature(push, params)
                return self.meituan_wire(push, {**params, "zz_added": "1"}, sig=sig)
            secret, sig = _forged_secret_and_sig(how)
            return self.meituan_wire(push, params, secret=secret, sig=sig)
        if name == "eleme":
            env = self.eleme_envelope(push, timestamp_ms=_FORGED_STAMP_MS.get(how))
            if how == "unicode digits":
                env["timestamp"] = "١٧٠٠٠٠٠٠٠٠٠٠٠"
            if how == "other body":
                genuine = self.eleme_signature_of(env)
                return self.eleme_wire({**env, "zz_added": 1}, sig=genuine)
            secret, sig = _forged_secret_and_sig(how)
            return self.eleme_wire(env, secret=secret, sig=sig)
        body = self.body_of(push)
        headers = self.auth_headers(name, body)
        if how == "unsigned":
            headers = {k: v for k, v in headers.items() if k.lower() in ("content-type",)}
        elif how == "wrong secret":
            headers = self.auth_headers(name, body, secret="not-the-secret")
        elif how == "other body":
            body = body[:-1] + b',"zz_added":1}' if body.endswith(b"}") else body + b" "
        elif how == "non-ascii signature":
            key = {"ubereats": "X-Uber-Signature", "doordash": "Authorization", "own": "X-Posapp-Signature"}[
                name
            ]
            headers[key] = "签名 sha256=é".encode()
        elif how == "stale":
            if name == "own":
                headers = own_headers(self.plat("own").secret, body, int(time.time()) - 3600)
            elif name == "doordash":
                conn = registry.make("doordash", app_id=self.plat(name).app_id, secret=self.plat(name).secret)
                headers["Authorization"] = f"Bearer {conn.make_jwt(now=time.time() - 3600)}"  # type: ignore[attr-defined]
            else:
                headers.pop("X-Uber-Signature", None)  # Uber signs no timestamp: stand in with no signature
        elif how == "unicode digits":
            if name == "own":
                headers["X-Posapp-Timestamp"] = "١٧٠٠٠٠٠٠٠٠".encode()
            else:
                headers[next(k for k in headers if k != "Content-Type")] = "١٧٠٠".encode()
        # Uber: the order stays fetchable, so only the notification's signature decides.
        return Wire(body, headers, push.fetched, push.external_id)

    def eleme_signature_of(self, env: dict[str, Any]) -> str:
        return eleme_signature({k: v for k, v in env.items() if k != "signature"}, self.plat("eleme").secret)


def _eleme_top(key: str, value: Any) -> Any:
    """An envelope value as Ele.me sends it: ``message`` is JSON text; the rest are strings and integers (a
    value of another type is sent as its JSON text, so the signing rule for it is not in doubt)."""
    if key == "message" and not isinstance(value, str):
        return dumps(value)
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, RawJSON) and value.text.lstrip("-").isdigit():
        return value
    return dumps(value)


FORGERIES = ("unsigned", "wrong secret", "other body", "non-ascii signature", "stale", "unicode digits")


def forgeries(platform: str) -> tuple[str, ...]:
    """The forgeries that apply: DoorDash's webhook carries an auth token, not a signature of the body
    (Webhook subscription guide), so a changed body under the right token is not a forgery there."""
    return tuple(f for f in FORGERIES if not (platform == "doordash" and f == "other body"))


_FORGED_STAMP = {"stale": "1500000000", "unicode digits": "١٧٠٠٠٠٠٠٠٠"}
_FORGED_STAMP_MS = {"stale": 1_500_000_000_000}


def _forged_secret_and_sig(how: str) -> tuple[str | None, str | None]:
    if how == "unsigned":
        return None, ""
    if how == "wrong secret":
        return "not-the-secret", None
    if how == "non-ascii signature":
        return None, "签名é"
    return None, None  # stale / unicode digits: signed with the right secret, refused for the timestamp


def _hmac_hex(secret: str, body: bytes) -> str:
    import hmac

    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
