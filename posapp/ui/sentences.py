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
from posapp.ui.theme import PLATFORMS, platform_label

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
    "unknown action {action}",
    # services/manual.py, domain/bounds.py (the manual order form)
    "Unknown payment {payment}: choose cash, card or unpaid.",
    "{what} is {n} characters long (at most {limit})",
    "{what} holds control or unencodable characters",
    "{what} is empty",
    "{what} must be a whole number from {low} to {high}",
    "{what} has no time zone",
    "{what} is not a plausible time: {value}",
    "{what} is out of range: {value}",
    # services/payments.py: the Take payment dialog and refunds through a gateway
    "The {name} payment gateway is not set up: Settings → Payments.",
    "The {name} payment gateway cannot be used: {reason}",
    "{gateway} does not take payment by {method}.",
    "No order {order} to take payment for.",
    "The order is in {currency}, not {other}.",
    "The amount must be more than 0 and at most the order's total ({total}).",
    "Order #{number} {what} ({gateway}); it is not charged again.",
    "Order #{number} is already paid ({method}).",
    "The payment was in {currency}, not {other}.",
    "A refund must be more than 0 and at most what is left to refund ({amount}).",
    # services/setup.py: Shop setup → Payments
    "Type the {what}.",
    "{name} is not a payment gateway posapp knows.",
    # services/offers.py, domain/offers.py, store/offers.py (the order form's offer code, the Offers tab)
    "An offer code has {n} characters; this one has {m}.",
    "Code {code} was not issued by this store.",
    "Code {code} has been used already, on order #{number}.",
    "Code {code} has been used already.",
    "Code {code} expired on {date}.",
    "Code {code} is for orders in {currency}.",
    "Code {code} needs a spend of at least {need}; this order is {amount}.",
    "Code {code} gives nothing off this order.",
    "The offer's text is {n} characters long (at most {limit}).",
    "A code must be valid for 1 to {n} days.",
    "Unknown segment {name}.",
    "There is no offer {n} (any more).",
    "{reason} The website will send the order again.",
    # services/reports.py
    "A refund must be more than 0 and at most the order total ({total}).",
    # services/backup.py, store/backup.py
    "posapp is running on {folder}: close it before restoring (nothing was changed).",
    "The backup to {folder} failed: {reason}.",
    "There is no order database in {folder} to back up.",
    "The backup folder {folder} cannot be used: {reason}.",
    "{file} is not a file.",
    "{file} is not a posapp backup or is damaged: {reason}.",
    "{file} cannot be read: {reason}.",
    "{file} is damaged (the database check found: {reason}).",
    "{file} is not a posapp backup (it has no {table} table).",
    # services/upload.py
    "No head-office upload token in the keyring: ask your manager to set '{token}' in Settings",
    # services/channels.py (the listener; missed-order recovery has its own sentences in main_window)
    "{platform} payload could not be read",
    "{platform}: a push over 2 MB was refused",
    # services/channels.py: a platform's connection state
    "offline: {error}",
    "error: {error}",
    # printing/transports.py, printing/profiles.py: a printer's own sentences
    "{printer} closed the connection without answering.",
    "{printer} is out of paper. Load a new roll; tickets are waiting.",
    "{printer} cover is open. Close it to print.",
    "{printer}: CUPS is not installed on this computer (no 'lp' command).",
    "{printer}: CUPS refused the job: {reason}.",
    "{printer}: USB printing needs the 'pyusb' package (pip install pyusb).",
    "{printer}: serial printing needs the 'pyserial' package (pip install pyserial).",
    "{printer} is offline: no answer from {address}. Check it is switched on and on the network.",
    "{printer} is offline: {address} refused the connection. Check it is switched on.",
    "{printer} cannot be reached at {address}: {reason}.",
    "{printer} does not answer (connected, but silent for {n} s). Check for a paper jam or an error light.",
    "{printer} dropped the connection: {reason}.",
    "{printer} is not connected ({path} does not exist).",
    "{printer} is not connected ({path}).",
    "{printer}: no permission to write {path} (add this user to the 'lp' group).",
    "{printer} cannot be written ({path}): {reason}.",
    "{printer}: CUPS did not take the job within {n} s.",
    "{printer}: cannot run lp: {reason}.",
    "{printer}: USB printing is not available.",
    "{printer} stopped answering while printing ({error}); the ticket will be printed again marked REPRINT.",
    "{printer} stopped answering on {path}: {reason}.",
    "printer address {address} has no host (write tcp://192.168.1.50:9100)",
    "printer address {address} has no path (write file:/dev/usb/lp0)",
    "printer address {address} has a bad port",
    "USB printer {address} needs exactly a vendor and a product id: usb:04b8:0202",
    "USB printer {address} needs hex ids: usb:04b8:0202",
    "serial printer {address} has no device (write serial:/dev/ttyUSB0)",
    "serial printer {address} has a bad baudrate",
    "CUPS printer {address} has no queue name (write cups:Receipt)",
    "unknown printer address {address}: use tcp://host:port, file:PATH, usb:VID:PID, serial:/dev/... or cups:NAME",
    "printer encoding {encoding} is not supported (use one of {known})",
    "paper width {n} mm is not supported (use 58 or 80)",
    "python-escpos has no printer profile {model}",
    "unknown printer profile {name} (known: {known}, or escpos:<model>)",
    # services/cash.py (the [cash] settings: opening float, denominations)
    "[cash] in the settings: {reason}",
    # reports/statements.py, services/payouts.py (a platform's settlement statement refused)
    "line {line}: {reason}",
    "{what} is not a number: {value}",
    "{what} is not a plausible amount: {value}",
    "{what} has more decimals than {currency} has: {value}",
    "not a date: {value}",
    "not a currency code: {value}",
    "the file is larger than {n} MB: not a statement",
    "the CSV cannot be read: {reason}",
    "the Excel workbook cannot be opened: {reason}",
    "more than {n} lines: not one statement",
    "no statement format is known for {platform}",
    "no header with an order id and a payout column ({id}, {net}) in the first lines: is this a {platform} "
    "statement?",
    "no header with an order id and a payout column: is this a {platform} statement?",
    "this statement was imported already ({file}, {when} UTC)",
    "the file cannot be read: {reason}",
    "no imported statement #{n}",
    # services/payout_fetch.py, connectors/ubereats_reports.py (the Payouts tab's Fetch from Uber Eats)
    "{platform} statements cannot be fetched by API",
    "{platform} statements cannot be fetched by API: import the file",
    "{platform} is not connected: set it up in Shop setup first",
    "{platform} could not be reached: {error}",
    "no report request {id} is known",
    "{platform} sent no report in {n} seconds, nothing was imported: the report is announced to posapp's "
    "webhook address, so posapp (or 'posapp engine') must be running and that address set in the platform's "
    "developer dashboard",
    "Uber Eats could not make the report: {reason}",
    "the Uber Eats report was not imported, nothing was kept: {reason}",
    "the last day {last} is before the first day {first}",
    "Uber Eats gives at most {n} days of payment details per report: {first} to {last} is {days} days",
    "Uber Eats refused the report request: {reason}",
    "Uber Eats does not let this app read the store's reports (HTTP {code}): is the reporting app installed "
    "for store {store}?",
    "Uber Eats cannot take the report request now (HTTP {code})",
    "Uber Eats gave no reporting token: check the client id and secret, and that the app has the eats.report "
    "scope in the Uber developer dashboard (HTTP {code}).",
    "the Uber Eats report section {section} can no longer be downloaded (HTTP {code}): its link has expired; "
    "fetch the report again",
    "the Uber Eats report is larger than {n} MB",
    # services/catalogue.py, connectors/menus.py (the menu catalogue)
    "The CSV is larger than {n} MB: nothing imported",
    "The CSV has more than {n} dishes: nothing imported",
    "CSV line {line}: price {price} is not a number: nothing imported",
    "CSV line {line}: price {price} is not a plausible price: nothing imported",
    "CSV line {line}: the name is longer than {n} characters",
    "{platform} is not set up on this counter",
    "{platform} refused the menu import: {reason}",
    "Could not reach {platform} for its menu ({reason}): nothing changed",
    "{platform}'s public API has no call that lists a store's menu: import its dishes from a CSV, or let "
    "them arrive with its orders",
    # why a queued push or upload waits (services/channels.handle_push, services/upload): the status strip
    "{platform} unreachable: {error}",
    "{platform} refused: HTTP {code}",
    "{platform}: HTTP {code}",
    "Head office unreachable ({error})",
    "Head office busy: HTTP {code}",
    "Head office refused the batch: HTTP {detail}",
    # what a socket or HTTP client says (printer and platform errors); the words alone are entries too
    "[Errno {n}] {reason}",
    "{reason}: {address}",
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
            values = {k: _value(v, depth) for k, v in found.groupdict().items()}
            return t(template).format(**values)
    return text


def _value(text: str, depth: int) -> str:
    """A value inside a sentence: a platform's id by its name ("meituan" -> 美团), else said in turn."""
    return platform_label(text) if text in PLATFORMS else say(text, depth + 1)
