"""The one renderer: a Document becomes ESC/POS bytes for one printer profile, Chinese mode included.

python-escpos would send CJK as GB18030 without switching the printer into Chinese mode (FS &), so we own
the text encoding: ASCII goes out as is, characters of a double-byte encoding go inside ``FS & ... FS .``,
single-byte code pages are selected with ``ESC t``, and a character the printer font cannot print (emoji,
rare glyphs) becomes a visible placeholder — or, when the profile says so, its whole line is printed as an
image drawn with the bundled CJK font.
"""

from __future__ import annotations

from escpos.constants import (
    CODEPAGE_CHANGE,
    ESC,
    FS,
    GS,
    HW_INIT,
    PAPER_FULL_CUT,
    PAPER_PART_CUT,
    QR_ECLEVEL_M,
    QR_MODEL_2,
    TXT_SIZE,
)

from posapp.printing.document import (
    QR,
    Align,
    Cut,
    Document,
    Feed,
    Line,
    Paper,
    Style,
    char_width,
    lay_out,
    text_width,
)
from posapp.printing.profiles import CODE_PAGES, PrinterProfile

FS_CHINESE_ON = FS + b"&"  # FS &: enter Chinese (double-byte) character mode
FS_CHINESE_OFF = FS + b"."  # FS .: leave it
LF = b"\n"
_ALIGN = {Align.LEFT: ESC + b"a\x00", Align.CENTER: ESC + b"a\x01", Align.RIGHT: ESC + b"a\x02"}
_SUBSTITUTES = {"\t": " ", "\u00a0": " ", "\u200b": "", "\ufe0f": ""}
# Printable look-alikes Chinese fonts have (GBK has the fullwidth yen sign, not U+00A5).
_CHINESE_SUBSTITUTES = {
    **_SUBSTITUTES,
    "¥": "￥",
    "£": "￡",
    "½": "1/2",
    "™": "TM",
    "©": "(C)",
    "®": "(R)",
}
ASCII, WIDE, SINGLE, MISSING = 0, 1, 2, 3


class GlyphPolicy:
    """How one printer prints each character: which bytes, which mode, how many columns."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.chinese = profile.chinese_mode
        self.codec = profile.encoding
        self.placeholder = "□" if self.chinese else "?"
        self._cache: dict[str, tuple[int, bytes, int]] = {}

    def classify(self, ch: str) -> tuple[int, bytes, int]:
        """(kind, bytes, columns) for one character; cached, a ticket repeats the same few hundred."""
        hit = self._cache.get(ch)
        if hit is not None:
            return hit
        result = self._classify(ch)
        self._cache[ch] = result
        return result

    def _classify(self, ch: str) -> tuple[int, bytes, int]:
        sub = (_CHINESE_SUBSTITUTES if self.chinese else _SUBSTITUTES).get(ch, ch)
        if sub == "":
            return ASCII, b"", 0
        if len(sub) > 1:
            return ASCII, sub.encode("ascii"), len(sub)
        code = ord(sub)
        if 0x20 <= code < 0x7F:
            return ASCII, bytes((code,)), 1
        if code < 0x20 or code == 0x7F:
            return ASCII, b" ", 1  # control characters must never reach the printer inside text
        try:
            encoded = sub.encode(self.codec)
        except UnicodeEncodeError:
            encoded = b""
        if self.chinese and len(encoded) == 2:
            # Every double-byte character prints full width in Chinese mode, whatever Unicode says.
            return WIDE, encoded, 2
        if not self.chinese and len(encoded) == 1:
            return SINGLE, encoded, 1
        # 4-byte GB18030 sequences (emoji, rare ideographs) are beyond the printer's font.
        return MISSING, b"", 2 if self.chinese else 1

    def width(self, ch: str) -> int:
        kind, _, cols = self.classify(ch)
        if kind == MISSING and self.profile.image_fallback:
            return char_width(ch)
        return cols

    def shown(self, ch: str) -> str:
        """The glyph the paper shows for ``ch``: its printable look-alike, or the placeholder."""
        if self.classify(ch)[0] == MISSING:
            return ch if self.profile.image_fallback else self.placeholder
        sub = (_CHINESE_SUBSTITUTES if self.chinese else _SUBSTITUTES).get(ch, ch)
        return sub if len(sub) <= 1 else ch

    def printable(self, text: str) -> bool:
        return all(self.classify(ch)[0] != MISSING for ch in text)

    def encode(self, text: str) -> bytes:
        """Bytes for ``text``: double-byte runs wrapped in FS & ... FS ., missing glyphs as a placeholder."""
        if text.isascii() and text.isprintable():
            return text.encode("ascii")
        out = bytearray()
        in_run = False
        for ch in text:
            kind, data, _ = self.classify(ch)
            if kind == MISSING:
                kind, data, _ = self.classify(self.placeholder)
            if kind == WIDE:
                if not in_run:
                    out += FS_CHINESE_ON
                    in_run = True
            elif in_run:
                out += FS_CHINESE_OFF
                in_run = False
            out += data
        if in_run:
            out += FS_CHINESE_OFF
        return bytes(out)


class Renderer:
    """Renders documents for one printer; build once per printer, reuse for every ticket."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.paper = Paper.for_width(profile.width_mm)
        self.glyphs = GlyphPolicy(profile)

    def render(self, doc: Document) -> bytes:
        prof = self.profile
        out = bytearray(HW_INIT)
        if prof.chinese_mode:
            out += FS_CHINESE_OFF  # many Chinese printers power up in Chinese mode: start from a known state
        elif prof.encoding in CODE_PAGES:
            out += CODEPAGE_CHANGE + bytes((CODE_PAGES[prof.encoding],))
        state = _State()
        for item in lay_out(doc, self.paper, self.glyphs.width):
            if isinstance(item, Line):
                self._line(out, state, item)
            elif isinstance(item, QR):
                self._qr(out, state, item)
            elif isinstance(item, Feed):
                out += ESC + b"d" + bytes((min(255, max(0, item.lines)),))
            elif isinstance(item, Cut):
                out += ESC + b"d" + bytes((prof.feed_before_cut,))
                if prof.cutter:
                    out += PAPER_PART_CUT if item.partial else PAPER_FULL_CUT
        return bytes(out)

    # -- pieces ----------------------------------------------------------------------------------
    def _line(self, out: bytearray, state: _State, line: Line) -> None:
        style = line.style
        state.align(out, style.align)
        if self.profile.image_fallback and not self.glyphs.printable(line.text):
            from posapp.printing.preview import draw_line

            state.style(out, Style(align=style.align))
            image = draw_line(line, self.paper, self.glyphs.width, for_printer=True)
            out += raster(image)
            return
        state.style(out, style)
        out += self.glyphs.encode(line.text)
        out += LF

    def _qr(self, out: bytearray, state: _State, qr: QR) -> None:
        state.align(out, Align.CENTER)
        state.style(out, Style(align=Align.CENTER))
        if self.profile.native_qr:
            out += native_qr(qr.data, qr.size)
        else:
            out += raster(qr_image(qr.data, qr.size))
        out += LF


