"""A printed ticket as data: styled text blocks, rows, rules, QR codes, feeds and a cut — no bytes yet.

Layouts build a :class:`Document`; :func:`lay_out` turns it into physical lines for a paper width, with CJK
characters counted double width. The ESC/POS renderer and the preview both draw those same lines.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Style:
    """How a block prints: character magnification (1-8 each way), bold, inverted (white on black), alignment."""

    width: int = 1
    height: int = 1
    bold: bool = False
    invert: bool = False
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 8 and 1 <= self.height <= 8):
            raise ValueError(f"character size {self.width}x{self.height} is outside 1..8")


NORMAL = Style()
BOLD = Style(bold=True)
LARGE = Style(width=2, height=2, bold=True)
HUGE = Style(width=4, height=4, bold=True, align=Align.CENTER)
TALL = Style(height=2, bold=True)


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph wrapped to the paper: every line indented by ``indent`` columns, continuation lines by
    ``hang`` more (so "2 x " stays alone on the left of a long dish name). Columns are in the style's size."""

    text: str
    style: Style = NORMAL
    indent: int = 0
    hang: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """``left`` flush left and ``right`` flush right on one line (item and price); ``left`` wraps."""

    left: str
    right: str
    style: Style = NORMAL
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Rule:
    """A full-width separator line."""

    char: str = "-"


@dataclass(frozen=True, slots=True)
class QR:
    data: str
    size: int = 6  # module size in dots, 1-16


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    partial: bool = False


Block = Text | Row | Rule | QR | Feed | Cut


@dataclass(frozen=True, slots=True)
class Document:
    """One ticket: what it is (``kind``, for logs and tests) and its blocks in print order."""

    kind: str
    blocks: tuple[Block, ...]
    title: str = ""


# -- physical lines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of text: its characters already wrapped and padded to fit ``columns / width``."""

    text: str
    style: Style


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper roll as the printer font sees it: 58 mm = 32 columns / 384 dots, 80 mm = 48 / 576."""

    columns: int
    dots: int

    @classmethod
    def for_width(cls, mm: int) -> Paper:
        if mm <= 58:
            return cls(32, 384)
        if mm <= 76:
            return cls(42, 512)
        return cls(48, 576)

    @property
    def cell(self) -> int:
        """Dots per column of the normal font (12 for font A on both rolls)."""
        return self.dots // self.columns


Laid = Line | QR | Feed | Cut
WidthFn = Callable[[str], int]


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Columns one character takes: East Asian wide and fullwidth characters take two, marks none."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str, width_of: WidthFn = char_width) -> int:
    if text.isascii():
        return len(text)
    return sum(width_of(ch) for ch in text)


def wrap(text: str, columns: int, width_of: WidthFn = char_width) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` cells: at spaces for Latin words, anywhere in CJK."""
    columns = max(1, columns)
    lines: list[str] = []
    for para in text.split("\n"):
        if text_width(para, width_of) <= columns:
            lines.append(para)
            continue
        current = ""
        used = 0
        for token in _tokens(para):
            tw = text_width(token, width_of)
            if used + tw <= columns:
                current += token
                used += tw
                continue
            if token.isspace():
                lines.append(current.rstrip())
                current, used = "", 0
                continue
            if current.strip():
                lines.append(current.rstrip())
            current, used = "", 0
            # A token longer than a line (a long CJK run or word) breaks at the character.
            for ch in token:
                cw = width_of(ch)
                if used + cw > columns:
                    lines.append(current)
                    current, used = "", 0
                current += ch
                used += cw
        lines.append(current.rstrip())
    return lines


def _tokens(text: str) -> Iterator[str]:
    """Latin words and spaces stay whole; each CJK character is a token of its own."""
    word = ""
    for ch in text:
        if ch == " " or char_width(ch) == 2:
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def pad(text: str, columns: int, align: Align, width_of: WidthFn = char_width) -> str:
    """``text`` placed in ``columns`` cells by alignment, with spaces (what inverted lines need)."""
    gap = max(0, columns - text_width(text, width_of))
    if align is Align.RIGHT:
        return " " * gap + text
    if align is Align.CENTER:
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def lay_out(doc: Document, paper: Paper, width_of: WidthFn = char_width) -> list[Laid]:
    """The document as physical lines for ``paper``; ``width_of`` is the printer's idea of a glyph's width."""
    out: list[Laid] = []
    for block in doc.blocks:
        if isinstance(block, Text):
            _lay_text(out, block, paper, width_of)
        elif isinstance(block, Row):
            _lay_row(out, block, paper, width_of)
        elif isinstance(block, Rule):
            out.append(Line(block.char * paper.columns, NORMAL))
        else:
            out.append(block)
    return out


def _lay_text(out: list[Laid], block: Text, paper: Paper, width_of: WidthFn) -> None:
    style = block.style
    cols = paper.columns // style.width
    indent = min(block.indent, cols // 2)
    hang = min(block.hang, max(0, cols // 2 - indent))
    for i, piece in enumerate(wrap(block.text, cols - indent - hang, width_of)):
        text = " " * (indent + (hang if i else 0)) + piece
        if style.invert:
            # Pad an inverted line so the black bar is the same on every line of the paragraph.
            text = pad(text, cols, style.align, width_of)
        out.append(Line(text, style))


def _lay_row(out: list[Laid], block: Row, paper: Paper, width_of: WidthFn) -> None:
    style = block.style
    cols = paper.columns // style.width
    right_w = text_width(block.right, width_of)
    indent = min(block.indent, cols // 2)
    room = max(1, cols - indent - right_w - 1)
    pieces = wrap(block.left, room, width_of)
    for i, piece in enumerate(pieces):
        text = " " * indent + piece
        if i == len(pieces) - 1:
            gap = max(1, cols - text_width(text, width_of) - right_w)
            text = text + " " * gap + block.right
        out.append(Line(text, Style(style.width, style.height, style.bold, style.invert, Align.LEFT)))


@dataclass
class DocumentBuilder:
    """A small helper so layouts read top to bottom."""

    kind: str
    title: str = ""
    blocks: list[Block] = field(default_factory=list)

    def text(self, text: str, style: Style = NORMAL, indent: int = 0, hang: int = 0) -> DocumentBuilder:
        self.blocks.append(Text(text, style, indent, hang))
        return self

    def row(self, left: str, right: str, style: Style = NORMAL, indent: int = 0) -> DocumentBuilder:
        self.blocks.append(Row(left, right, style, indent))
        return self

    def rule(self, char: str = "-") -> DocumentBuilder:
        self.blocks.append(Rule(char))
        return self

    def qr(self, data: str, size: int = 6) -> DocumentBuilder:
        self.blocks.append(QR(data, size))
        return self

    def feed(self, lines: int = 1) -> DocumentBuilder:
        self.blocks.append(Feed(lines))
        return self

    def cut(self, partial: bool = False) -> DocumentBuilder:
        self.blocks.append(Cut(partial))
        return self

    def build(self) -> Document:
        return Document(self.kind, tuple(self.blocks), self.title)
