"""Start-up cost: importing the engine and opening an up-to-date database, each beside a floor.

Run: python benchmarks/bench_startup.py [--runs 10] [--checkout PATH]
Every figure is a whole fresh interpreter (``python -c ...``), timed from outside, the commands taken in
turn so drift of the machine's speed touches them alike; medians with min and max. The floor is
``import sqlalchemy``: what any start that touches the store pays. ``--checkout`` times another copy of
posapp (say, an older commit's tree) with the same interpreter, beside this one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: benchmarks/_data_key.py)

ROOT = Path(__file__).resolve().parents[1]


def commands(data_dir: Path) -> dict[str, str]:
    return {
        "floor: import sqlalchemy": "import sqlalchemy",
        "import posapp.engine.engine": "import posapp.engine.engine",
        "open an up-to-date database": (
            f"from posapp.store.db import open_database; open_database({str(data_dir)!r}).close()"
        ),
    }


def once(code: str, cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t0


def prepare(cwd: Path, data_dir: Path) -> None:
    """Create and migrate the database first: the timed opens find it at the head."""
    code = f"from posapp.store.db import open_database; open_database({str(data_dir)!r}).close()"
    subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--checkout", type=Path, help="another posapp tree to time beside this one")
    args = parser.parse_args()
    trees = {"this tree": ROOT} | ({"checkout": args.checkout.resolve()} if args.checkout else {})
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, str, Path]] = []
        for tree, cwd in trees.items():
            data_dir = Path(tmp) / tree.replace(" ", "-")
            prepare(cwd, data_dir)
            cases += [(f"{tree}: {label}", code, cwd) for label, code in commands(data_dir).items()]
        times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
        for _label, code, cwd in cases:  # warm the file cache; not counted
            once(code, cwd)
        for _ in range(args.runs):
            for label, code, cwd in cases:
                times[label].append(once(code, cwd))
    for label, values in times.items():
        ms = sorted(v * 1000 for v in values)
        print(f"{label:<48} median {statistics.median(ms):7.1f} ms   min {ms[0]:7.1f}   max {ms[-1]:7.1f}")


if __name__ == "__main__":
    main()
