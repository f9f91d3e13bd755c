"""Preview: the same laid-out document drawn as a PIL image with the bundled CJK font, dot for dot.

The renderer also uses :func:`draw_line` to print a line as an image when the printer font lacks a glyph
and the profile allows image fallback.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from posapp.printing.document import QR, Align, Cut, Document, Feed, Line, Paper, WidthFn, char_width, lay_out
from posapp.printing.profiles import PrinterProfile
from posapp.resources import CJK_FONT, resource

GLYPH_H = 24  # font A: 12 x 24 dots
LINE_GAP = 6  # the printer's default line spacing (30 dots) minus the glyph


@lru_cache(maxsize=4)
def _font(px: int) -> Any:
    return ImageFont.truetype(str(resource(*CJK_FONT)), px, index=0)


def _emoji_free(ch: str) -> str:
    # The bundled font has no emoji; draw the placeholder box instead of a tofu of unknown shape.
    return "□" if ord(ch) > 0xFFFF or 0x2600 <= ord(ch) <= 0x27BF else ch


def draw_line(
    line: Line, paper: Paper, width_of: WidthFn = char_width, *, for_printer: bool = False
) -> Image.Image:
    """One printed line as a 1-bit image ``paper.dots`` wide, magnified and aligned like the printer does."""
    style = line.style
    cell = paper.cell
    cols = sum(width_of(ch) for ch in line.text)
    base = Image.new("L", (max(1, cols * cell), GLYPH_H), 0 if style.invert else 255)
    draw = ImageDraw.Draw(base)
    font = _font(GLYPH_H - 2)
    ink = 255 if style.invert else 0
    x = 0
    for ch in line.text:
        w = width_of(ch)
        if w and not ch.isspace():
            glyph = _emoji_free(ch)
            draw.text((x * cell + (w * cell) / 2, GLYPH_H / 2), glyph, font=font, fill=ink, anchor="mm")
            if style.bold:
                draw.text(
                    (x * cell + (w * cell) / 2 + 1, GLYPH_H / 2), glyph, font=font, fill=ink, anchor="mm"
                )
        x += w
    if style.width != 1 or style.height != 1:
        base = base.resize((base.width * style.width, base.height * style.height), Image.Resampling.NEAREST)
    height = base.height + (0 if for_printer else LINE_GAP * style.height)
    canvas = Image.new("L", (paper.dots, height), 255)
    room = paper.dots - base.width
    left = {Align.LEFT: 0, Align.CENTER: room // 2, Align.RIGHT: room}[style.align]
    canvas.paste(base, (max(0, left), 0))
    return canvas.convert("1") if for_printer else canvas


def render_preview(doc: Document, profile: PrinterProfile, *, width_of: WidthFn | None = None) -> Image.Image:
    """The whole ticket as a greyscale image, paper-white, the width of the printer's paper in dots."""
    from posapp.printing.escpos import GlyphPolicy, qr_image

    paper = Paper.for_width(profile.width_mm)
    policy = GlyphPolicy(profile)
    measure = width_of or policy.width
    parts: list[Image.Image] = []
    for item in lay_out(doc, paper, measure):
        if isinstance(item, Line):
            shown = Line("".join(policy.shown(ch) for ch in item.text), item.style)
            parts.append(draw_line(shown, paper, measure))
        elif isinstance(item, QR):
            code: Image.Image = qr_image(item.data, item.size).convert("L")  # type: ignore[attr-defined]
            canvas = Image.new("L", (paper.dots, code.height + LINE_GAP), 255)
            canvas.paste(code, ((paper.dots - code.width) // 2, 0))
            parts.append(canvas)
        elif isinstance(item, Feed):
            parts.append(Image.new("L", (paper.dots, (GLYPH_H + LINE_GAP) * item.lines), 255))
        elif isinstance(item, Cut):
            parts.append(_cut_mark(paper, partial=item.partial))
    margin = 16
    total = sum(p.height for p in parts) + 2 * margin
    sheet = Image.new("L", (paper.dots + 2 * margin, total), 255)
    y = margin
    for part in parts:
        sheet.paste(part, (margin, y))
        y += part.height
    return sheet


def _cut_mark(paper: Paper, *, partial: bool) -> Image.Image:
    img = Image.new("L", (paper.dots, 40), 255)
    draw = ImageDraw.Draw(img)
    for x in range(0, paper.dots, 16):
        draw.line((x, 30, x + 8, 30), fill=0 if not partial else 128, width=2)
    return img
