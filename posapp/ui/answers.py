"""Each platform's answer to a dish marked sold out (86) or back in stock, as the counter and Settings say it."""

from __future__ import annotations

from posapp.services.catalogue import PlatformAnswer
from posapp.ui.i18n import t
from posapp.ui.theme import platform_label

ANSWER_WORDS = {
    "sent": "✔ {platform}: {what} sent",
    "waiting": "… {platform}: waiting",
    "refused": "✖ {platform}: refused",
}


def answer_text(answer: PlatformAnswer) -> str:
    what = t("sold out") if answer.action == "sold_out" else t("back in stock")
    text = t(ANSWER_WORDS.get(answer.state, "{platform}: {what}")).format(
        platform=platform_label(answer.platform), what=what
    )
    return f"{text} — {answer.detail}" if answer.detail else text


def waiting(answers: list[PlatformAnswer]) -> bool:
    """A platform has not answered yet: its answer is worth reading again."""
    return any(a.state == "waiting" for a in answers)


def answers_level(answers: list[PlatformAnswer]) -> str:
    """How the answers read at a glance: an error when one refused, a warning while one waits, else ok."""
    states = {a.state for a in answers}
    return "error" if "refused" in states else "warning" if "waiting" in states else "ok"
