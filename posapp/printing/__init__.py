"""Thermal printing: layouts build documents, one renderer makes ESC/POS bytes, transports move them.

No Qt, no store: this layer imports only ``posapp.domain`` (and ``posapp.errors``/``posapp.resources``).
"""