class _State:
    """What the printer is set to now, so each command is sent only when it changes."""

    def __init__(self) -> None:
        self.current = Style()
        self.current_align = Align.LEFT

    def align(self, out: bytearray, align: Align) -> None:
        if align is not self.current_align:
            out += _ALIGN[align]
            self.current_align = align

    def style(self, out: bytearray, style: Style) -> None:
        cur = self.current
        if (style.width, style.height) != (cur.width, cur.height):
            out += TXT_SIZE + bytes((((style.width - 1) << 4) | (style.height - 1),))
        if style.bold != cur.bold:
            out += ESC + b"E" + (b"\x01" if style.bold else b"\x00")
        if style.invert != cur.invert:
            out += GS + b"B" + (b"\x01" if style.invert else b"\x00")
        self.current = Style(style.width, style.height, style.bold, style.invert, cur.align)


def native_qr(data: str, size: int = 6) -> bytes:
    """GS ( k: the printer draws the QR code itself (model 2, error correction M).

    The same bytes as python-escpos's ``Escpos.qr(native=True)`` (a test holds them equal), built here
    because importing its printer classes loads the whole capability database (~0.4 s).
    """

    def function(fn: int, params: bytes) -> bytes:
        body = b"1" + bytes((fn,)) + params  # cn 49: QR code
        return GS + b"(k" + _lh(len(body)) + body

    return (
        function(65, bytes((48 + QR_MODEL_2, 0)))  # model
        + function(67, bytes((max(1, min(16, size)),)))  # module size in dots
        + function(69, bytes((48 + QR_ECLEVEL_M,)))  # error correction
        + function(80, b"0" + data.encode("utf-8"))  # store the data
        + function(81, b"0")  # print it
    )


def qr_image(data: str, size: int = 6) -> object:
    """The QR code as a PIL image, for printers without native QR and for the preview."""
    import qrcode
    import qrcode.constants

    code = qrcode.QRCode(
        box_size=max(1, min(16, size)), border=2, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().get_image().convert("1")


def raster(image: object) -> bytes:
    """GS v 0: a black-and-white image as raster bit-image bytes (python-escpos packs the bits)."""
    from escpos.image import EscposImage

    im = EscposImage(image)  # type: ignore[arg-type]
    header = GS + b"v0\x00" + _lh(im.width_bytes) + _lh(im.height)
    return header + im.to_raster_format()


def _lh(n: int) -> bytes:
    return bytes((n & 0xFF, (n >> 8) & 0xFF))


def render(doc: Document, profile: PrinterProfile) -> bytes:
    """Convenience: render ``doc`` once for ``profile``."""
    return Renderer(profile).render(doc)


def measure(text: str, profile: PrinterProfile) -> int:
    """Columns ``text`` takes on ``profile``'s printer."""
    return text_width(text, GlyphPolicy(profile).width)
