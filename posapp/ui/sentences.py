"""Service sentences in the screen's language.

Services, the domain and the engine have no Qt and speak English (their sentences also go to logs and to the
headless engine's clients). A screen shows one through :func:`say`: a fixed sentence ("Wrong PIN.") is a t()
entry of its own; a sentence with values in it ("There is already a user called Li.") is matched against the
templates below, which are t() entries too, and its values are said in turn ("reports", "5 s").
A sentence no template knows stays as the service wrote it (tests/ui/test_untranslated.py keeps the list whole).
"""

from __future__ import annotations

import re
from functools import lru_cache

from posapp.ui.i18n import t

# English as the services write it, with {name} where a value goes. Each one has a zh_CN entry.
TEMPLATES = (
    # services/auth.py
    "{who}: {permission} needs a manager PIN.",
    "A {role} cannot do this",
    "There is already a user called {name}.",
    "Too many wrong PINs. Try again in {wait}.",
    "{n} s",
    "{n} min",
    # services/setup.py
    "{name} is not set up.",
    "No printer named {name}.",
    "No one called {name}.",
    "Unknown role {role}.",
    # services/printing.py
    "No printer named {name} in the settings.",
    # services/orders.py, services/stations.py, domain/lifecycle.py
    "too late to undo: undo works for {n} seconds",
    "Order #{number} is {status}: no station works on it now.",
    "Order #{number} is {state} at {station}.",
    "cannot {action} an order that is {status}",
    # services/manual.py, domain/bounds.py (the manual order form)
    "Unknown payment {payment}: choose cash, card or unpaid.",
    "{what} is {n} characters long (at most {limit})",
    "{what} holds control or unencodable characters",
    "{what} is empty",
    "{what} must be a whole number from {low} to {high}",
    # services/reports.py
    "A refund must be more than 0 and at most the order total ({total}).",
    # services/backup.py, store/backup.py
    "posapp is running on {folder}: close it before restoring (nothing was changed).",
    "The backup to {folder} failed: {reason}.",
    "There is no order database in {folder} to back up.",
    "The backup folder {folder} cannot be used: {reason}.",
    # services/upload.py
    "No head-office upload token in the keyring: ask your manager to set '{token}' in Settings",
    # services/channels.py (the listener; missed-order recovery has its own sentences in main_window)
    "{platform} payload could not be read",
    "{platform}: a push over 2 MB was refused",
    # services/channels.py: a platform's connection state
    "offline: {error}",
    "error: {error}",
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each template as a pattern, the most specific (longest literal text) first."""

    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        return re.compile(regex, re.DOTALL)

    ordered = sorted(TEMPLATES, key=lambda s: -len(re.sub(r"\{\w+\}", "", s)))
    return tuple((template, pattern(template)) for template in ordered)


def say(text: str, depth: int = 0) -> str:
    """``text`` from a service in the screen's language (as it came when nothing translates it)."""
    if not text:
        return text
    translated = t(text)
    if translated != text or depth > 2:
        return translated
    for template, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            values = {k: say(v, depth + 1) for k, v in found.groupdict().items()}
            return t(template).format(**values)
    return text
