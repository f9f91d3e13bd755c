"""Qt's messages in the real app: known start-up noise dropped, other warnings in our log under ``qt``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning

from posapp.ui import qt_messages


@pytest.fixture
def our_handler(qapp: Any) -> Iterator[None]:
    """Our handler for one test, then pytest-qt's again (it records Qt warnings to fail tests on them)."""
    previous = qInstallMessageHandler(qt_messages._handle)
    yield
    qInstallMessageHandler(previous)


def test_known_noise_is_dropped_and_other_warnings_are_logged(
    our_handler: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG", logger="qt"):
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("PulseAudioService: pa_context_connect() failed")
        qWarning("QFont::setPointSizeF: Point size <= 0 (0.000000), must be greater than 0")
        qWarning("QPainter::begin: Paint device returned engine == 0, type: 2")
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("qt", "WARNING", "QPainter::begin: Paint device returned engine == 0, type: 2")
    ]


def test_qt_categories_keep_their_name_under_qt() -> None:
    assert qt_messages._logger_name("default") == "qt"
    assert qt_messages._logger_name("qt.qpa.xcb") == "qt.qpa.xcb"
    assert qt_messages._logger_name("posapp.printing") == "qt.posapp.printing"
    assert qt_messages.is_noise("Populating font family aliases took 120 ms", "qt.qpa.fonts")
