"""An ESC/POS decoder for tests: bytes back into lines of text with their styles, Chinese mode included.

Understands ESC @, ESC !, GS !, ESC E, GS B, ESC a, ESC d, ESC t, ESC p (drawer pulse), FS &, FS ., GS V, GS ( k (QR),
GS v 0 (raster), DLE EOT and LF. Text inside ``FS & ... FS .`` is decoded as GB18030 (or ``chinese``);
a byte >= 0x80 outside Chinese mode is decoded through the selected code page and also recorded in
``stray_high_bytes`` — a GB printer would print it as garbage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CODE_PAGES = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    16: "cp1252",
    17: "cp866",
    19: "cp858",
}


@dataclass
class Span:
    text: str
    width: int
    height: int
    bold: bool
    invert: bool
    chinese: bool


@dataclass
class DecodedLine:
    spans: list[Span] = field(default_factory=list)
    align: str = "left"
    image: tuple[int, int] | None = None  # (width dots, height dots) of a raster line

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    def _first(self) -> Span | None:
        return next((s for s in self.spans if s.text.strip()), self.spans[0] if self.spans else None)

    @property
    def size(self) -> tuple[int, int]:
        s = self._first()
        return (s.width, s.height) if s else (1, 1)

    @property
    def bold(self) -> bool:
        s = self._first()
        return bool(s and s.bold)

    @property
    def invert(self) -> bool:
        s = self._first()
        return bool(s and s.invert)

    @property
    def columns(self) -> int:
        """Printed width in normal-font columns: double-byte characters count two, magnified by width."""
        return sum((2 if s.chinese else 1) * len(s.text) * s.width for s in self.spans)


@dataclass
class Decoded:
    lines: list[DecodedLine] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)  # "full" / "partial"
    qr_codes: list[str] = field(default_factory=list)
    images: list[tuple[int, int]] = field(default_factory=list)
    chinese_runs: list[str] = field(default_factory=list)
    stray_high_bytes: list[int] = field(default_factory=list)
    status_queries: int = 0
    inits: int = 0
    pulses: list[tuple[int, int, int]] = field(default_factory=list)  # ESC p: (pin 2/5, on ms, off ms)
    events: list[str] = field(default_factory=list)  # line / cut / qr / image, in order

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    def find(self, needle: str) -> DecodedLine:
        for line in self.lines:
            if needle in line.text:
                return line
        raise AssertionError(f"{needle!r} not on the ticket:\n" + "\n".join(self.texts))

    @property
    def plain(self) -> str:
        return "\n".join(t.rstrip() for t in self.texts)


class DecodeError(AssertionError):
    pass


def decode(data: bytes, *, chinese: str = "gb18030") -> Decoded:
    out = Decoded()
    width = height = 1
    bold = invert = False
    align = "left"
    in_chinese = False
    codepage = "cp437"
    line = DecodedLine(align=align)
    i = 0
    n = len(data)

    def need(k: int) -> None:
        if i + k > n:
            raise DecodeError(f"truncated command at byte {i}")

    def add_text(text: str, is_chinese: bool) -> None:
        nonlocal line
        if not line.spans:
            line.align = align
        last = line.spans[-1] if line.spans else None
        if last is not None and (last.width, last.height, last.bold, last.invert, last.chinese) == (
            width,
            height,
            bold,
            invert,
            is_chinese,
        ):
            last.text += text
        else:
            line.spans.append(Span(text, width, height, bold, invert, is_chinese))

    def end_line() -> None:
        nonlocal line
        if not line.spans and line.image is None:
            line.align = align
        out.lines.append(line)
        out.events.append("line")
        line = DecodedLine(align=align)

    while i < n:
        b = data[i]
        if b == 0x1B:  # ESC
            need(2)
            cmd = data[i + 1]
            if cmd == ord("@"):
                width = height = 1
                bold = invert = False
                align = "left"
                out.inits += 1
                i += 2
            elif cmd == ord("!"):
                need(3)
                mode = data[i + 2]
                bold = bool(mode & 0x08)
                height = 2 if mode & 0x10 else 1
                width = 2 if mode & 0x20 else 1
                i += 3
            elif cmd == ord("E"):
                need(3)
                bold = bool(data[i + 2] & 1)
                i += 3
            elif cmd == ord("a"):
                need(3)
                align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}[
                    data[i + 2]
                ]
                i += 3
            elif cmd == ord("d"):
                need(3)
                if line.spans:
                    end_line()
                for _ in range(data[i + 2]):
                    end_line()
                i += 3
            elif cmd == ord("t"):
                need(3)
                codepage = CODE_PAGES.get(data[i + 2], "cp437")
                i += 3
            elif cmd == ord("p"):  # generate pulse: the cash drawer's kick, m t1 t2 (times in 2 ms units)
                need(5)
                m = data[i + 2]
                if m not in (0, 1, 48, 49):
                    raise DecodeError(f"ESC p with connector {m} at byte {i}")
                out.pulses.append((2 if m in (0, 48) else 5, data[i + 3] * 2, data[i + 4] * 2))
                out.events.append("pulse")
                i += 5
            else:
                raise DecodeError(f"unknown ESC {cmd:#x} at byte {i}")
        elif b == 0x1D:  # GS
            need(2)
            cmd = data[i + 1]
            if cmd == ord("!"):
                need(3)
                size = data[i + 2]
                width, height = (size >> 4) + 1, (size & 0x0F) + 1
                i += 3
            elif cmd == ord("B"):
                need(3)
                invert = bool(data[i + 2] & 1)
                i += 3
            elif cmd == ord("V"):
                need(3)
                m = data[i + 2]
                if m in (65, 66):
                    need(4)
                    out.cuts.append("full" if m == 65 else "partial")
                    i += 4
                else:
                    out.cuts.append("full" if m in (0, 48) else "partial")
                    i += 3
                out.events.append("cut")
            elif cmd == ord("(") and i + 2 < n and data[i + 2] == ord("k"):
                need(5)
                plen = data[i + 3] | (data[i + 4] << 8)
                need(5 + plen)
                body = data[i + 5 : i + 5 + plen]
                cn, fn = body[0], body[1]
                if cn == 49 and fn == 80:  # store QR data: cn fn m data
                    out.qr_codes.append(body[3:].decode("utf-8"))
                elif cn == 49 and fn == 81:
                    out.events.append("qr")
                i += 5 + plen
            elif cmd == ord("v") and i + 2 < n and data[i + 2] == ord("0"):
                need(8)
                xbytes = data[i + 4] | (data[i + 5] << 8)
                rows = data[i + 6] | (data[i + 7] << 8)
                need(8 + xbytes * rows)
                out.images.append((xbytes * 8, rows))
                out.events.append("image")
                if line.spans:
                    end_line()
                line.image = (xbytes * 8, rows)
                line.align = align
                out.lines.append(line)
                line = DecodedLine(align=align)
                i += 8 + xbytes * rows
            else:
                raise DecodeError(f"unknown GS {cmd:#x} at byte {i}")
        elif b == 0x1C:  # FS
            need(2)
            cmd = data[i + 1]
            if cmd == ord("&"):
                in_chinese = True
                i += 2
                start = i
                while i < n and data[i] >= 0x80:
                    if chinese == "gb18030" and i + 1 < n and 0x30 <= data[i + 1] <= 0x39:
                        i += 4  # a 4-byte GB18030 sequence
                    else:
                        i += 2
                if i > n:
                    raise DecodeError("Chinese run cut in half")
                run = data[start:i].decode(chinese)
                out.chinese_runs.append(run)
                add_text(run, True)
                if data[i : i + 2] == b"\x1c.":
                    in_chinese = False
                    i += 2
                else:
                    raise DecodeError(f"Chinese run {run!r} not closed by FS . at byte {i}")
            elif cmd == ord("."):
                in_chinese = False
                i += 2
            else:
                raise DecodeError(f"unknown FS {cmd:#x} at byte {i}")
        elif b == 0x10:  # DLE EOT n: real-time status request
            need(3)
            if data[i + 1] != 0x04:
                raise DecodeError(f"unknown DLE {data[i + 1]:#x}")
            out.status_queries += 1
            i += 3
        elif b == 0x0A:
            end_line()
            i += 1
        elif b == 0x0D:
            i += 1
        elif b < 0x20:
            raise DecodeError(f"unexpected control byte {b:#x} at {i}")
        else:
            j = i
            while j < n and data[j] >= 0x20 and data[j] not in (0x7F,):
                j += 1
            chunk = data[i:j]
            high = [c for c in chunk if c >= 0x80]
            if high:
                out.stray_high_bytes.extend(high)
            add_text(chunk.decode(codepage), False)
            i = j
    if line.spans:
        out.lines.append(line)
    if in_chinese:
        raise DecodeError("the ticket ends in Chinese mode")
    return out
