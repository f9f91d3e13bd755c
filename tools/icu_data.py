"""A smaller ICU data library for the installer bundle (build.spec), built from the one the PySide6 wheel ships.

Qt Core links ICU, and ICU's data library (``libicudata.so.73``: every locale's names, calendars, units,
currencies and collation, every legacy character set, the word-break dictionaries of Thai, Khmer, Lao, Burmese,
Chinese and Japanese) is 31 MB of the bundle. Qt uses ICU for locale-aware collation (``QCollator``), case
mapping, time-zone display names and the character sets it has no converter of its own for; its text layout and
line breaking use Qt's own Unicode tables, never ICU's break iterators. posapp speaks English and Chinese, so the
bundle keeps ICU's root data and the English, Chinese and Cantonese locales in every tree, the collation root
table, the normalisation and property files, and the CJK character sets (GB18030, GBK, Big5, Big5-HKSCS,
Shift-JIS, EUC-JP, EUC-KR) beside the single-byte ones, and drops the rest: about 6.5 MB instead of 31.

How: the data is one ICU "common data" package, exported by the library as the symbol ``icudt<N>_dat``. It is
read out of the ELF file, the unwanted items are removed with ICU's own ``icupkg`` (which refuses to drop an
item another kept item depends on: such an item is dropped too, unless it is one asked for, whose dependency is
kept instead), and ``genccode`` turns the smaller package back into a symbol that ``gcc`` links into a library
of the same soname. Tools: ``icupkg`` and ``genccode`` (Debian: icu-devtools) and ``gcc``. Where one is missing
the build keeps the wheel's full library and says so.

    python tools/icu_data.py LIBRARY OUT_DIR     # prints the path of the smaller library
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from elf import ElfError, symbol_bytes  # noqa: E402

KEEP_LOCALES = ("root", "en", "zh", "yue")  # with their regional variants (en_GB, zh_Hant_HK, ...)
# Character sets a Chinese, Japanese or Korean restaurant may meet, and what their tables extend.
KEEP_CONVERTERS = frozenset(
    {
        "gb18030",
        "windows-936-2000",
        "ibm-1386_P100-2001",  # GBK
        "windows-950-2000",
        "ibm-1373_P100-2002",  # Big5
        "ibm-5471_P100-2006",
        "ibm-1375_P100-2008",  # Big5-HKSCS (2004, 2008)
        "ibm-943_P15A-2003",  # Shift-JIS
        "ibm-33722_P12A_P12A-2009_U2",  # EUC-JP
        "ibm-970_P110_P110-2006_U2",  # EUC-KR
        "windows-949-2000",
        "ibm-1363_P11B-1998",
    }
)
SMALL_CONVERTER = 30_000  # bytes: single-byte character sets (ISO-8859-x, windows-125x, KOI8-R) stay
DROPPED_TREES = ("translit/", "brkitr/")  # transliteration and break iteration: Qt calls neither
NOT_LOCALES = ("res_index", "pool")  # each tree's index and string pool
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
REQUIRED_TOOLS = ("icupkg", "genccode", "gcc")


class IcuTrimError(RuntimeError):
    """The smaller library could not be made; the message says why (the bundle keeps the full one)."""


def package_items(package: bytes) -> dict[str, int]:
    """Item name (without the package prefix) -> size in bytes, from an ICU common-data package's table."""
    (header_size,) = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27":
        raise IcuTrimError("the ICU data is not a common-data package")
    toc = header_size
    (count,) = struct.unpack_from("<I", package, toc)
    entries = [struct.unpack_from("<II", package, toc + 4 + 8 * i) for i in range(count)]
    # Items lie one after another: each ends where the next begins, the last at the package's end.
    offsets = sorted(offset for _name, offset in entries) + [len(package) - toc]
    size_at = {start: end - start for start, end in zip(offsets, offsets[1:], strict=False)}
    sizes: dict[str, int] = {}
    for name_offset, data_offset in entries:
        start = toc + name_offset
        full = package[start : package.index(b"\0", start)].decode("ascii")
        sizes[full.split("/", 1)[1]] = size_at[data_offset]
    return sizes


def unwanted(items: dict[str, int]) -> set[str]:
    """The items posapp's bundle leaves out (see the module's docstring)."""
    keep_locale = re.compile(rf"^({'|'.join(KEEP_LOCALES)})(_.*)?$")

    def left_out(item: str, size: int) -> bool:
        name, _, ext = item.rsplit("/", 1)[-1].rpartition(".")
        if item.startswith(DROPPED_TREES):
            return True
        if ext == "res" and name not in NOT_LOCALES and _LOCALE.match(name):
            return not keep_locale.match(name)  # another language's data
        if ext == "cnv":
            return name not in KEEP_CONVERTERS and size > SMALL_CONVERTER
        return False

    return {item for item, size in items.items() if left_out(item, size)}


def trim(library: Path, out_dir: Path) -> Path:
    """The smaller ``libicudata.so.<N>`` in ``out_dir`` (raises ``IcuTrimError`` with the reason)."""
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        raise IcuTrimError(f"{', '.join(missing)} not installed (Debian: icu-devtools, gcc)")
    found = re.fullmatch(r"libicudata\.so\.(\d+)", library.name)
    if found is None:
        raise IcuTrimError(f"{library.name} is not an ICU data library")
    version = found.group(1)
    try:
        package = symbol_bytes(library.read_bytes(), f"icudt{version}_dat")
    except ElfError as exc:
        raise IcuTrimError(f"{library.name}: {exc}") from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"icudt{version}l"  # the package's own name: ICU looks its items up under it
    full, small = out_dir / "full" / f"{name}.dat", out_dir / f"{name}.dat"
    full.parent.mkdir(exist_ok=True)
    full.write_bytes(package)
    asked = {f"{c}.cnv" for c in KEEP_CONVERTERS}
    drop = unwanted(package_items(package))
    for _ in range(50):  # icupkg names one missing dependency per line; a few rounds settle it
        listing = out_dir / "drop.txt"
        listing.write_text("".join(f"{item}\n" for item in sorted(drop)), encoding="ascii")
        small.unlink(missing_ok=True)
        done = subprocess.run(
            ["icupkg", "-r", str(listing), str(full), str(small)], capture_output=True, text=True, check=False
        )
        needs = re.findall(r"Item (\S+) depends on missing item (\S+)", done.stdout + done.stderr)
        if not needs:
            break
        for item, dependency in needs:
            if item in asked:
                drop.discard(dependency)
            else:
                drop.add(item)
    if done.returncode != 0 or not small.exists():
        raise IcuTrimError(f"icupkg failed: {(done.stderr or done.stdout).strip()[-300:]}")
    subprocess.run(
        ["genccode", "-q", "-a", "gcc", "-e", f"icudt{version}", "-d", str(out_dir), str(small)],
        check=True,
        capture_output=True,
    )
    built = out_dir / library.name
    subprocess.run(
        [
            "gcc",
            "-shared",
            "-nostdlib",
            f"-Wl,-soname,{library.name}",
            "-o",
            str(built),
            str(out_dir / f"{name}_dat.S"),
        ],
        check=True,
        capture_output=True,
    )
    return built


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(trim(Path(sys.argv[1]), Path(sys.argv[2])))
