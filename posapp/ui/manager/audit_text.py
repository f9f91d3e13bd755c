"""The audit log in people's words: "Refunded ¥116.00 — cold noodles" rather than refund {"amount": 11600}."""

from __future__ import annotations

import json

from posapp.domain.audit import AuditEntry
from posapp.domain.money import Money
from posapp.ui.i18n import t
from posapp.ui.theme import platform_label

# The stored action name -> what happened, as a manager would say it (translated when shown).
ACTIONS = {
    "status": "Changed the order's status",
    "refund": "Refunded",
    "reprint": "Reprinted",
    "sold_out": "Marked sold out",
    "in_stock": "Marked available again",
    "pin_failed": "Wrong PIN entered",
    "sign_in": "Signed in",
    "user_created": "Added a staff member",
    "user_removed": "Removed a staff member",
    "pin_changed": "Changed a PIN",
    "pin_reset": "Reset a PIN",
    "lockout_lifted": "Lifted a PIN lock-out",
    "print_z_report": "Printed the Z-report",
    "screen_code": "Made a kitchen-screen pairing code",
    "screen_revoked": "Revoked a kitchen screen",
    "customer_note": "Edited a customer note",
    "purge_personal": "Cleared old customer details",
    "customer_exported": "Exported a customer's data",
    "customer_erased": "Erased a customer's data",
    "setting": "Changed a setting",
    "settings_changed": "Changed the settings",
    "backup": "Backed up the data",
    "autostart": "Changed start at login",
    "reminder": "Platform sent a rush reminder",
    "cash_paid_in": "Paid cash into the drawer",
    "cash_paid_out": "Paid cash out of the drawer",
    "cash_float": "Set the opening float",
    "cash_count": "Counted the drawer",
    "open_drawer": "Opened the cash drawer",
    "drawer_skipped": "Cash drawer kept shut (its printer was offline too long)",
    "payout_import": "Imported a platform statement",
    "payout_fetch": "Asked a platform for its statement",
    "offer_saved": "Saved an offer",
    "offer_issued": "The receipt handed out an offer code",
    "offer_redeemed": "Offer code used",
    "offer_refused": "Offer code not applied",
}
STATUS = {
    "new": "New",
    "accepted": "Accepted",
    "preparing": "Cooking",
    "ready": "Ready",
    "completed": "Completed",
    "rejected": "Rejected",
    "cancelled": "Cancelled",
}


def status_word(status: str | None) -> str:
    """ "preparing" -> "Cooking" (烹饪中 in Chinese): a stored status as the cards name it."""
    return t(STATUS.get(status or "", status or ""))


def action_text(action: str) -> str:
    """The action in words; an action this table does not know reads as itself, spaced out."""
    return t(ACTIONS[action]) if action in ACTIONS else action.replace("_", " ").capitalize()


def who_text(by: str) -> str:
    """ "manager:alice" -> "alice (manager)"; "kitchen", "auto-accept", a platform's name stay readable."""
    role, _, name = by.partition(":")
    if name:
        return f"{name} ({t(role)})"
    return platform_label(by) if by in ("meituan", "eleme", "ubereats", "doordash", "own", "demo") else t(by)


def order_text(label: str | None) -> str:
    """ "meituan #12" -> "Meituan #12"."""
    if not label:
        return ""
    platform, _, number = label.partition(" #")
    return f"{platform_label(platform)} #{number}" if number else label


def detail_text(entry: AuditEntry) -> str:
    detail = entry.detail or ""
    if entry.action in ("refund", "cash_paid_in", "cash_paid_out", "cash_float"):
        return _refund(detail)
    if entry.action == "cash_count":
        return _count(detail)
    if entry.action == "payout_import":
        return _statement(detail)
    if entry.action == "status":
        return _status_change(detail)
    if entry.action == "pin_failed":
        return t("for {what}").format(what=detail.removeprefix("for ").strip()) if detail else ""
    return detail


def _statement(detail: str) -> str:
    """A statement import: "Meituan: 美团账单.csv, 6 lines"."""
    try:
        data = json.loads(detail)
        platform, name, lines = str(data["platform"]), str(data["file"]), int(data["lines"])
    except (ValueError, KeyError, TypeError):
        return detail
    return t("{platform}: {file}, {n} lines").format(platform=platform_label(platform), file=name, n=lines)


def _refund(detail: str) -> str:
    try:
        data = json.loads(detail)
        amount = Money(int(data["amount"]), str(data["currency"])).format()
    except (ValueError, KeyError, TypeError):
        return detail
    reason = str(data.get("reason") or "").strip()
    return f"{amount} — {reason}" if reason else amount


def _count(detail: str) -> str:
    """The drawer's count: "Counted ¥628.00 · expected ¥628.50 · -¥0.50 short"."""
    try:
        data = json.loads(detail)
        cur = str(data["currency"])
        counted, expected, variance = (Money(int(data[k]), cur) for k in ("counted", "expected", "variance"))
    except (ValueError, KeyError, TypeError):
        return detail
    word = t("short") if variance.amount < 0 else t("over") if variance.amount > 0 else t("exact")
    return t("Counted {counted} · expected {expected} · {variance} {word}").format(
        counted=counted.format(), expected=expected.format(), variance=variance.format(), word=word
    )


def _status_change(detail: str) -> str:
    """ "new → accepted (Kitchen too busy)" -> "New → Accepted (Kitchen too busy)"; "new order: new" -> "New order"."""
    if detail.startswith("new order"):
        return t("New order")
    change, _, reason = detail.partition(" (")
    parts = [t(STATUS.get(p.strip(), p.strip())) for p in change.split("→")]
    return " → ".join(parts) + (f" ({reason}" if reason else "")
