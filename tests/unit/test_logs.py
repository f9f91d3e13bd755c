"""The log a kiosk keeps: a rotating UTF-8 file in the data dir, uncaught exceptions in it with tracebacks."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from posapp import logs


@pytest.fixture
def real_logging() -> Iterator[None]:
    """logs.setup changes process-wide state: give pytest its root logger and hooks back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def test_the_log_file_is_in_the_data_dir_rotated_utf8_with_time_and_logger(
    tmp_path: Path, real_logging: None
) -> None:
    path = logs.setup(tmp_path, verbose=False)
    assert path == tmp_path / "logs" / "posapp.log"
    logging.getLogger("posapp.test").info("订单 #12 stored")
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler))
    handler.flush()
    assert (handler.maxBytes, handler.backupCount, handler.encoding) == (5 * 1024 * 1024, 5, "utf-8")
    line = path.read_text(encoding="utf-8").splitlines()[-1]
    assert line.endswith("INFO posapp.test: 订单 #12 stored")
    assert line[:4].isdigit()  # starts with the timestamp


def test_verbose_keeps_debug_lines(tmp_path: Path, real_logging: None) -> None:
    logs.setup(tmp_path, verbose=True)
    assert logging.getLogger().level == logging.DEBUG


def test_an_uncaught_exception_lands_in_the_file_with_its_traceback(
    tmp_path: Path, real_logging: None
) -> None:
    path = logs.setup(tmp_path)
    assert path is not None
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # what Python (or qasync's slot wrapper) does with an uncaught one
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL posapp.logs: uncaught exception" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom in a slot" in text


def test_an_exception_in_another_thread_lands_in_the_file(tmp_path: Path, real_logging: None) -> None:
    path = logs.setup(tmp_path)
    assert path is not None

    def fail() -> None:
        raise ValueError("printer thread died")

    worker = threading.Thread(target=fail, name="printer-x")
    worker.start()
    worker.join()
    text = path.read_text(encoding="utf-8")
    assert "uncaught exception in thread printer-x" in text
    assert "ValueError: printer thread died" in text


def test_a_sentence_already_printed_goes_to_the_file_not_again_to_stderr(
    tmp_path: Path, real_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logs.setup(tmp_path)
    assert path is not None
    logging.getLogger("posapp.app").error("start-up failed: %s", "port taken", extra=logs.SHOWN)
    assert "port taken" in path.read_text(encoding="utf-8")
    assert "port taken" not in capsys.readouterr().err


def test_an_unwritable_log_folder_leaves_stderr_logging(tmp_path: Path, real_logging: None) -> None:
    (tmp_path / "logs").write_text("a file where the folder should be", encoding="utf-8")
    assert logs.setup(tmp_path) is None
