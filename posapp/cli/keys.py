"""``posapp privacy rotate-key | export-key | import-key``: the data key that seals customers' personal data.

rotate-key re-encrypts every sealed value under a new key (posapp must not be running: it holds the old one);
export-key writes the keys wrapped under a passphrase, to carry to a new counter; import-key puts them into
this machine's keyring. Passphrases are typed (never an argument: it would land in the shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

KEY_ACTIONS = ("rotate-key", "export-key", "import-key")
PROG = "posapp privacy"


def key_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description="The key that encrypts customers' personal data.")
    sub = parser.add_subparsers(dest="what", required=True)
    rot = sub.add_parser("rotate-key", help="re-encrypt every personal field under a new key")
    rot.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    rot.add_argument(
        "--forget-old",
        action="store_true",
        help="also remove the retired keys from the keyring (backups made before, and other data folders of "
        "this user, then no longer open)",
    )
    exp = sub.add_parser("export-key", help="write the key, locked with a passphrase, to a file")
    exp.add_argument("file", type=Path)
    imp = sub.add_parser("import-key", help="take the key from a file export-key wrote")
    imp.add_argument("file", type=Path)
    imp.add_argument("--data-dir", type=Path, help="check that this database now opens")
    for p in (exp, imp):
        p.add_argument(
            "--passphrase-stdin", action="store_true", help="read the passphrase from stdin (scripts)"
        )
    args = parser.parse_args(argv)

    from posapp.errors import PosappError

    try:
        if args.what == "rotate-key":
            return _rotate(args.data_dir, forget_old=args.forget_old)
        if args.what == "export-key":
            return _export(args.file, args.passphrase_stdin)
        return _import(args.file, args.passphrase_stdin, args.data_dir)
    except PosappError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


def _rotate(data_dir: Path | None, *, forget_old: bool = False) -> int:
    from posapp.config import default_data_dir
    from posapp.instance import InstanceLock
    from posapp.store import keystore
    from posapp.store.db import DB_FILENAME, open_database
    from posapp.store.sealing import rotate

    folder = data_dir or default_data_dir()
    if not (folder / DB_FILENAME).exists():
        print(f"{PROG}: no order database in {folder}", file=sys.stderr)
        return 2
    lock = InstanceLock.acquire(folder)  # AlreadyRunning: a running posapp still seals with the old key
    try:
        db = open_database(folder)
        try:
            count = rotate(db, keystore.load_keys, keystore.save_keys, forget_old=forget_old)
        finally:
            db.close()
    finally:
        lock.release()
    if forget_old:
        print(f"Re-encrypted {count} personal values under a new key; the old key is gone from the keyring.")
    else:
        print(
            f"Re-encrypted {count} personal values under a new key. The old key stays in the keyring, so backups "
            "made before today still open; 'posapp privacy rotate-key --forget-old' removes it."
        )
    print("Key files exported before today hold the old key: export the key again for your records.")
    return 0


def _passphrase(from_stdin: bool, *, twice: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passphrase for the key file: ")
    if twice and getpass.getpass("Again: ") != first:
        from posapp.store.sealed import SealError

        raise SealError("The two passphrases differ: nothing written.")
    return first


def _export(file: Path, from_stdin: bool) -> int:
    from posapp.store import keystore
    from posapp.store.sealed import SealError

    keys = keystore.load_keys()
    if keys is None:
        raise SealError("This machine holds no data key yet (posapp makes one when it first starts).")
    text = keystore.wrap(keys, _passphrase(from_stdin, twice=True))
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never over another file
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"Key written to {file}, locked with your passphrase. Keep it apart from the backups.")
    return 0


def _import(file: Path, from_stdin: bool, data_dir: Path | None) -> int:
    from posapp.store import keystore

    brought = keystore.unwrap(file.read_text(encoding="utf-8"), _passphrase(from_stdin, twice=False))
    keystore.save_keys(keystore.merged(keystore.load_keys(), brought))
    print("Key imported into this machine's keyring.")
    if data_dir is not None:
        from posapp.store.db import DB_FILENAME, open_database

        if not (data_dir / DB_FILENAME).exists():
            print(f"{PROG}: no order database in {data_dir} to check", file=sys.stderr)
            return 2

        open_database(data_dir).close()
        print(f"The database in {data_dir} opens with it.")
    return 0
