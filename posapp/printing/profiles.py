"""Capability profiles: what a printer model can do (paper, encoding, Chinese mode, cutter, QR, images)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from posapp.errors import ConfigError

# Double-byte encodings printed in the printer's Chinese mode (FS & ... FS .).
CHINESE_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312", "big5"})
# Single-byte code pages and their ESC t numbers (Epson numbering, shared by most clones).
CODE_PAGES = {
    "cp437": 0,
    "cp850": 2,
    "cp860": 3,
    "cp863": 4,
    "cp865": 5,
    "cp1252": 16,
    "cp866": 17,
    "cp858": 19,
}


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """A model's capabilities; printer settings may override ``width`` and ``encoding``."""

    name: str
    width_mm: int = 80
    encoding: str = "gb18030"
    cutter: bool = True
    native_qr: bool = True
    image_fallback: bool = False  # print lines the font lacks as a raster image (bundled CJK font)
    status_query: bool = True  # answers DLE EOT: lets us confirm it is online and has paper
    feed_before_cut: int = 4

    def __post_init__(self) -> None:
        if self.encoding not in CHINESE_ENCODINGS and self.encoding not in CODE_PAGES:
            known = ", ".join(sorted(CHINESE_ENCODINGS | CODE_PAGES.keys()))
            raise ConfigError(f"printer encoding {self.encoding!r} is not supported (use one of {known})")
        if self.width_mm not in (58, 80):
            raise ConfigError(f"paper width {self.width_mm} mm is not supported (use 58 or 80)")

    @property
    def chinese_mode(self) -> bool:
        return self.encoding in CHINESE_ENCODINGS

    def with_overrides(self, *, width_mm: int | None = None, encoding: str | None = None) -> PrinterProfile:
        changes: dict[str, object] = {}
        if width_mm is not None:
            changes["width_mm"] = width_mm
        if encoding is not None:
            changes["encoding"] = encoding.lower()
        return dataclasses.replace(self, **changes) if changes else self  # type: ignore[arg-type]


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        # The common Chinese 80 mm kitchen printer (Xprinter XP-80, Gprinter, Rongta): GB18030 font, cutter.
        PrinterProfile("generic-80"),
        # The common 58 mm counter printer (Xprinter XP-58, POS-5890): GB18030 font, tear bar, no QR.
        PrinterProfile("generic-58", width_mm=58, cutter=False, native_qr=False),
        # Epson TM-T88 / TM-T20 international firmware: no Chinese font, so CJK lines go out as images.
        PrinterProfile("epson-tm-t88", encoding="cp437", image_fallback=True),
        PrinterProfile("epson-tm-t20", encoding="cp437", image_fallback=True),
        # Epson TM-T88 Simplified Chinese model (TM-T88V-C): Chinese mode in firmware.
        PrinterProfile("epson-tm-t88-cn", encoding="gb18030"),
        # Star TSP100/TSP650 in ESC/POS emulation, Latin font.
        PrinterProfile("star-tsp", encoding="cp1252", image_fallback=True, status_query=False),
        # Anything else that prints Latin only: placeholders for what it cannot print.
        PrinterProfile("latin-80", encoding="cp437"),
        PrinterProfile("latin-58", width_mm=58, encoding="cp437", cutter=False, native_qr=False),
        # A Chinese printer without a dependable font for rare glyphs: everything odd becomes an image.
        PrinterProfile("generic-80-image", image_fallback=True),
    )
}


def get_profile(
    name: str | None, *, width_mm: int | None = None, encoding: str | None = None
) -> PrinterProfile:
    """The named profile (``escpos:<model>`` reads python-escpos's capability database) with overrides."""
    if not name:
        name = "generic-58" if width_mm == 58 else "generic-80"
    if name.startswith("escpos:"):
        base = _from_escpos(name.removeprefix("escpos:"), encoding or "cp437")
    else:
        try:
            base = PROFILES[name]
        except KeyError:
            known = ", ".join(sorted(PROFILES))
            raise ConfigError(
                f"unknown printer profile {name!r} (known: {known}, or escpos:<model>)"
            ) from None
    return base.with_overrides(width_mm=width_mm, encoding=encoding)


def _from_escpos(model: str, encoding: str) -> PrinterProfile:
    """A profile from python-escpos's capabilities.json (paper width, cutter, native QR)."""
    from escpos.capabilities import get_profile as escpos_profile  # loads capabilities.json once

    try:
        prof = escpos_profile(model)
    except KeyError as exc:
        raise ConfigError(f"python-escpos has no printer profile {model!r}") from exc
    features = prof.profile_data.get("features", {})
    pixels = prof.profile_data.get("media", {}).get("width", {}).get("pixels")
    width = 58 if isinstance(pixels, int) and pixels <= 432 else 80
    return PrinterProfile(
        f"escpos:{model}",
        width_mm=width,
        encoding=encoding,
        cutter=bool(features.get("paperFullCut") or features.get("paperPartCut")),
        native_qr=bool(features.get("qrCode")),
        image_fallback=bool(features.get("bitImageRaster")),
    )
