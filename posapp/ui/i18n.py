"""Translations: Qt .qm files (zh_CN) under resources/i18n; language follows the system unless set."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from posapp.resources import resource

log = logging.getLogger(__name__)
CONTEXT = "posapp"
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
_installed: QTranslator | None = None


def t(text: str, disambiguation: str | None = None) -> str:
    """Translate a UI string in the one posapp context (resources/i18n/posapp_zh_CN.ts).

    ``disambiguation`` tells apart one English word with two meanings (the .ts entry's comment).
    """
    return QCoreApplication.translate(CONTEXT, text, disambiguation)


def current_language() -> str:
    """The language the screens speak now ("en" unless a translation is installed)."""
    return "en" if _installed is None else (_installed.language().replace("-", "_") or "en")


def system_language() -> str:
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_language(language: str | None) -> str:
    """Switch the application's language ("en", "zh_CN", or None for the system's); returns the one in use."""
    global _installed
    app = QCoreApplication.instance()
    lang = language or system_language()
    if app is None:
        return lang
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang != "en":
        translator = QTranslator(app)
        path = resource("i18n", f"posapp_{lang}.qm")
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed = translator
        else:
            log.warning("no translation file %s; staying in English", path)
            return "en"
    return lang
