"""Two questions build.spec asks of ELF shared libraries, answered from the file itself (no binutils needed):
which libraries one links to directly (``DT_NEEDED``), and the bytes of one exported symbol."""

from __future__ import annotations

import struct
from pathlib import Path

SHT_DYNAMIC = 6
SHT_DYNSYM = 11
DT_NEEDED = 1


class ElfError(ValueError):
    """Not a 64-bit little-endian ELF file, or not what was asked of it."""


def _sections(data: bytes) -> list[tuple[int, ...]]:
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ElfError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    # (name, type, flags, addr, offset, size, link, info, align, entsize)
    return [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]


def _string(data: bytes, table: tuple[int, ...], at: int) -> str:
    start = table[4] + at
    return data[start : data.index(b"\0", start)].decode("utf-8", "replace")


def needed(path: Path | str) -> set[str]:
    """The sonames ``path`` links to directly (its DT_NEEDED entries); empty for a file that is not ELF64."""
    data = Path(path).read_bytes()
    try:
        sections = _sections(data)
    except ElfError:
        return set()
    names = set()
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != SHT_DYNAMIC:
            continue
        for at in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == DT_NEEDED:
                names.add(_string(data, sections[link], value))
    return names


def symbol_bytes(data: bytes, name: str) -> bytes:
    """The bytes of the exported (dynamic) symbol ``name``."""
    sections = _sections(data)
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != SHT_DYNSYM:
            continue
        for at in range(offset, offset + size, entsize):
            st_name, _st_info, _other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, at)
            if _string(data, sections[link], st_name) != name:
                continue
            home = sections[st_shndx]
            begin = home[4] + (st_value - home[3])
            return data[begin : begin + st_size]
    raise ElfError(f"no symbol {name}")
