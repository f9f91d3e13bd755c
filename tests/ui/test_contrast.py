"""Text reads at WCAG AA (4.5:1) on every background the theme paints it on, in both palettes."""

from __future__ import annotations

import pytest

from posapp.ui.theme import (
    ACTION_COLOURS,
    BANNER_COLOURS,
    BANNER_DIM,
    DARK,
    GO,
    GREY,
    LIGHT,
    PLATFORMS,
    SCHEDULED,
    STOP,
    STRIP_COLOURS,
    TOOL,
    Palette,
    contrast,
    text_on,
)

AA = 4.5


def palette_pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """(text colour, background) for each kind of text the style sheet and the cards draw."""
    return {
        "text on window": (p.text, p.window),
        "text on card (fields, tables, combo boxes, spin boxes)": (p.text, p.card),
        "muted on card (modifiers, meta line, captions)": (p.muted, p.card),
        "muted on window (counts, status)": (p.muted, p.window),
        "note": (p.note_text, p.note_bg),
        "button": (p.button_text, p.button),
        "checked chip": (p.window, p.text),
        "healthy platform chip": (p.ok, p.card),
        "platform down chip": (p.late, p.card),
    }


@pytest.mark.parametrize("palette", [DARK, LIGHT], ids=["dark", "light"])
def test_palette_text_reads_on_its_backgrounds(palette: Palette) -> None:
    low = {
        name: round(contrast(fg, bg), 2)
        for name, (fg, bg) in palette_pairs(palette).items()
        if contrast(fg, bg) < AA
    }
    assert low == {}


@pytest.mark.parametrize("palette", [DARK, LIGHT], ids=["dark", "light"])
def test_every_coloured_fill_has_readable_text(palette: Palette) -> None:
    fills = {
        **{f"action {k}": v for k, v in ACTION_COLOURS.items()},
        **{f"platform {k}": v for k, (v, _label) in PLATFORMS.items()},
        **{f"banner {k}": v for k, v in BANNER_COLOURS.items()},
        "banner dim": BANNER_DIM,
        "go": GO,
        "stop": STOP,
        "tool": TOOL,
        "grey": GREY,
        "scheduled timer": SCHEDULED,
        "timer ok": palette.ok,
        "timer warn": palette.warn,
        "timer late": palette.late,
    }
    low = {name: round(contrast(text_on(fill), fill), 2) for name, fill in fills.items()}
    assert {name: ratio for name, ratio in low.items() if ratio < AA} == {}


def test_status_strip_colours_read_on_black() -> None:
    assert {
        k: round(contrast(v, "#000000"), 2) for k, v in STRIP_COLOURS.items() if contrast(v, "#000000") < AA
    } == {}


def test_text_on_picks_the_higher_contrast() -> None:
    assert text_on("#FFC300").name() == "#000000"  # Meituan yellow
    assert text_on("#34495E").name() == "#ffffff"
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
