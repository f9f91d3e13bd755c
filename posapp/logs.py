"""Logging for a real run: stderr plus a rotating file in the data dir, and hooks for uncaught exceptions.

Called once from the command line (never on import), so pytest's own log capture stays in charge in tests.
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

LOG_FILE = Path("logs") / "posapp.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("httpx", "httpcore", "alembic", "aiohttp.access")
# ``log.error(..., extra=SHOWN)``: the sentence was already printed on stderr; write it to the file only.
SHOWN = {"posapp_shown": True}


def tell(prog: str, sentence: object, *, why: str = "") -> None:
    """One sentence for the operator: on stderr, and in the log file (not a second time on stderr)."""
    print(f"{prog}: {sentence}", file=sys.stderr)
    log.error("%s%s", why, sentence, extra=SHOWN)


class _NotShownYet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "posapp_shown", False)


def setup(data_dir: Path | None, *, verbose: bool = False) -> Path | None:
    """Log to stderr and to ``data_dir/logs/posapp.log`` (rotated); returns the file, or None without one."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter(FORMAT))
    console.addFilter(_NotShownYet())
    root.addHandler(console)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    path = add_file(data_dir) if data_dir is not None else None
    install_excepthooks()
    return path


def add_file(data_dir: Path) -> Path | None:
    """Add ``data_dir/logs/posapp.log`` (5 MB, then rotated, 5 old files kept) to the root logger."""
    path = data_dir / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:
        # The app can still run and say why on stderr; the database will complain if the folder is unusable.
        log.warning("no log file: cannot write %s: %s", path, exc.strerror or exc)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.getLogger().addHandler(handler)
    return path


def install_excepthooks() -> None:
    """Uncaught exceptions (main thread, other threads, qasync slots) go to the log with their traceback."""
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_uncaught


def _log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(exc_type, exc, tb))


def _log_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # threading's own default also stays silent for SystemExit
    name = args.thread.name if args.thread is not None else "?"
    if args.exc_value is None:
        log.critical("uncaught %s in thread %s", args.exc_type.__name__, name)
        return
    log.critical(
        "uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
    )
