"""The cash drawer's kick: the ESC/POS pulse a receipt printer sends out of its drawer port (RJ11/RJ12).

ESC p m t1 t2 (Epson ESC/POS reference, "ESC p — Generate pulse"; python-escpos ``cashdraw`` sends the same):
m = 0 drives connector pin 2, m = 1 pin 5; the pulse is on for t1 x 2 ms and off for t2 x 2 ms. Pin 2 with
100 ms on and 500 ms off opens the common 24 V drawers; the bytes never carry text, so nothing prints.
"""

from __future__ import annotations

ESC = b"\x1b"
PINS = {2: 0, 5: 1}
ON_MS = 100
OFF_MS = 500


def drawer_pulse(pin: int = 2, on_ms: int = ON_MS, off_ms: int = OFF_MS) -> bytes:
    """The five bytes that open the drawer on ``pin`` (2 or 5); times are rounded to the 2 ms units."""
    if pin not in PINS:
        raise ValueError(f"a cash drawer hangs on connector pin 2 or 5, not {pin}")
    t1 = min(255, max(1, on_ms // 2))
    t2 = min(255, max(t1, off_ms // 2))  # the printer stretches an off time shorter than the on time anyway
    return ESC + b"p" + bytes((PINS[pin], t1, t2))
